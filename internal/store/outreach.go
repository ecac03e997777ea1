package store

import (
	"context"
	"fmt"
	"qijian/internal/account"
	"slices"
	"time"

	"gorm.io/gorm"
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
	Industries []string `gorm:"-"` // from risk_alert_industries; empty: every industry
	Counties   []string `gorm:"-"` // from risk_alert_counties; empty: every county
	Reached    int
	CreatedAt  time.Time
}

// alertIndustry and alertCounty are the targets of an alert.
type alertIndustry struct {
	AlertID  uint64 `gorm:"primaryKey;autoIncrement:false"`
	Industry string `gorm:"primaryKey"`
}

func (alertIndustry) TableName() string { return "risk_alert_industries" }

type alertCounty struct {
	AlertID    uint64 `gorm:"primaryKey;autoIncrement:false"`
	CountyCode string `gorm:"primaryKey"`
}

func (alertCounty) TableName() string { return "risk_alert_counties" }

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
	return newestOwned[Appointment](ctx, s, "appointments", enterpriseID, bodyID)
}

// newestOwned lists the newest rows of T of one enterprise (enterpriseID != 0) or one body; with
// neither it refuses rather than list everyone's.
func newestOwned[T any](ctx context.Context, s *Store, op string, enterpriseID, bodyID uint) ([]T, error) {
	q := s.DB(ctx).Order("id desc").Limit(200)
	switch {
	case enterpriseID != 0:
		q = q.Where("enterprise_id = ?", enterpriseID)
	case bodyID != 0:
		q = q.Where("body_id = ?", bodyID)
	default:
		return nil, fmt.Errorf("store: %s: %w", op, ErrNotFound)
	}
	var out []T
	err := q.Find(&out).Error
	return out, mapErr(op, err)
}

// CreateAlert inserts a with its targets, in one transaction.
func (s *Store) CreateAlert(ctx context.Context, a *RiskAlert) error {
	return s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.DB(ctx).Create(a).Error; err != nil {
			return mapErr("create alert", err)
		}
		var inds []alertIndustry
		for _, v := range slices.Compact(slices.Sorted(slices.Values(a.Industries))) {
			inds = append(inds, alertIndustry{AlertID: a.ID, Industry: v})
		}
		var cts []alertCounty
		for _, v := range slices.Compact(slices.Sorted(slices.Values(a.Counties))) {
			cts = append(cts, alertCounty{AlertID: a.ID, CountyCode: v})
		}
		if len(inds) > 0 {
			if err := s.DB(ctx).Create(&inds).Error; err != nil {
				return mapErr("create alert industries", err)
			}
		}
		if len(cts) > 0 {
			if err := s.DB(ctx).Create(&cts).Error; err != nil {
				return mapErr("create alert counties", err)
			}
		}
		return nil
	})
}

// SetAlertReach records how many enterprises an alert reached.
func (s *Store) SetAlertReach(ctx context.Context, id uint64, n int) error {
	return mapErr("alert reach", s.DB(ctx).Model(&RiskAlert{}).Where("id = ?", id).Update("reached", n).Error)
}

// Alert reads one alert with its targets.
func (s *Store) Alert(ctx context.Context, id uint64) (*RiskAlert, error) {
	return oneWith(ctx, s, "alert", id, s.withTargets)
}

// Alerts lists the newest alerts.
func (s *Store) Alerts(ctx context.Context, limit int) ([]RiskAlert, error) {
	return s.alerts(ctx, s.DB(ctx), limit)
}

// AlertsTargeting lists the newest alerts meant for an enterprise of industry in county: each
// list of targets is empty or names it.
func (s *Store) AlertsTargeting(ctx context.Context, industry, county string, limit int) ([]RiskAlert, error) {
	q := s.DB(ctx).
		Where("(NOT EXISTS (SELECT 1 FROM risk_alert_industries t WHERE t.alert_id = risk_alerts.id) OR EXISTS (SELECT 1 FROM risk_alert_industries t WHERE t.alert_id = risk_alerts.id AND t.industry = ?))", industry).
		Where("(NOT EXISTS (SELECT 1 FROM risk_alert_counties t WHERE t.alert_id = risk_alerts.id) OR EXISTS (SELECT 1 FROM risk_alert_counties t WHERE t.alert_id = risk_alerts.id AND t.county_code = ?))", county)
	return s.alerts(ctx, q, limit)
}

func (s *Store) alerts(ctx context.Context, q *gorm.DB, limit int) ([]RiskAlert, error) {
	var out []RiskAlert
	if err := q.Order("id desc").Limit(limit).Find(&out).Error; err != nil {
		return nil, mapErr("alerts", err)
	}
	return out, s.withTargets(ctx, out)
}

// withTargets fills each alert's industries and counties from the join tables.
func (s *Store) withTargets(ctx context.Context, alerts []RiskAlert) error {
	at, ids := positions(alerts, func(a *RiskAlert) uint64 { return a.ID })
	if err := childrenOf(ctx, s, "alert industries", "alert_id", "alert_id, industry", ids, func(r *alertIndustry) {
		a := &alerts[at[r.AlertID]]
		a.Industries = append(a.Industries, r.Industry)
	}); err != nil {
		return err
	}
	return childrenOf(ctx, s, "alert counties", "alert_id", "alert_id, county_code", ids, func(r *alertCounty) {
		a := &alerts[at[r.AlertID]]
		a.Counties = append(a.Counties, r.CountyCode)
	})
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

// EnterpriseUserIDs lists the active logins of the given enterprises that act for them
// (account.ReceivesFor: no applicant whose claim is not approved).
func (s *Store) EnterpriseUserIDs(ctx context.Context, enterpriseIDs []uint) ([]uint, error) {
	var ids []uint
	if len(enterpriseIDs) == 0 {
		return nil, nil
	}
	var rows []account.User
	if err := s.DB(ctx).Where("enterprise_id IN ? AND disabled = ?", enterpriseIDs, false).Order("id").Find(&rows).Error; err != nil {
		return nil, mapErr("enterprise users", err)
	}
	for i := range rows {
		if account.ReceivesFor(&rows[i], *rows[i].EnterpriseID) {
			ids = append(ids, rows[i].ID)
		}
	}
	return ids, nil
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
	return s.insertNumbered(ctx, "bundle", b, &b.Number, "SSTD", b.CreatedAt, &b.ID)
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

// Bundles lists an enterprise's (enterpriseID != 0) or a body's bundles, newest first.
func (s *Store) Bundles(ctx context.Context, enterpriseID, bodyID uint) ([]DocumentBundle, error) {
	return newestOwned[DocumentBundle](ctx, s, "bundles", enterpriseID, bodyID)
}
