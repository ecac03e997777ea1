package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0016AuditPending holds audited events written by a use case's own transaction, without
// touching the chain's head; a chainer moves them onto the chain in batches. Appending no longer
// locks one row for every audited write.
type m0016AuditPending struct {
	ID         uint64    `gorm:"primaryKey"`
	At         time.Time `gorm:"not null"`
	ActorID    uint      `gorm:"not null"`
	ActorRole  string    `gorm:"size:20;not null"`
	Action     string    `gorm:"size:60;not null"`
	ObjectType string    `gorm:"size:40;not null"`
	ObjectID   uint64    `gorm:"not null"`
	Detail     string    `gorm:"type:text"`
}

func (m0016AuditPending) TableName() string { return "audit_pending" }

// up0016 adds the pending audit table and partial indexes for the outbox relay and sweep, which
// otherwise scan every row ever written.
func up0016(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0016AuditPending{}); err != nil {
		return err
	}
	return execAll(tx,
		"CREATE INDEX idx_outbox_unrelayed ON outbox (run_at, id) WHERE done_at IS NULL AND relayed_at IS NULL",
		"CREATE INDEX idx_outbox_relayed_open ON outbox (relayed_at) WHERE done_at IS NULL AND relayed_at IS NOT NULL",
	)
}
