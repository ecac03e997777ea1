package migrations

import (
	"time"

	"gorm.io/gorm"
)

type m0003Outbox struct {
	ID        uint64    `gorm:"primaryKey"`
	TaskType  string    `gorm:"size:60;not null"`
	Payload   string    `gorm:"type:text;not null"`
	CreatedAt time.Time `gorm:"not null"`
	RunAt     time.Time `gorm:"not null"` // not before; timers are rows too
	RelayedAt *time.Time
	DoneAt    *time.Time
	Attempts  int    `gorm:"not null;default:0"`
	LastError string `gorm:"size:500"`
}

func (m0003Outbox) TableName() string { return "outbox" }

type m0003Notification struct {
	ID        uint64    `gorm:"primaryKey"`
	UserID    uint      `gorm:"not null;index"`
	Kind      string    `gorm:"size:40;not null"`
	Title     string    `gorm:"size:200;not null"`
	Body      string    `gorm:"type:text"`
	Link      string    `gorm:"size:300"`
	OutboxID  *uint64   `gorm:"uniqueIndex"` // the outbox row that caused it: delivered once
	CreatedAt time.Time `gorm:"not null"`
	ReadAt    *time.Time
}

func (m0003Notification) TableName() string { return "notifications" }

func up0003(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0003Outbox{}, &m0003Notification{}); err != nil {
		return err
	}
	// The relay and the sweep scan for undone rows in order.
	return tx.Exec("CREATE INDEX idx_outbox_pending ON outbox (done_at, relayed_at, run_at)").Error
}
