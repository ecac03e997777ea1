package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0032RequestKey is one use of an Idempotency-Key on a create other than a filing (a booking, an
// appointment, evidence, an inspection, a document bundle): the user's key, what it was used
// for, a hash of the request it came with, and the row it made.
type m0032RequestKey struct {
	UserID      uint      `gorm:"primaryKey;autoIncrement:false"`
	Key         string    `gorm:"primaryKey;size:100"`
	Scope       string    `gorm:"size:40;not null"`
	RequestHash string    `gorm:"size:64;not null"`
	Ref         uint64    `gorm:"not null;default:0"`
	CreatedAt   time.Time `gorm:"not null;index"`
}

func (m0032RequestKey) TableName() string { return "request_keys" }

// m0032IdempotencyKey is the filings' keys' new column: the hash of the filing a key came with
// (empty on keys used before it existed, which then match any repeat).
type m0032IdempotencyKey struct {
	UserID      uint   `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	RequestHash string `gorm:"size:64;not null;default:''"`
}

func (m0032IdempotencyKey) TableName() string { return "idempotency_keys" }

// m0032Probe is the row readiness writes: a database that takes this write takes the others.
type m0032Probe struct {
	Name string    `gorm:"primaryKey;size:40"`
	At   time.Time `gorm:"not null"`
}

func (m0032Probe) TableName() string { return "probes" }

// up0032 adds the keys of every other create, the hash of each filing's request, readiness's
// probe row, and the rule
// that an enterprise holds at most one active booking of a slot. Duplicates a client's retries
// made before the rule are cancelled first (the latest go, the first stays) and their seats freed,
// so the index can be built on a database that has them.
func up0032(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0032RequestKey{}, &m0032Probe{}); err != nil {
		return err
	}
	if err := tx.Migrator().AddColumn(&m0032IdempotencyKey{}, "RequestHash"); err != nil {
		return err
	}
	const active = "status IN ('booked', 'confirmed', 'in_progress')"
	var dups []struct {
		ID     uint64
		SlotID uint64
	}
	if err := tx.Raw(`SELECT b.id, b.slot_id FROM bookings b WHERE b.` + active + ` AND EXISTS (
		SELECT 1 FROM bookings f WHERE f.enterprise_id = b.enterprise_id AND f.slot_id = b.slot_id AND f.` + active + ` AND f.id < b.id)`).
		Scan(&dups).Error; err != nil {
		return err
	}
	for _, d := range dups {
		if err := tx.Exec("UPDATE bookings SET status = 'cancelled' WHERE id = ?", d.ID).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE slots SET booked = booked - 1 WHERE id = ? AND booked > 0", d.SlotID).Error; err != nil {
			return err
		}
	}
	return tx.Exec("CREATE UNIQUE INDEX idx_booking_one_active ON bookings (enterprise_id, slot_id) WHERE " + active).Error
}
