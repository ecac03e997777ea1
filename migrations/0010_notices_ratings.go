package migrations

import (
	"time"

	"gorm.io/gorm"
)

type m0010Rating struct {
	ID              uint64    `gorm:"primaryKey"`
	InspectionID    uint64    `gorm:"not null;uniqueIndex"` // one rating per inspection
	EnterpriseID    uint      `gorm:"not null"`
	Score           int       `gorm:"not null"`
	Comment         string    `gorm:"type:text"`
	CodeShown       bool      `gorm:"not null"`
	CredentialShown bool      `gorm:"not null"`
	DataDemanded    bool      `gorm:"not null"` // DATA-1
	Disrupted       bool      `gorm:"not null"` // CONDUCT-1
	CreatedAt       time.Time `gorm:"not null"`
	UpdatedAt       time.Time `gorm:"not null"`
}

func (m0010Rating) TableName() string { return "inspection_ratings" }

// up0010 adds the notice's acknowledgement (NOTICE-1) and the enterprise's rating.
func up0010(tx *gorm.DB) error {
	type inspection struct {
		NoticeAckAt *time.Time
	}
	if err := tx.Table("inspections").Migrator().AddColumn(&inspection{}, "NoticeAckAt"); err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&m0010Rating{})
}
