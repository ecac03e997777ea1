package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0017Record is one document of an inspection's case file (RECORD-1, seed §2.4 四): the notice,
// the registration form or on-site record, the result notice, the audio/video record. A file is
// optional and addressed by its hash; no file name is kept.
type m0017Record struct {
	ID           uint64    `gorm:"primaryKey"`
	InspectionID uint64    `gorm:"not null;uniqueIndex:uq_record_number,priority:1"`
	Kind         string    `gorm:"size:20;not null;uniqueIndex:uq_record_number,priority:2"`
	Number       string    `gorm:"size:60;not null;uniqueIndex:uq_record_number,priority:3"`
	IssuedOn     time.Time `gorm:"not null"`
	Summary      string    `gorm:"type:text"`
	ContentType  string    `gorm:"size:40"`
	Size         int64     `gorm:"not null;default:0"`
	SHA256       string    `gorm:"column:sha256;size:64"`
	CreatedBy    uint      `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (m0017Record) TableName() string { return "inspection_records" }

// up0017 adds the case-file table, the item list's audio/video requirement (RECORD-1: 按清单范围
// 做好行政执法音像记录) and, on an inspection, the triggered inspection a planned task was merged
// into (FREQ-3).
func up0017(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0017Record{}); err != nil {
		return err
	}
	type inspectionItem struct {
		AudioVideo bool `gorm:"not null;default:false"`
	}
	if err := tx.Table("inspection_items").Migrator().AddColumn(&inspectionItem{}, "AudioVideo"); err != nil {
		return err
	}
	type inspection struct {
		MergedInto *uint64
	}
	if err := tx.Table("inspections").Migrator().AddColumn(&inspection{}, "MergedInto"); err != nil {
		return err
	}
	return tx.Exec("CREATE INDEX idx_inspections_merged_into ON inspections (merged_into) WHERE merged_into IS NOT NULL").Error
}
