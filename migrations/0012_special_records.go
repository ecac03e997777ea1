package migrations

import (
	"time"

	"gorm.io/gorm"
)

// up0012 stores a special inspection's approval record on the inspection (SPEC-1): legal
// review, collective decision, approval, filing with the justice bureau, publication.
func up0012(tx *gorm.DB) error {
	type inspection struct {
		SpecialReviewOn    *time.Time
		SpecialDecisionOn  *time.Time
		SpecialApprovedOn  *time.Time
		SpecialFiledOn     *time.Time
		SpecialPublishedOn *time.Time
	}
	for _, f := range []string{"SpecialReviewOn", "SpecialDecisionOn", "SpecialApprovedOn", "SpecialFiledOn", "SpecialPublishedOn"} {
		if err := tx.Table("inspections").Migrator().AddColumn(&inspection{}, f); err != nil {
			return err
		}
	}
	return nil
}
