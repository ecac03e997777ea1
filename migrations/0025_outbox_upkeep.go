package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0025PeriodicRun is the lease of one period of a periodic job: the first worker to insert the
// row for (job, period) runs it; every other worker's copy of the tick finds the row and skips.
type m0025PeriodicRun struct {
	Job       string    `gorm:"primaryKey;size:60"`
	Period    time.Time `gorm:"primaryKey"`
	StartedAt time.Time `gorm:"not null"`
}

func (m0025PeriodicRun) TableName() string { return "periodic_runs" }

// m0025Outbox is the outbox's two new columns.
type m0025Outbox struct {
	ID       uint64 `gorm:"primaryKey"`
	Redrives int    `gorm:"not null;default:0"`
	FailedAt *time.Time
}

func (m0025Outbox) TableName() string { return "outbox" }

// up0025 adds the periodic jobs' leases and what the sweep needs to re-drive tasks the queue gave
// up on: how often a row was re-driven, and when it failed for good.
func up0025(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0025PeriodicRun{}); err != nil {
		return err
	}
	for _, col := range []string{"Redrives", "FailedAt"} {
		if err := tx.Migrator().AddColumn(&m0025Outbox{}, col); err != nil {
			return err
		}
	}
	// The admin's list of what failed for good.
	return tx.Exec("CREATE INDEX idx_outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL").Error
}
