package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0034WorkOrder is the orders' new columns: a coded bounce (退单: its reason's code, how many
// times units bounced the order, the unit that bounced it last, which a refused bounce sends it
// back to); an extension (延期: how many were granted, the one asked for and why); a pause
// (when the order began waiting on the enterprise); and the follow-up's answer (回访: solved and
// satisfied apart, and the documented failures to reach the enterprise).
type m0034WorkOrder struct {
	ID              uint64 `gorm:"primaryKey"`
	ReturnCode      string `gorm:"size:30;not null;default:''"`
	ReturnCount     int    `gorm:"not null;default:0"`
	ReturnedUnitID  *uint
	ExtensionCount  int `gorm:"not null;default:0"`
	ExtensionUntil  *time.Time
	ExtensionReason string `gorm:"size:500;not null;default:''"`
	PausedAt        *time.Time
	FollowSolved    *bool
	FollowSatisfied *bool
	FollowFailures  int `gorm:"not null;default:0"`
}

func (m0034WorkOrder) TableName() string { return "work_orders" }

// m0034Deadline is the deadlines' new columns: the due time before any extension, and the
// working time the stage stood paused.
type m0034Deadline struct {
	ID            uint64 `gorm:"primaryKey"`
	OriginalDueAt *time.Time
	PausedSeconds int64 `gorm:"not null;default:0"`
}

func (m0034Deadline) TableName() string { return "order_deadlines" }

// m0034ExtensionLimit is how many extensions an order may have and how long each may be, per
// channel and type ("*": every type).
type m0034ExtensionLimit struct {
	ID       uint   `gorm:"primaryKey"`
	Channel  string `gorm:"size:8;not null;uniqueIndex:idx_extension_limit"`
	Type     string `gorm:"size:30;not null;uniqueIndex:idx_extension_limit"`
	MaxCount int    `gorm:"not null"`
	MaxDays  int    `gorm:"not null"` // working days past the current due time
}

func (m0034ExtensionLimit) TableName() string { return "extension_limits" }

// up0034 adds the columns and the extension limits with their defaults (one extension of at
// most 10 working days on 12348, 15 on 12345), and the enterprise's limit to answer a request for
// more information (5 working days on both hotlines).
func up0034(tx *gorm.DB) error {
	for _, c := range []string{"ReturnCode", "ReturnCount", "ReturnedUnitID", "ExtensionCount", "ExtensionUntil", "ExtensionReason", "PausedAt", "FollowSolved", "FollowSatisfied", "FollowFailures"} {
		if err := tx.Migrator().AddColumn(&m0034WorkOrder{}, c); err != nil {
			return err
		}
	}
	for _, c := range []string{"OriginalDueAt", "PausedSeconds"} {
		if err := tx.Migrator().AddColumn(&m0034Deadline{}, c); err != nil {
			return err
		}
	}
	if err := tx.Migrator().CreateTable(&m0034ExtensionLimit{}); err != nil {
		return err
	}
	limits := []m0034ExtensionLimit{{Channel: "12348", Type: "*", MaxCount: 1, MaxDays: 10}, {Channel: "12345", Type: "*", MaxCount: 1, MaxDays: 15}}
	if err := tx.Create(&limits).Error; err != nil {
		return err
	}
	for _, ch := range []string{"12348", "12345"} {
		if err := tx.Exec("INSERT INTO sla_policies (channel, type, stage, amount, unit) VALUES (?, '*', 'info', 5, 'days')", ch).Error; err != nil {
			return err
		}
	}
	return nil
}
