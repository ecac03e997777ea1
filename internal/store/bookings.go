package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Service is one entry of the catalogue.
type Service struct {
	ID         uint `gorm:"primaryKey"`
	Code       string
	Kind       string
	NameZh     string
	NameEn     string
	DescZh     string
	DescEn     string
	Industries string
	Minutes    int
	Mode       string
	ProviderID uint
	Active     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Fits tells whether the service is for an enterprise of industry.
func (s Service) Fits(industry string) bool {
	if s.Industries == "" {
		return true
	}
	for _, i := range strings.Split(s.Industries, ",") {
		if i == industry {
			return true
		}
	}
	return false
}

// AvailabilityRule is one weekly recurring slot of a service.
type AvailabilityRule struct {
	ID        uint `gorm:"primaryKey"`
	ServiceID uint
	Weekday   int
	Start     string
	Capacity  int
}

// TableName maps the row to its table.
func (AvailabilityRule) TableName() string { return "availability_rules" }

// AvailabilityException closes a date or changes its capacity.
type AvailabilityException struct {
	ServiceID uint   `gorm:"primaryKey;autoIncrement:false"`
	Day       string `gorm:"primaryKey"`
	Closed    bool
	Capacity  int
}

// TableName maps the row to its table.
func (AvailabilityException) TableName() string { return "availability_exceptions" }

// Slot is one bookable time of a service.
type Slot struct {
	ID         uint64 `gorm:"primaryKey"`
	ServiceID  uint
	StartsAt   time.Time
	EndsAt     time.Time
	ProviderID uint
	Capacity   int
	Booked     int
	Closed     bool
}

// Booking is an enterprise's appointment for a service.
type Booking struct {
	ID           uint64 `gorm:"primaryKey"`
	Number       string
	EnterpriseID uint
	UserID       uint
	ServiceID    uint
	ProviderID   uint
	SlotID       uint64
	StartsAt     time.Time
	EndsAt       time.Time
	Mode         string
	Address      string
	Topic        string
	Status       string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// CheckupReport is what the provider found; only the enterprise and the provider read it.
type CheckupReport struct {
	BookingID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Findings  string
	Advice    string
	FollowUp  string
	CreatedAt time.Time
}

// SaveService creates or updates a catalogue entry.
func (s *Store) SaveService(ctx context.Context, sv *Service) error {
	return mapErr("save service", s.DB(ctx).Save(sv).Error)
}

// Service reads one catalogue entry.
func (s *Store) Service(ctx context.Context, id uint) (*Service, error) {
	var sv Service
	err := s.DB(ctx).First(&sv, id).Error
	return &sv, mapErr("service", err)
}

// Services lists the catalogue; active only unless all.
func (s *Store) Services(ctx context.Context, all bool) ([]Service, error) {
	var out []Service
	q := s.DB(ctx).Order("kind, id")
	if !all {
		q = q.Where("active = ?", true)
	}
	err := q.Find(&out).Error
	return out, mapErr("services", err)
}

// ServicesOf lists a provider's services.
func (s *Store) ServicesOf(ctx context.Context, providerID uint) ([]Service, error) {
	var out []Service
	err := s.DB(ctx).Where("provider_id = ?", providerID).Order("id").Find(&out).Error
	return out, mapErr("services of provider", err)
}

// ReplaceRules sets a service's weekly schedule whole.
func (s *Store) ReplaceRules(ctx context.Context, serviceID uint, rules []AvailabilityRule) error {
	if err := s.DB(ctx).Where("service_id = ?", serviceID).Delete(&AvailabilityRule{}).Error; err != nil {
		return mapErr("replace rules", err)
	}
	if len(rules) == 0 {
		return nil
	}
	for i := range rules {
		rules[i].ID, rules[i].ServiceID = 0, serviceID
	}
	return mapErr("replace rules", s.DB(ctx).Create(&rules).Error)
}

// Rules reads a service's weekly schedule.
func (s *Store) Rules(ctx context.Context, serviceID uint) ([]AvailabilityRule, error) {
	var out []AvailabilityRule
	err := s.DB(ctx).Where("service_id = ?", serviceID).Order("weekday, start").Find(&out).Error
	return out, mapErr("rules", err)
}

// SaveException records one date's exception.
func (s *Store) SaveException(ctx context.Context, e *AvailabilityException) error {
	return mapErr("save exception", s.DB(ctx).Save(e).Error)
}

// Exceptions reads a service's exceptions from day on.
func (s *Store) Exceptions(ctx context.Context, serviceID uint, fromDay string) ([]AvailabilityException, error) {
	var out []AvailabilityException
	err := s.DB(ctx).Where("service_id = ? AND day >= ?", serviceID, fromDay).Order("day").Find(&out).Error
	return out, mapErr("exceptions", err)
}

// SyncSlots makes the stored slots of a service from `from` on match want: new ones are added,
// capacities follow the schedule (never below what is booked), and slots the schedule no longer
// opens are closed rather than deleted, so bookings keep their slot.
func (s *Store) SyncSlots(ctx context.Context, serviceID, providerID uint, from time.Time, want []Slot) error {
	var have []Slot
	if err := s.DB(ctx).Where("service_id = ? AND starts_at >= ?", serviceID, from).Find(&have).Error; err != nil {
		return mapErr("sync slots", err)
	}
	byStart := map[int64]*Slot{}
	for i := range have {
		byStart[have[i].StartsAt.Unix()] = &have[i]
	}
	seen := map[int64]bool{}
	var add []Slot
	for _, w := range want {
		k := w.StartsAt.Unix()
		seen[k] = true
		h, ok := byStart[k]
		if !ok {
			w.ServiceID, w.ProviderID = serviceID, providerID
			add = append(add, w)
			continue
		}
		if h.Capacity != w.Capacity || h.Closed || !h.EndsAt.Equal(w.EndsAt) {
			if err := s.DB(ctx).Model(&Slot{}).Where("id = ?", h.ID).Updates(map[string]any{"capacity": max(w.Capacity, h.Booked), "closed": false, "ends_at": w.EndsAt}).Error; err != nil {
				return mapErr("sync slots", err)
			}
		}
	}
	for k, h := range byStart {
		if !seen[k] && !h.Closed {
			if err := s.DB(ctx).Model(&Slot{}).Where("id = ?", h.ID).Update("closed", true).Error; err != nil {
				return mapErr("sync slots", err)
			}
		}
	}
	if len(add) > 0 {
		if err := s.DB(ctx).CreateInBatches(&add, 500).Error; err != nil {
			return mapErr("sync slots", err)
		}
	}
	return nil
}

// Slot reads one slot.
func (s *Store) Slot(ctx context.Context, id uint64) (*Slot, error) {
	var sl Slot
	err := s.DB(ctx).First(&sl, id).Error
	return &sl, mapErr("slot", err)
}

// OpenSlots lists a service's slots between from and to that still have a seat.
func (s *Store) OpenSlots(ctx context.Context, serviceID uint, from, to time.Time) ([]Slot, error) {
	var out []Slot
	err := s.DB(ctx).Where("service_id = ? AND starts_at >= ? AND starts_at < ? AND booked < capacity AND closed = ?", serviceID, from, to, false).
		Order("starts_at").Find(&out).Error
	return out, mapErr("open slots", err)
}

// SlotHit is a search result: a slot with its service.
type SlotHit struct {
	Slot
	NameZh, NameEn, Mode string
}

// SearchSlots finds the earliest open slots of any active service of kind (all kinds if empty)
// that fits industry, from `from` on. Without a filter, slots are read in time order by index.
// With one, the few matching services are found first and their slots read in widening time
// windows, so a search never reads and sorts the services' whole eight-week horizon.
func (s *Store) SearchSlots(ctx context.Context, kind, industry string, from time.Time, limit int) ([]SlotHit, error) {
	base := func() *gorm.DB {
		return s.DB(ctx).Table("slots").Select("slots.*, services.name_zh, services.name_en, services.mode").
			Joins("JOIN services ON services.id = slots.service_id").
			Where("slots.starts_at >= ? AND slots.booked < slots.capacity AND slots.closed = ? AND services.active = ?", from, false, true).
			Order("slots.starts_at, slots.id").Limit(limit)
	}
	var out []SlotHit
	if kind == "" && industry == "" {
		err := base().Scan(&out).Error
		return out, mapErr("search slots", err)
	}
	sq := s.DB(ctx).Model(&Service{}).Where("active = ?", true)
	if kind != "" {
		sq = sq.Where("kind = ?", kind)
	}
	if industry != "" {
		sq = sq.Where("(industries = '' OR ',' || industries || ',' LIKE ?)", "%,"+industry+",%")
	}
	var ids []uint
	if err := sq.Pluck("id", &ids).Error; err != nil {
		return nil, mapErr("search slots", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	for _, days := range []int{1, 3, 7, 14, 28, 120} {
		out = out[:0]
		if err := base().Where("slots.service_id IN ? AND slots.starts_at < ?", ids, from.AddDate(0, 0, days)).Scan(&out).Error; err != nil {
			return nil, mapErr("search slots", err)
		}
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}

// TakeSeat books one seat of a slot if one is free, open and not begun: a single conditional
// update, so concurrent requests for the last seat cannot both win, on SQLite or PostgreSQL.
func (s *Store) TakeSeat(ctx context.Context, slotID uint64, now time.Time) (bool, error) {
	res := s.DB(ctx).Model(&Slot{}).Where("id = ? AND booked < capacity AND closed = ? AND starts_at > ?", slotID, false, now).
		Update("booked", gormExpr("booked + 1"))
	return res.RowsAffected == 1, mapErr("take seat", res.Error)
}

// FreeSeat gives a seat back.
func (s *Store) FreeSeat(ctx context.Context, slotID uint64) error {
	return mapErr("free seat", s.DB(ctx).Model(&Slot{}).Where("id = ? AND booked > 0", slotID).Update("booked", gormExpr("booked - 1")).Error)
}

// CreateBooking inserts b and gives it its number.
func (s *Store) CreateBooking(ctx context.Context, b *Booking) error {
	b.Number = fmt.Sprintf("T%d", time.Now().UnixNano())
	if err := s.DB(ctx).Create(b).Error; err != nil {
		return mapErr("create booking", err)
	}
	b.Number = fmt.Sprintf("YY%d%06d", b.CreatedAt.Year(), b.ID)
	return mapErr("number booking", s.DB(ctx).Model(b).Update("number", b.Number).Error)
}

// Booking reads one booking.
func (s *Store) Booking(ctx context.Context, id uint64) (*Booking, error) {
	var b Booking
	err := s.DB(ctx).First(&b, id).Error
	return &b, mapErr("booking", err)
}

// LockBooking reads a booking for update inside ctx's transaction.
func (s *Store) LockBooking(ctx context.Context, id uint64) (*Booking, error) {
	var b Booking
	q := s.DB(ctx)
	if s.Dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&b, id).Error
	return &b, mapErr("lock booking", err)
}

// UpdateBooking writes the changed fields of b.
func (s *Store) UpdateBooking(ctx context.Context, b *Booking) error {
	return mapErr("update booking", s.DB(ctx).Model(b).Select("slot_id", "starts_at", "ends_at", "status", "updated_at").Updates(b).Error)
}

// BookingFilter selects bookings: of an enterprise, or of a provider, optionally on one day.
type BookingFilter struct {
	EnterpriseID, ProviderID uint
	From, To                 time.Time
	Limit                    int
}

// Bookings lists bookings by filter, soonest first.
func (s *Store) Bookings(ctx context.Context, f BookingFilter) ([]Booking, error) {
	var out []Booking
	q := s.DB(ctx).Order("starts_at, id")
	switch {
	case f.EnterpriseID != 0:
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	case f.ProviderID != 0:
		q = q.Where("provider_id = ?", f.ProviderID)
	default:
		return nil, fmt.Errorf("store: bookings: %w", ErrNotFound) // never everything
	}
	if !f.From.IsZero() {
		q = q.Where("starts_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("starts_at < ?", f.To)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	err := q.Find(&out).Error
	return out, mapErr("bookings", err)
}

// SaveReport writes a check-up report once; a second is ErrConflict.
func (s *Store) SaveReport(ctx context.Context, r *CheckupReport) error {
	return mapErr("save report", s.DB(ctx).Create(r).Error)
}

// Report reads a booking's report.
func (s *Store) Report(ctx context.Context, bookingID uint64) (*CheckupReport, error) {
	var r CheckupReport
	err := s.DB(ctx).First(&r, "booking_id = ?", bookingID).Error
	return &r, mapErr("report", err)
}
