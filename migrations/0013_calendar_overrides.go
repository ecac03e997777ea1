package migrations

import "gorm.io/gorm"

type m0013Override struct {
	Day     string `gorm:"primaryKey;size:10"` // YYYY-MM-DD, Wenzhou time
	Working bool   `gorm:"not null"`
	Name    string `gorm:"size:60"`
}

func (m0013Override) TableName() string { return "calendar_overrides" }

func up0013(tx *gorm.DB) error { return tx.Migrator().CreateTable(&m0013Override{}) }
