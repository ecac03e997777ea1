package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Appointment is an entrepreneur's request to meet a body's head (约见).
type Appointment struct {
	ID            uint64 `gorm:"primaryKey"`
	EnterpriseID  uint
	UserID        uint
	BodyID        uint
	Topic         string
	PreferredAt   *time.Time
	MeetAt        *time.Time
	Place         string
	Status        string
	Outcome       string
	Score         int
	RatingComment string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// RiskAlert is a warning pushed to the enterprises it targets.
type RiskAlert struct {
	ID         uint64 `gorm:"primaryKey"`
	BodyID     *uint
	AuthorID   uint
	Title      string
	Body       string
	Industries string
	Counties   string
	Reached    int
	CreatedAt  time.Time
}

// PenaltyEntry is one line of a body's five-category penalty list.
type PenaltyEntry struct {
	ID          uint `gorm:"primaryKey"`
	BodyID      uint
	Category    string
	Title       string
	Basis       string
	Description string
	PublishedOn string
	CreatedAt   time.Time
}

// DocumentBundle is the three documents delivered together (三书同达).
type DocumentBundle struct {
	ID           uint64 `gorm:"primaryKey"`
	Number       string
	BodyID       uint
	EnterpriseID uint
	Decision     string
	Advice       string
	CreditRepair string
	CreatedAt    time.Time
	ReadAt       *time.Time
}

// CreateAppointment inserts a.
func (s *Store) CreateAppointment(ctx context.Context, a *Appointment) error {
	return mapErr("create appointment", s.DB(ctx).Create(a).Error)
}

// Appointment reads one; forUpdate locks it on PostgreSQL.
func (s *Store) Appointment(ctx context.Context, id uint64, forUpdate bool) (*Appointment, error) {
	var a Appointment
	q := s.DB(ctx)
	if forUpdate && s.Dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&a, id).Error
	return &a, mapErr("appointment", err)
}

// SaveAppointment writes a whole.
func (s *Store) SaveAppointment(ctx context.Context, a *Appointment) error {
	return mapErr("save appointment", s.DB(ctx).Save(a).Error)
}

// Appointments lists an enterprise's (enterpriseID != 0) or a body's appointments, newest first.
func (s *Store) Appointments(ctx context.Context, enterpriseID, bodyID uint) ([]Appointment, error) {
	var out []Appointment
	q := s.DB(ctx).Order("id desc").Limit(200)
	switch {
	case enterpriseID != 0:
		q = q.Where("enterprise_id = ?", enterpriseID)
	case bodyID != 0:
		q = q.Where("body_id = ?", bodyID)
	default:
		return nil, fmt.Errorf("store: appointments: %w", ErrNotFound)
	}
	err := q.Find(&out).Error
	return out, mapErr("appointments", err)
}

// CreateAlert inserts a.
func (s *Store) CreateAlert(ctx context.Context, a *RiskAlert) error {
	return mapErr("create alert", s.DB(ctx).Create(a).Error)
}

// SetAlertReach records how many enterprises an alert reached.
func (s *Store) SetAlertReach(ctx context.Context, id uint64, n int) error {
	return mapErr("alert reach", s.DB(ctx).Model(&RiskAlert{}).Where("id = ?", id).Update("reached", n).Error)
}

// Alert reads one alert.
func (s *Store) Alert(ctx context.Context, id uint64) (*RiskAlert, error) {
	var a RiskAlert
	err := s.DB(ctx).First(&a, id).Error
	return &a, mapErr("alert", err)
}

// Alerts lists the newest alerts.
func (s *Store) Alerts(ctx context.Context, limit int) ([]RiskAlert, error) {
	var out []RiskAlert
	err := s.DB(ctx).Order("id desc").Limit(limit).Find(&out).Error
	return out, mapErr("alerts", err)
}

// EnterpriseIDsIn lists enterprises in any of industries and counties (empty: any).
func (s *Store) EnterpriseIDsIn(ctx context.Context, industries, counties []string) ([]uint, error) {
	var ids []uint
	q := s.DB(ctx).Table("enterprises")
	if len(industries) > 0 {
		q = q.Where("industry IN ?", industries)
	}
	if len(counties) > 0 {
		q = q.Where("county_code IN ?", counties)
	}
	err := q.Order("id").Pluck("id", &ids).Error
	return ids, mapErr("enterprises in", err)
}

// EnterpriseUserIDs lists the active logins of the given enterprises.
func (s *Store) EnterpriseUserIDs(ctx context.Context, enterpriseIDs []uint) ([]uint, error) {
	var ids []uint
	if len(enterpriseIDs) == 0 {
		return nil, nil
	}
	err := s.DB(ctx).Table("users").Where("enterprise_id IN ? AND disabled = ?", enterpriseIDs, false).Order("id").Pluck("id", &ids).Error
	return ids, mapErr("enterprise users", err)
}

// AddPenalty inserts a penalty-list entry.
func (s *Store) AddPenalty(ctx context.Context, p *PenaltyEntry) error {
	return mapErr("add penalty", s.DB(ctx).Create(p).Error)
}

// Penalties lists a body's penalty-list entries by category.
func (s *Store) Penalties(ctx context.Context, bodyID uint) ([]PenaltyEntry, error) {
	var out []PenaltyEntry
	err := s.DB(ctx).Where("body_id = ?", bodyID).Order("category, id").Find(&out).Error
	return out, mapErr("penalties", err)
}

// CreateBundle inserts b and numbers it.
func (s *Store) CreateBundle(ctx context.Context, b *DocumentBundle) error {
	b.Number = fmt.Sprintf("T%d", time.Now().UnixNano())
	if err := s.DB(ctx).Create(b).Error; err != nil {
		return mapErr("create bundle", err)
	}
	b.Number = fmt.Sprintf("SSTD%d%06d", b.CreatedAt.Year(), b.ID)
	return mapErr("number bundle", s.DB(ctx).Model(b).Update("number", b.Number).Error)
}

// Bundle reads one bundle.
func (s *Store) Bundle(ctx context.Context, id uint64) (*DocumentBundle, error) {
	var b DocumentBundle
	err := s.DB(ctx).First(&b, id).Error
	return &b, mapErr("bundle", err)
}

// MarkBundleRead records the enterprise's first reading.
func (s *Store) MarkBundleRead(ctx context.Context, id uint64, at time.Time) error {
	return mapErr("bundle read", s.DB(ctx).Model(&DocumentBundle{}).Where("id = ? AND read_at IS NULL", id).Update("read_at", at).Error)
}

// Bundles lists an enterprise's or a body's bundles.
func (s *Store) Bundles(ctx context.Context, enterpriseID, bodyID uint) ([]DocumentBundle, error) {
	var out []DocumentBundle
	q := s.DB(ctx).Order("id desc").Limit(200)
	switch {
	case enterpriseID != 0:
		q = q.Where("enterprise_id = ?", enterpriseID)
	case bodyID != 0:
		q = q.Where("body_id = ?", bodyID)
	}
	err := q.Find(&out).Error
	return out, mapErr("bundles", err)
}
