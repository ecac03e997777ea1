package migrations

import (
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// m0024Mute is one kind group a person does not want by SMS or email (the inbox still gets it).
// The column is kind_group, not group: GROUP is a reserved word in both dialects.
type m0024Mute struct {
	UserID    uint   `gorm:"primaryKey;autoIncrement:false"`
	KindGroup string `gorm:"primaryKey;size:20"`
}

func (m0024Mute) TableName() string { return "notification_mutes" }

// up0024 moves notification_prefs.muted, a comma-joined list, to a row per muted group, and
// drops the column.
func up0024(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0024Mute{}); err != nil {
		return err
	}
	var rows []struct {
		UserID uint
		Muted  string
	}
	if err := tx.Table("notification_prefs").Select("user_id", "muted").Where("muted IS NOT NULL AND muted <> ''").Find(&rows).Error; err != nil {
		return err
	}
	var mutes []m0024Mute
	for _, r := range rows {
		for _, g := range strings.Split(r.Muted, ",") {
			if g = strings.TrimSpace(g); g != "" {
				mutes = append(mutes, m0024Mute{UserID: r.UserID, KindGroup: g})
			}
		}
	}
	if len(mutes) > 0 {
		// A list that named a group twice keeps it once.
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&mutes, 500).Error; err != nil {
			return err
		}
	}
	return tx.Exec("ALTER TABLE notification_prefs DROP COLUMN muted").Error
}
