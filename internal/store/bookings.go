package store

import (
	"context"
	"fmt"
	"slices"
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
	Industries []string `gorm:"-"` // from service_industries; empty: every industry
	Minutes    int
	Mode       string
	ProviderID uint
	Active     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ServiceIndustry is one industry a service is meant for.
type ServiceIndustry struct {
	ServiceID uint   `gorm:"primaryKey;autoIncrement:false"`
	Industry  string `gorm:"primaryKey"`
}

// TableName maps the row to its table.
func (ServiceIndustry) TableName() string { return "service_industries" }

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

// SaveService creates or updates a catalogue entry with its industries, in one transaction.
func (s *Store) SaveService(ctx context.Context, sv *Service) error {
	return s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.DB(ctx).Save(sv).Error; err != nil {
			return mapErr("save service", err)
		}
		if err := s.DB(ctx).Where("service_id = ?", sv.ID).Delete(&ServiceIndustry{}).Error; err != nil {
			return mapErr("save service industries", err)
		}
		var rows []ServiceIndustry
		for _, ind := range sv.Industries {
			if !slices.ContainsFunc(rows, func(r ServiceIndustry) bool { return r.Industry == ind }) {
				rows = append(rows, ServiceIndustry{ServiceID: sv.ID, Industry: ind})
			}
		}
		if len(rows) == 0 {
			return nil
		}
		return mapErr("save service industries", s.DB(ctx).Create(&rows).Error)
	})
}

// Service reads one catalogue entry.
func (s *Store) Service(ctx context.Context, id uint) (*Service, error) {
	return oneWith(ctx, s, "service", id, s.withIndustries)
}

// oneWith reads row id of T and fills in its lists as fill does for many rows.
func oneWith[T, K any](ctx context.Context, s *Store, op string, id K, fill func(context.Context, []T) error) (*T, error) {
	var row T
	if err := s.DB(ctx).First(&row, id).Error; err != nil {
		return &row, mapErr(op, err)
	}
	list := []T{row}
	err := fill(ctx, list)
	return &list[0], err
}

// Services lists the catalogue; active only unless all.
func (s *Store) Services(ctx context.Context, all bool) ([]Service, error) {
	var out []Service
	q := s.DB(ctx).Order("kind, id")
	if !all {
		q = q.Where("active = ?", true)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, mapErr("services", err)
	}
	return out, s.withIndustries(ctx, out)
}

// ServicesOf lists a provider's services.
func (s *Store) ServicesOf(ctx context.Context, providerID uint) ([]Service, error) {
	var out []Service
	if err := s.DB(ctx).Where("provider_id = ?", providerID).Order("id").Find(&out).Error; err != nil {
		return nil, mapErr("services of provider", err)
	}
	return out, s.withIndustries(ctx, out)
}

// withIndustries fills each service's industries from the join table.
func (s *Store) withIndustries(ctx context.Context, svcs []Service) error {
	at, ids := positions(svcs, func(sv *Service) uint { return sv.ID })
	return childrenOf(ctx, s, "service industries", "service_id", "service_id, industry", ids, func(r *ServiceIndustry) {
		sv := &svcs[at[r.ServiceID]]
		sv.Industries = append(sv.Industries, r.Industry)
	})
}

// positions gives each row's key its place in rows, and the keys in order.
func positions[T any, K comparable](rows []T, key func(*T) K) (map[K]int, []K) {
	at := make(map[K]int, len(rows))
	keys := make([]K, len(rows))
	for i := range rows {
		keys[i] = key(&rows[i])
		at[keys[i]] = i
	}
	return at, keys
}

// childrenOf reads the rows of R whose column holds one of ids, in order, and hands each to put.
// It asks a chunk of ids at a time: the databases cap a statement's parameters.
func childrenOf[R any, K comparable](ctx context.Context, s *Store, op, column, order string, ids []K, put func(*R)) error {
	for chunk := range slices.Chunk(ids, 5000) {
		var rows []R
		if err := s.DB(ctx).Where(column+" IN ?", chunk).Order(order).Find(&rows).Error; err != nil {
			return mapErr(op, err)
		}
		for i := range rows {
			put(&rows[i])
		}
	}
	return nil
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
		// Meant for the industry, or for every industry (no rows).
		sq = sq.Where("(id IN (SELECT service_id FROM service_industries WHERE industry = ?) OR id NOT IN (SELECT service_id FROM service_industries))", industry)
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
	return s.insertNumbered(ctx, "booking", b, &b.Number, "YY", b.CreatedAt, &b.ID)
}

// insertNumbered inserts row under a unique placeholder number, then gives it its own: prefix,
// year and id, which exists only once the row does.
func (s *Store) insertNumbered(ctx context.Context, op string, row any, number *string, prefix string, at time.Time, id *uint64) error {
	*number = fmt.Sprintf("T%d", time.Now().UnixNano())
	if err := s.DB(ctx).Create(row).Error; err != nil {
		return mapErr("create "+op, err)
	}
	*number = fmt.Sprintf("%s%d%06d", prefix, at.Year(), *id)
	return mapErr("number "+op, s.DB(ctx).Model(row).Update("number", *number).Error)
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
	Statuses                 []string // only these, when any
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
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
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
