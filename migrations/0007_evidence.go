package migrations

import (
	"time"

	"gorm.io/gorm"
)

type m0007Evidence struct {
	ID          uint64    `gorm:"primaryKey"`
	OrderID     uint64    `gorm:"not null;index"`
	UploadedBy  uint      `gorm:"not null"`
	ContentType string    `gorm:"size:40;not null"`
	Size        int64     `gorm:"not null"`
	SHA256      string    `gorm:"column:sha256;size:64;not null"`
	CreatedAt   time.Time `gorm:"not null"`
}

func (m0007Evidence) TableName() string { return "evidence" }

func up0007(tx *gorm.DB) error { return tx.Migrator().CreateTable(&m0007Evidence{}) }
