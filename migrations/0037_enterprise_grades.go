package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0037EnterpriseGrade is one period of an enterprise's credit grade (信用等级) or risk grade
// (风险等级), with its history: valid from a Wenzhou date to another (inclusive; empty: still
// valid). Dates are kept as YYYY-MM-DD text so both databases compare them alike.
type m0037EnterpriseGrade struct {
	ID           uint64    `gorm:"primaryKey"`
	EnterpriseID uint      `gorm:"not null;index:idx_enterprise_grades_lookup,priority:1"`
	Kind         string    `gorm:"size:10;not null;index:idx_enterprise_grades_lookup,priority:2"` // credit | risk
	Grade        string    `gorm:"size:20;not null"`
	ValidFrom    string    `gorm:"size:10;not null;index:idx_enterprise_grades_lookup,priority:3"`
	ValidTo      string    `gorm:"size:10;not null;default:''"`
	Source       string    `gorm:"size:200;not null;default:''"` // e.g. the credit bureau's list it came from
	SetBy        uint      `gorm:"not null;default:0"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (m0037EnterpriseGrade) TableName() string { return "enterprise_grades" }

// m0037Inspection gains the reason a triggered visit was kept apart from the pending planned
// tasks it could have merged (FREQ-3).
type m0037Inspection struct {
	ID                 uint64 `gorm:"primaryKey"`
	KeepSeparateReason string `gorm:"size:500;not null;default:''"`
}

func (m0037Inspection) TableName() string { return "inspections" }

// up0037 adds the grades' history and the reason for keeping a visit apart.
func up0037(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0037EnterpriseGrade{}); err != nil {
		return err
	}
	return tx.Migrator().AddColumn(&m0037Inspection{}, "KeepSeparateReason")
}
