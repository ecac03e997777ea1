package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0036Inspection gains its source body: the body that registered (or, for an administrator's
// push, leads) the inspection and coordinates it when joint. The source platform's id is unique
// per source body, not across all bodies, so no body can take another's id in advance.
type m0036Inspection struct {
	SourceBodyID uint `gorm:"not null;default:0"`
}

func (m0036Inspection) TableName() string { return "inspections" }

// m0036Body: a body's part in an inspection is confirmed, pending (named by another body's
// officer, awaiting this body's answer) or declined. Only confirmed parts count.
type m0036Body struct {
	State     string `gorm:"size:10;not null;default:'confirmed'"`
	DecidedBy uint   `gorm:"not null;default:0"`
	DecidedAt *time.Time
}

func (m0036Body) TableName() string { return "inspection_bodies" }

// up0036 scopes external ids per source body and lets a joint inspection's other bodies confirm
// or decline their part. Inspections on record take their lead body as source, and every part on
// record stays confirmed (as it counted until now).
func up0036(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&m0036Inspection{}, "SourceBodyID"); err != nil {
		return err
	}
	for _, c := range []string{"State", "DecidedBy", "DecidedAt"} {
		if err := tx.Migrator().AddColumn(&m0036Body{}, c); err != nil {
			return err
		}
	}
	return execAll(tx,
		`UPDATE inspections SET source_body_id = COALESCE((SELECT b.body_id FROM inspection_bodies b
			WHERE b.inspection_id = inspections.id ORDER BY b.seq LIMIT 1), 0)`,
		"DROP INDEX IF EXISTS idx_inspections_external_id",
		"CREATE UNIQUE INDEX idx_inspections_source_external ON inspections (source_body_id, external_id)",
		"CREATE INDEX idx_inspection_bodies_state ON inspection_bodies (body_id, state)",
	)
}
