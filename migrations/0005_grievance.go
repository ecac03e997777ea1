package migrations

import (
	"time"

	"gorm.io/gorm"
)

type m0005WorkOrder struct {
	ID             uint64     `gorm:"primaryKey"`
	Number         string     `gorm:"size:24;not null;uniqueIndex"`
	Type           string     `gorm:"size:30;not null;index"`
	Reasons        string     `gorm:"size:300"`
	Description    string     `gorm:"type:text;not null"`
	Status         string     `gorm:"size:20;not null;index:idx_wo_queue"`
	Level          int        `gorm:"not null;default:0"`
	Channel        string     `gorm:"size:8;not null"`
	UnitBodyID     *uint      `gorm:"index"`
	CountyCode     string     `gorm:"size:6;not null;index:idx_wo_queue"`
	EnterpriseID   uint       `gorm:"not null;index"`
	FiledByUserID  uint       `gorm:"not null"`
	ObserverID     *uint      `gorm:"index"`
	Anonymous      bool       `gorm:"not null;default:false"`
	InspectionCode string     `gorm:"size:40"`
	BodyID         *uint      `gorm:"index"`
	AssigneeID     *uint      `gorm:"index"`
	Rating         int        `gorm:"not null;default:0"`
	ReopenCount    int        `gorm:"not null;default:0"`
	ReturnReason   string     `gorm:"size:500"`
	NextDueAt      *time.Time `gorm:"index:idx_wo_queue"`
	ClosedAt       *time.Time
	CreatedAt      time.Time `gorm:"not null"`
	UpdatedAt      time.Time `gorm:"not null"`
}

func (m0005WorkOrder) TableName() string { return "work_orders" }

type m0005OrderEvent struct {
	ID         uint64    `gorm:"primaryKey"`
	OrderID    uint64    `gorm:"not null;index"`
	At         time.Time `gorm:"not null"`
	ActorID    uint      `gorm:"not null"`
	ActorRole  string    `gorm:"size:20;not null"`
	Action     string    `gorm:"size:30;not null"`
	FromStatus string    `gorm:"size:20"`
	ToStatus   string    `gorm:"size:20"`
	Level      int       `gorm:"not null;default:0"`
	Note       string    `gorm:"type:text"`
}

func (m0005OrderEvent) TableName() string { return "order_events" }

type m0005Deadline struct {
	ID         uint64    `gorm:"primaryKey"`
	OrderID    uint64    `gorm:"not null;uniqueIndex:idx_deadline_stage"`
	Stage      string    `gorm:"size:20;not null;uniqueIndex:idx_deadline_stage"`
	Round      int       `gorm:"not null;uniqueIndex:idx_deadline_stage"` // a reopen starts a new round
	StartedAt  time.Time `gorm:"not null"`
	DueAt      time.Time `gorm:"not null;index"`
	RemindAt   time.Time `gorm:"not null"`
	RemindedAt *time.Time
	BreachedAt *time.Time
	MetAt      *time.Time
}

func (m0005Deadline) TableName() string { return "order_deadlines" }

type m0005RoutingRule struct {
	ID         uint   `gorm:"primaryKey"`
	Type       string `gorm:"size:30"` // empty matches any
	CountyCode string `gorm:"size:6"`
	BodyID     *uint
	Channel    string `gorm:"size:8;not null"`
	UnitBodyID *uint
	Position   int `gorm:"not null;default:0"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (m0005RoutingRule) TableName() string { return "routing_rules" }

type m0005SLAPolicy struct {
	ID      uint   `gorm:"primaryKey"`
	Channel string `gorm:"size:8;not null;uniqueIndex:idx_sla"`
	Type    string `gorm:"size:30;not null;uniqueIndex:idx_sla"` // "*" for every type
	Stage   string `gorm:"size:20;not null;uniqueIndex:idx_sla"`
	Amount  int    `gorm:"not null"`
	Unit    string `gorm:"size:8;not null"` // hours or days (working)
}

func (m0005SLAPolicy) TableName() string { return "sla_policies" }

type m0005IdempotencyKey struct {
	UserID    uint      `gorm:"primaryKey;autoIncrement:false"`
	Key       string    `gorm:"primaryKey;size:100"`
	OrderID   uint64    `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m0005IdempotencyKey) TableName() string { return "idempotency_keys" }

func up0005(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0005WorkOrder{}, &m0005OrderEvent{}, &m0005Deadline{}); err != nil {
		return err
	}
	if err := tx.Migrator().CreateTable(&m0005RoutingRule{}, &m0005SLAPolicy{}, &m0005IdempotencyKey{}); err != nil {
		return err
	}
	// Defaults from the hotline practice: 12348 (enterprise fast lane) accept within 2 working
	// hours, dispatch within 1 working day, first reply within 3, resolve within 10; 12345 accept
	// within 1 working day, resolve within 15. Admins edit these rows.
	policies := []m0005SLAPolicy{
		{Channel: "12348", Type: "*", Stage: "accept", Amount: 2, Unit: "hours"},
		{Channel: "12348", Type: "*", Stage: "dispatch", Amount: 1, Unit: "days"},
		{Channel: "12348", Type: "*", Stage: "reply", Amount: 3, Unit: "days"},
		{Channel: "12348", Type: "*", Stage: "resolve", Amount: 10, Unit: "days"},
		{Channel: "12345", Type: "*", Stage: "accept", Amount: 1, Unit: "days"},
		{Channel: "12345", Type: "*", Stage: "resolve", Amount: 15, Unit: "days"},
	}
	if err := tx.Create(&policies).Error; err != nil {
		return err
	}
	rules := []m0005RoutingRule{
		{Type: "illegal_inspection", Channel: "12348", Position: 1},
		{Type: "missing_code", Channel: "12348", Position: 2},
		{Type: "conduct", Channel: "12348", Position: 3},
		{Type: "appeal", Channel: "12345", Position: 4},
		{Type: "consultation", Channel: "12345", Position: 5},
	}
	return tx.Create(&rules).Error
}
