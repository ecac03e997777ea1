package migrations

import (
	"time"

	"gorm.io/gorm"
)

type m0011Plan struct {
	ID          uint       `gorm:"primaryKey"`
	BodyID      uint       `gorm:"not null;uniqueIndex:idx_plan_year"`
	Year        int        `gorm:"not null;uniqueIndex:idx_plan_year"`
	Title       string     `gorm:"size:200;not null"`
	PublishedOn *time.Time // PLAN-1: by 31 March
	ChangedAt   *time.Time // set when the plan changes after publication
	CreatedAt   time.Time  `gorm:"not null"`
	UpdatedAt   time.Time  `gorm:"not null"`
}

func (m0011Plan) TableName() string { return "inspection_plans" }

func up0011(tx *gorm.DB) error { return tx.Migrator().CreateTable(&m0011Plan{}) }
