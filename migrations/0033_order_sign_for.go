package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0033Deadline is the deadlines' new column: when a stage was set aside unmet because the
// order moved on without it (a transfer to another unit or channel recomputes what remains).
type m0033Deadline struct {
	ID           uint64 `gorm:"primaryKey"`
	SupersededAt *time.Time
}

func (m0033Deadline) TableName() string { return "order_deadlines" }

// up0033 adds the sign-for (签收) stage: the unit takes a dispatched order in within its own
// limit, one working day on both channels and every type by default (admins edit or add rows per
// channel and type). A stage of one round may now run again once its earlier row is met, breached
// or set aside (a re-dispatch after a bounce, a transfer): only one row of it is open at a time.
func up0033(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&m0033Deadline{}, "SupersededAt"); err != nil {
		return err
	}
	if err := execAll(tx,
		"DROP INDEX idx_deadline_stage",
		"CREATE UNIQUE INDEX idx_deadline_open_stage ON order_deadlines (order_id, stage, round) WHERE met_at IS NULL AND breached_at IS NULL AND superseded_at IS NULL",
		"CREATE INDEX idx_deadline_order ON order_deadlines (order_id)",
	); err != nil {
		return err
	}
	for _, ch := range []string{"12348", "12345"} {
		var n int64
		if err := tx.Table("sla_policies").Where("channel = ? AND type = '*' AND stage = 'sign'", ch).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			if err := tx.Exec("INSERT INTO sla_policies (channel, type, stage, amount, unit) VALUES (?, '*', 'sign', 1, 'days')", ch).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
