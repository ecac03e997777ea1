package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0039SLAPolicy is the limits table's new column: a row for urgent orders (紧急) apart from the
// ordinary one of the same channel, type and stage.
type m0039SLAPolicy struct {
	ID     uint `gorm:"primaryKey"`
	Urgent bool `gorm:"not null;default:false"`
}

func (m0039SLAPolicy) TableName() string { return "sla_policies" }

// m0039WorkOrder is the orders' new column: the urgent mark.
type m0039WorkOrder struct {
	ID     uint64 `gorm:"primaryKey"`
	Urgent bool   `gorm:"not null;default:false"`
}

func (m0039WorkOrder) TableName() string { return "work_orders" }

// m0039ClueReview is a liaison's review of a clue: dismissed with a reason, merged into another
// clue or order, or converted into an order. One per clue.
type m0039ClueReview struct {
	OrderID       uint64    `gorm:"primaryKey;autoIncrement:false"`
	Outcome       string    `gorm:"size:12;not null"` // dismissed, merged, converted
	Reason        string    `gorm:"size:500;not null;default:''"`
	TargetOrderID *uint64   `gorm:"index"` // merged: the clue or order it went into
	ActorID       uint      `gorm:"not null"`
	At            time.Time `gorm:"not null"`
}

func (m0039ClueReview) TableName() string { return "clue_reviews" }

// m0039Limit is one default row of the limits table.
type m0039Limit struct {
	Channel, Type, Stage string
	Urgent               bool
	Amount               int
	Unit                 string
}

// m0039Limits are the defaults per matter type, for urgent orders and for clues (README,
// "Time limits per matter type"): a type's row only where it differs from its channel's fallback.
var m0039Limits = []m0039Limit{
	// 12345: 咨询 answered in 1–3 working days; 求助 and 投诉 in 5–15; 举报 as the law gives
	// (15 working days to verify); 建议 the longest.
	{"12345", "consultation", "reply", false, 2, "days"},
	{"12345", "consultation", "resolve", false, 3, "days"},
	{"12345", "help", "reply", false, 5, "days"},
	{"12345", "help", "resolve", false, 10, "days"},
	{"12345", "complaint", "reply", false, 10, "days"},
	{"12345", "complaint", "resolve", false, 15, "days"},
	{"12345", "report", "reply", false, 15, "days"},
	{"12345", "report", "resolve", false, 15, "days"},
	{"12345", "suggestion", "reply", false, 10, "days"},
	{"12345", "suggestion", "resolve", false, 20, "days"},
	// 12348: a missing code is a fact the code record settles; a legal consultation is answered fast.
	{"12348", "missing_code", "reply", false, 2, "days"},
	{"12348", "missing_code", "resolve", false, 5, "days"},
	{"12348", "consultation", "reply", false, 1, "days"},
	{"12348", "consultation", "resolve", false, 3, "days"},
	// Urgent orders on both hotlines: accepted, dispatched and signed for within 2 working hours,
	// answered within 1 working day.
	{"12345", "*", "accept", true, 2, "hours"}, {"12348", "*", "accept", true, 2, "hours"},
	{"12345", "*", "dispatch", true, 2, "hours"}, {"12348", "*", "dispatch", true, 2, "hours"},
	{"12345", "*", "sign", true, 2, "hours"}, {"12348", "*", "sign", true, 2, "hours"},
	{"12345", "*", "reply", true, 1, "days"}, {"12348", "*", "reply", true, 1, "days"},
	{"12345", "*", "resolve", true, 2, "days"}, {"12348", "*", "resolve", true, 2, "days"},
	// Clues: a liaison reviews each within 3 working days.
	{"12345", "*", "review", false, 3, "days"}, {"12348", "*", "review", false, 3, "days"},
}

// up0039 makes the limits table channel × matter type × urgent × stage with its defaults, adds
// the urgent mark and the clues' reviews, and takes the clues still waiting in the complaint
// queue (submitted, raised by the system) out of it: they wait for review, their acceptance
// limits set aside.
func up0039(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&m0039SLAPolicy{}, "Urgent"); err != nil {
		return err
	}
	if err := tx.Migrator().AddColumn(&m0039WorkOrder{}, "Urgent"); err != nil {
		return err
	}
	if err := tx.Migrator().CreateTable(&m0039ClueReview{}); err != nil {
		return err
	}
	if err := execAll(tx,
		"DROP INDEX idx_sla",
		"CREATE UNIQUE INDEX idx_sla_row ON sla_policies (channel, type, stage, urgent)",
	); err != nil {
		return err
	}
	for _, l := range m0039Limits {
		var n int64
		if err := tx.Table("sla_policies").Where("channel = ? AND type = ? AND stage = ? AND urgent = ?", l.Channel, l.Type, l.Stage, l.Urgent).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			continue // an admin's row of the same key stands
		}
		if err := tx.Exec("INSERT INTO sla_policies (channel, type, stage, urgent, amount, unit) VALUES (?, ?, ?, ?, ?, ?)", l.Channel, l.Type, l.Stage, l.Urgent, l.Amount, l.Unit).Error; err != nil {
			return err
		}
	}
	now := time.Now().UTC()
	if err := tx.Exec(`UPDATE order_deadlines SET superseded_at = ? WHERE met_at IS NULL AND breached_at IS NULL AND superseded_at IS NULL
		AND order_id IN (SELECT id FROM work_orders WHERE source = 'system' AND status = 'submitted')`, now).Error; err != nil {
		return err
	}
	return tx.Exec("UPDATE work_orders SET status = 'clue', next_due_at = NULL WHERE source = 'system' AND status = 'submitted'").Error
}
