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
// tasks it could have merged (FREQ-3), and the structured approval of an inspection outside the
// body's county (AREA-1): approving authority, document number, approval date, and the date the
// local authority was told. The free text cross_area_approval stays, read only.
type m0037Inspection struct {
	ID                  uint64 `gorm:"primaryKey"`
	KeepSeparateReason  string `gorm:"size:500;not null;default:''"`
	CrossAreaApprover   string `gorm:"size:100;not null;default:''"`
	CrossAreaDocNo      string `gorm:"size:100;not null;default:''"`
	CrossAreaApprovedOn *time.Time
	CrossAreaNotifiedOn *time.Time
}

func (m0037Inspection) TableName() string { return "inspections" }

// up0037 adds the grades' history, the reason for keeping a visit apart and the cross-area
// approval's record.
func up0037(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0037EnterpriseGrade{}); err != nil {
		return err
	}
	for _, col := range []string{"KeepSeparateReason", "CrossAreaApprover", "CrossAreaDocNo", "CrossAreaApprovedOn", "CrossAreaNotifiedOn"} {
		if err := tx.Migrator().AddColumn(&m0037Inspection{}, col); err != nil {
			return err
		}
	}
	return nil
}
