package migrations

import (
	"time"

	"gorm.io/gorm"
)

type m0004AuditEvent struct {
	ID         uint64    `gorm:"primaryKey;autoIncrement:false"`
	At         time.Time `gorm:"not null"`
	ActorID    uint      `gorm:"not null"`
	ActorRole  string    `gorm:"size:20;not null"`
	Action     string    `gorm:"size:60;not null"`
	ObjectType string    `gorm:"size:40;not null;index:idx_audit_object"`
	ObjectID   uint64    `gorm:"not null;index:idx_audit_object"`
	Detail     string    `gorm:"type:text"`
	PrevHash   string    `gorm:"size:64;not null"`
	Hash       string    `gorm:"size:64;not null"`
}

func (m0004AuditEvent) TableName() string { return "audit_events" }

// m0004AuditHead is a single row holding the chain's tip; appenders lock it, so the chain never forks.
type m0004AuditHead struct {
	ID     int    `gorm:"primaryKey;autoIncrement:false"`
	LastID uint64 `gorm:"not null"`
	Hash   string `gorm:"size:64;not null"`
}

func (m0004AuditHead) TableName() string { return "audit_head" }

func up0004(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0004AuditEvent{}, &m0004AuditHead{}); err != nil {
		return err
	}
	return tx.Create(&m0004AuditHead{ID: 1, LastID: 0, Hash: "0000000000000000000000000000000000000000000000000000000000000000"}).Error
}
