package migrations

import (
	"time"

	"gorm.io/gorm"
)

type m0009Inspector struct {
	ID           uint      `gorm:"primaryKey"`
	BodyID       uint      `gorm:"not null;index"`
	Name         string    `gorm:"size:60;not null"`
	CredentialNo string    `gorm:"size:40;not null"`
	ValidFrom    time.Time `gorm:"not null"`
	ValidTo      time.Time `gorm:"not null"`
	Active       bool      `gorm:"not null;default:true"`
	Staff        string    `gorm:"size:20;not null"`
}

func (m0009Inspector) TableName() string { return "inspectors" }

type m0009Item struct {
	ID          uint   `gorm:"primaryKey"`
	BodyID      uint   `gorm:"not null;index"`
	Name        string `gorm:"size:200;not null"`
	LegalBasis  string `gorm:"type:text"`
	Method      string `gorm:"size:200"`
	Standard    string `gorm:"type:text"`
	PublishedOn *time.Time
	WithdrawnOn *time.Time
}

func (m0009Item) TableName() string { return "inspection_items" }

type m0009Inspection struct {
	ID                uint64    `gorm:"primaryKey"`
	ExternalID        *string   `gorm:"size:100;uniqueIndex"` // the source platform's id: pushes are idempotent on it
	Kind              string    `gorm:"size:20;not null"`
	Status            string    `gorm:"size:20;not null"`
	EnterpriseID      uint      `gorm:"not null;index"`
	BodyIDs           string    `gorm:"size:200;not null"` // comma-separated ids
	ItemIDs           string    `gorm:"size:500"`
	InspectorIDs      string    `gorm:"size:500"`
	ScheduledAt       time.Time `gorm:"not null;index"`
	Place             string    `gorm:"size:200"`
	CountyCode        string    `gorm:"size:6;not null"`
	CrossAreaApproval string    `gorm:"size:100"`
	NoticeDeliveredAt *time.Time
	NoticeWithheld    bool      `gorm:"not null;default:false"`
	Code              string    `gorm:"size:40;index"`
	CreatedBy         uint      `gorm:"not null"`
	CreatedAt         time.Time `gorm:"not null"`
	UpdatedAt         time.Time `gorm:"not null"`
}

func (m0009Inspection) TableName() string { return "inspections" }

type m0009Clue struct {
	ID           uint64    `gorm:"primaryKey"`
	InspectionID uint64    `gorm:"not null;uniqueIndex:idx_clue_rule"`
	Rule         string    `gorm:"size:20;not null;uniqueIndex:idx_clue_rule"`
	Evidence     string    `gorm:"type:text;not null"`
	OrderID      uint64    `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (m0009Clue) TableName() string { return "clues" }

func up0009(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&m0009Inspector{}, &m0009Item{}, &m0009Inspection{}, &m0009Clue{})
}
