package migrations

import (
	"time"

	"gorm.io/gorm"
)

// The service catalogue (seed §2.8 一): check-ups, risk assessments, legal consultations and the
// menu-style services of the key industries, each with its provider.
type m0015Service struct {
	ID         uint      `gorm:"primaryKey"`
	Code       string    `gorm:"size:40;not null;uniqueIndex"`
	Kind       string    `gorm:"size:20;not null"` // checkup, risk, legal, menu
	NameZh     string    `gorm:"size:120;not null"`
	NameEn     string    `gorm:"size:120;not null"`
	DescZh     string    `gorm:"type:text"`
	DescEn     string    `gorm:"type:text"`
	Industries string    `gorm:"size:300"` // comma-joined industry codes; empty: every industry
	Minutes    int       `gorm:"not null"`
	Mode       string    `gorm:"size:10;not null"` // online, onsite, both
	ProviderID uint      `gorm:"not null;index"`   // the provider's user
	Active     bool      `gorm:"not null;default:true"`
	CreatedAt  time.Time `gorm:"not null"`
	UpdatedAt  time.Time `gorm:"not null"`
}

func (m0015Service) TableName() string { return "services" }

type m0015Rule struct {
	ID        uint   `gorm:"primaryKey"`
	ServiceID uint   `gorm:"not null;index"`
	Weekday   int    `gorm:"not null"` // 0 Sunday … 6 Saturday
	Start     string `gorm:"size:5;not null"`
	Capacity  int    `gorm:"not null"`
}

func (m0015Rule) TableName() string { return "availability_rules" }

type m0015Exception struct {
	ServiceID uint   `gorm:"primaryKey;autoIncrement:false"`
	Day       string `gorm:"primaryKey;size:10"`
	Closed    bool   `gorm:"not null"`
	Capacity  int    `gorm:"not null;default:0"`
}

func (m0015Exception) TableName() string { return "availability_exceptions" }

// Slots are the schedule made concrete for the weeks ahead; the conditional update of booked on
// this row is what keeps the last seat from being sold twice.
type m0015Slot struct {
	ID         uint64    `gorm:"primaryKey"`
	ServiceID  uint      `gorm:"not null;uniqueIndex:uq_slot,priority:1"`
	StartsAt   time.Time `gorm:"not null;uniqueIndex:uq_slot,priority:2"`
	EndsAt     time.Time `gorm:"not null"`
	ProviderID uint      `gorm:"not null"`
	Capacity   int       `gorm:"not null"`
	Booked     int       `gorm:"not null;default:0"`
	Closed     bool      `gorm:"not null;default:false"`
}

func (m0015Slot) TableName() string { return "slots" }

type m0015Booking struct {
	ID           uint64    `gorm:"primaryKey"`
	Number       string    `gorm:"size:20;not null;uniqueIndex"`
	EnterpriseID uint      `gorm:"not null;index"`
	UserID       uint      `gorm:"not null"`
	ServiceID    uint      `gorm:"not null"`
	ProviderID   uint      `gorm:"not null;index:idx_booking_provider,priority:1"`
	SlotID       uint64    `gorm:"not null;index"`
	StartsAt     time.Time `gorm:"not null;index:idx_booking_provider,priority:2"`
	EndsAt       time.Time `gorm:"not null"`
	Mode         string    `gorm:"size:10;not null"`
	Address      string    `gorm:"size:200"`
	Topic        string    `gorm:"type:text"`
	Status       string    `gorm:"size:12;not null"`
	CreatedAt    time.Time `gorm:"not null"`
	UpdatedAt    time.Time `gorm:"not null"`
}

func (m0015Booking) TableName() string { return "bookings" }

// Check-up reports are not part of any enforcement procedure (seed §2.8 一): only the enterprise
// and its provider ever read them.
type m0015Report struct {
	BookingID uint64    `gorm:"primaryKey;autoIncrement:false"`
	Findings  string    `gorm:"type:text;not null"`
	Advice    string    `gorm:"type:text;not null"`
	FollowUp  string    `gorm:"type:text"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m0015Report) TableName() string { return "checkup_reports" }

// Entrepreneur appointments (约见, seed §2.9 一).
type m0015Appointment struct {
	ID            uint64 `gorm:"primaryKey"`
	EnterpriseID  uint   `gorm:"not null;index"`
	UserID        uint   `gorm:"not null"`
	BodyID        uint   `gorm:"not null;index"`
	Topic         string `gorm:"type:text;not null"`
	PreferredAt   *time.Time
	MeetAt        *time.Time
	Place         string `gorm:"size:200"`
	Status        string `gorm:"size:12;not null"`
	Outcome       string `gorm:"type:text"`
	Score         int    `gorm:"not null;default:0"`
	RatingComment string `gorm:"size:500"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (m0015Appointment) TableName() string { return "appointments" }

// Risk alerts (seed §2.8 三), targeted by industry and county.
type m0015Alert struct {
	ID         uint64    `gorm:"primaryKey"`
	BodyID     *uint     `gorm:"index"`
	AuthorID   uint      `gorm:"not null"`
	Title      string    `gorm:"size:200;not null"`
	Body       string    `gorm:"type:text;not null"`
	Industries string    `gorm:"size:300"` // empty: all
	Counties   string    `gorm:"size:300"` // empty: all
	Reached    int       `gorm:"not null;default:0"`
	CreatedAt  time.Time `gorm:"not null"`
}

func (m0015Alert) TableName() string { return "risk_alerts" }

// The five-category penalty lists each body publishes (seed §2.8 三).
type m0015Penalty struct {
	ID          uint      `gorm:"primaryKey"`
	BodyID      uint      `gorm:"not null;index"`
	Category    string    `gorm:"size:12;not null"`
	Title       string    `gorm:"size:200;not null"`
	Basis       string    `gorm:"size:500;not null"`
	Description string    `gorm:"type:text"`
	PublishedOn string    `gorm:"size:10;not null"`
	CreatedAt   time.Time `gorm:"not null"`
}

func (m0015Penalty) TableName() string { return "penalty_entries" }

// Three documents together (三书同达): decision, compliance advice and credit-repair notice.
type m0015Bundle struct {
	ID           uint64    `gorm:"primaryKey"`
	Number       string    `gorm:"size:30;not null;uniqueIndex"`
	BodyID       uint      `gorm:"not null;index"`
	EnterpriseID uint      `gorm:"not null;index"`
	Decision     string    `gorm:"type:text;not null"`
	Advice       string    `gorm:"type:text;not null"`
	CreditRepair string    `gorm:"type:text;not null"`
	CreatedAt    time.Time `gorm:"not null"`
	ReadAt       *time.Time
}

func (m0015Bundle) TableName() string { return "document_bundles" }

func up0015(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0015Service{}, &m0015Rule{}, &m0015Exception{}, &m0015Slot{}, &m0015Booking{},
		&m0015Report{}, &m0015Appointment{}, &m0015Alert{}, &m0015Penalty{}, &m0015Bundle{}); err != nil {
		return err
	}
	// Slot search: a service's open slots by time.
	if err := tx.Exec("CREATE INDEX idx_slots_search ON slots (service_id, starts_at, booked, capacity)").Error; err != nil {
		return err
	}
	// Searching across every provider: open slots by time.
	return tx.Exec("CREATE INDEX idx_slots_time ON slots (starts_at, id)").Error
}
