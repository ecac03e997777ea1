package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// WorkOrder is a complaint, report or appeal as stored (工单).
type WorkOrder struct {
	ID             uint64 `gorm:"primaryKey"`
	Number         string
	Type           string
	Description    string
	Status         string
	Level          int
	Channel        string
	UnitBodyID     *uint
	CountyCode     string
	EnterpriseID   uint
	FiledByUserID  uint   // 0 for a clue the system raised
	Source         string // who raised it: enterprise, observer, system or phone (grievance/lifecycle.Source)
	ObserverID     *uint
	Anonymous      bool
	InspectionCode string
	BodyID         *uint
	AssigneeID     *uint
	Rating         int
	ReopenCount    int
	ReturnReason   string
	ReturnCode     string // migration 0034: the bounce's reason code
	ReturnCount    int
	ReturnedUnitID *uint
	// Extensions (延期) granted, and the one asked for with its reason; and since when the order
	// waits on the enterprise (补充材料). Migration 0034.
	ExtensionCount  int
	ExtensionUntil  *time.Time
	ExtensionReason string
	PausedAt        *time.Time
	FollowSolved    *bool // the follow-up's answer (回访), solved and satisfied apart
	FollowSatisfied *bool
	FollowFailures  int
	Urgent          bool       // 紧急: the urgent rows of the limits table apply (migration 0039)
	ConsentAt       *time.Time // an observation point's filing: when the member consented
	NextDueAt       *time.Time
	ClosedAt        *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	MergedIntoID    *uint64 // migration 0040: a merged duplicate's main order
	// CoBodyIDs are the co-handling units (协办) still on the order, filled by OrderCohandlerBodies
	// where access is decided; not a column.
	CoBodyIDs []uint `gorm:"-"`
}

// OrderReason is one reason an order names (illegal inspections: a rule id, or "other").
type OrderReason struct {
	OrderID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Reason  string `gorm:"primaryKey"`
}

// TableName maps the row to its table.
func (OrderReason) TableName() string { return "order_reasons" }

// OrderEvent is one line of an order's timeline.
type OrderEvent struct {
	ID         uint64 `gorm:"primaryKey"`
	OrderID    uint64
	At         time.Time
	ActorID    uint
	ActorRole  string
	Action     string
	FromStatus string
	ToStatus   string
	Level      int
	Note       string
}

// Deadline is one SLA stage of an order; the row, not the queue, is the record that it is due.
type Deadline struct {
	ID         uint64 `gorm:"primaryKey"`
	OrderID    uint64
	Stage      string
	Round      int
	StartedAt  time.Time
	DueAt      time.Time
	RemindAt   time.Time
	RemindedAt *time.Time
	BreachedAt *time.Time
	MetAt      *time.Time
	// SupersededAt is when the stage was set aside unmet: the order moved to another unit or
	// channel and the stage runs again from a new row (migration 0033).
	SupersededAt *time.Time
	// OriginalDueAt is the due time before an extension moved it (migration 0034); PausedSeconds
	// is the working time the stage stood still while the order waited on the enterprise.
	OriginalDueAt *time.Time
	PausedSeconds int64
}

// ExtensionLimit is how many extensions an order of a channel and type ("*": any) may have, and
// how many working days each may add.
type ExtensionLimit struct {
	ID       uint `gorm:"primaryKey"`
	Channel  string
	Type     string
	MaxCount int
	MaxDays  int
}

// TableName maps the row to its table.
func (ExtensionLimit) TableName() string { return "extension_limits" }

// ExtensionLimitFor finds the limit for a channel and type, preferring the type's own row over
// "*"; ErrNotFound when neither exists.
func (s *Store) ExtensionLimitFor(ctx context.Context, channel, typ string) (ExtensionLimit, error) {
	var out []ExtensionLimit
	if err := s.DB(ctx).Where("channel = ? AND type IN (?, '*')", channel, typ).Find(&out).Error; err != nil {
		return ExtensionLimit{}, mapErr("extension limit", err)
	}
	var found *ExtensionLimit
	for i := range out {
		if out[i].Type == typ || found == nil {
			found = &out[i]
		}
	}
	if found == nil {
		return ExtensionLimit{}, mapErr("extension limit", errNoRows)
	}
	return *found, nil
}

// TableName maps the row to its table.
func (Deadline) TableName() string { return "order_deadlines" }

// RoutingRule maps type × county × body to a channel and handling unit.
type RoutingRule struct {
	ID         uint `gorm:"primaryKey"`
	Type       string
	CountyCode string
	BodyID     *uint
	Channel    string
	UnitBodyID *uint
	Position   int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// SLAPolicy is one stage's allowance for a channel, matter type ("*": the channel's fallback)
// and urgency (migration 0039: a row for urgent orders apart).
type SLAPolicy struct {
	ID      uint `gorm:"primaryKey"`
	Channel string
	Type    string
	Stage   string
	Urgent  bool
	Amount  int
	Unit    string
}

// TableName maps the row to its table.
func (SLAPolicy) TableName() string { return "sla_policies" }

type idempotencyKey struct {
	UserID      uint   `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	OrderID     uint64
	RequestHash string // migration 0032
	CreatedAt   time.Time
}

func (idempotencyKey) TableName() string { return "idempotency_keys" }

// Order reads one order; inside a PostgreSQL transaction it locks the row for the update
// that follows.
func (s *Store) Order(ctx context.Context, id uint64, forUpdate bool) (*WorkOrder, error) {
	var o WorkOrder
	q := s.DB(ctx)
	if forUpdate && s.Dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&o, id).Error
	return &o, mapErr("order", err)
}

// SaveOrder writes every field of o.
func (s *Store) SaveOrder(ctx context.Context, o *WorkOrder) error {
	return mapErr("save order", s.DB(ctx).Save(o).Error)
}

// AddOrderEvent appends to an order's timeline.
func (s *Store) AddOrderEvent(ctx context.Context, e *OrderEvent) error {
	return mapErr("order event", s.DB(ctx).Create(e).Error)
}

// OrderReasons lists the reasons an order names, in their text's order.
func (s *Store) OrderReasons(ctx context.Context, orderID uint64) ([]string, error) {
	var out []string
	err := s.DB(ctx).Model(&OrderReason{}).Where("order_id = ?", orderID).Order("reason").Pluck("reason", &out).Error
	return out, mapErr("order reasons", err)
}

// ClearOrderReasons removes every reason of an order.
func (s *Store) ClearOrderReasons(ctx context.Context, orderID uint64) error {
	return mapErr("clear order reasons", s.DB(ctx).Where("order_id = ?", orderID).Delete(&OrderReason{}).Error)
}

// OrderEvents is an order's timeline, oldest first.
func (s *Store) OrderEvents(ctx context.Context, orderID uint64) ([]OrderEvent, error) {
	var out []OrderEvent
	err := s.DB(ctx).Where("order_id = ?", orderID).Order("id").Find(&out).Error
	return out, mapErr("order events", err)
}

// OrderFilter selects orders for a list. Scope fields restrict by who asks; the rest by choice.
// A filter must state its scope: with none of the scope fields set and not All, Orders refuses
// it (ErrUnscoped) rather than list every order.
type OrderFilter struct {
	All          bool   // no scope: every order (admins, city-level liaisons)
	EnterpriseID uint   // enterprise and observation-point views
	ObserverID   uint   // orders an observation point filed
	UnitBodyID   uint   // a handling unit's orders
	CountyCode   string // a county liaison's scope
	TakenByID    uint   // the orders a hotline operator took by phone (source phone, filed by it)
	Status       string
	Channel      string
	Type         string
	Rule         string   // a rule id among the order's reasons (a clue's rule, or one the filer named)
	Source       string   // who raised it (system: the automatic checks' clues)
	NotStatuses  []string // statuses left out (the complaint queue leaves the clues under review out)
	Level        *int
	Late         bool // a deadline is already past
	AtRisk       bool // a reminder time has passed but not the deadline
	Now          time.Time
	Limit        int
	// Search: an order number (or part of one), an enterprise's name (or part) or its credit
	// code. SearchNamedOnly keeps anonymous orders from the name and credit-code match (a viewer
	// who may not know their reporter must not learn it by searching); the number still finds
	// them, as the number is all such a viewer sees.
	Search          string
	SearchNamedOnly bool
}

// likeEscaper makes what a person typed literal inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// ErrUnscoped is the answer to a list filter that names no scope.
var ErrUnscoped = errors.New("store: orders: the filter names no scope")

func (f OrderFilter) scoped() bool {
	return f.All || f.EnterpriseID != 0 || f.ObserverID != 0 || f.UnitBodyID != 0 || f.CountyCode != "" || f.TakenByID != 0
}

// Orders lists orders matching f, nearest deadline first, then newest.
func (s *Store) Orders(ctx context.Context, f OrderFilter) ([]WorkOrder, error) {
	if !f.scoped() {
		return nil, ErrUnscoped
	}
	q := s.DB(ctx).Model(&WorkOrder{})
	if f.EnterpriseID != 0 {
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	}
	if f.ObserverID != 0 {
		q = q.Where("observer_id = ?", f.ObserverID)
	}
	if f.UnitBodyID != 0 {
		// The unit's own orders and those it co-handles (协办, migration 0040).
		q = q.Where("(unit_body_id = ? OR id IN (SELECT order_id FROM order_cohandlers WHERE body_id = ? AND removed_at IS NULL))", f.UnitBodyID, f.UnitBodyID)
	}
	if f.TakenByID != 0 {
		// The source as a literal: the partial index of phone orders (migration 0042) is chosen for it.
		q = q.Where("source = 'phone' AND filed_by_user_id = ?", f.TakenByID)
	}
	if f.CountyCode != "" {
		q = q.Where("county_code = ?", f.CountyCode)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if len(f.NotStatuses) > 0 {
		q = q.Where("status NOT IN ?", f.NotStatuses)
	}
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if f.Rule != "" {
		// A probe of order_reasons' key (order_id, reason) per order the scope's index yields in
		// deadline order: the list stops at its limit without reading every order of the rule.
		q = q.Where("EXISTS (SELECT 1 FROM order_reasons r WHERE r.order_id = work_orders.id AND r.reason = ?)", f.Rule)
	}
	if f.Source != "" {
		q = q.Where("source = ?", f.Source)
	}
	if f.Level != nil {
		q = q.Where("level = ?", *f.Level)
	}
	if f.Late {
		q = q.Where("next_due_at IS NOT NULL AND next_due_at < ?", f.Now)
	}
	if f.AtRisk {
		q = q.Where("id IN (SELECT order_id FROM order_deadlines WHERE met_at IS NULL AND breached_at IS NULL AND superseded_at IS NULL AND remind_at <= ? AND due_at > ?)", f.Now, f.Now)
	}
	if q0 := strings.TrimSpace(f.Search); q0 != "" {
		like := "%" + likeEscaper.Replace(strings.ToUpper(q0)) + "%"
		party := "enterprise_id IN (SELECT id FROM enterprises WHERE UPPER(name) LIKE ? ESCAPE '\\' OR uscc = ?)"
		if f.SearchNamedOnly {
			party = "(anonymous = ? AND " + party + ")"
			q = q.Where("(UPPER(number) LIKE ? ESCAPE '\\' OR "+party+")", like, false, like, strings.ToUpper(q0))
		} else {
			q = q.Where("(UPPER(number) LIKE ? ESCAPE '\\' OR "+party+")", like, like, strings.ToUpper(q0))
		}
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	var out []WorkOrder
	// NULLS LAST is the default for ascending order on PostgreSQL and is said explicitly for SQLite;
	// with the (scope, next_due_at, id) indexes the first page is read in order, not sorted.
	err := q.Order("next_due_at ASC NULLS LAST, id").Limit(f.Limit).Find(&out).Error
	return out, mapErr("orders", err)
}

// RoutingRules lists the routing table in order.
func (s *Store) RoutingRules(ctx context.Context) ([]RoutingRule, error) {
	return cachedRead(ctx, s, "routing_rules", func(ctx context.Context) ([]RoutingRule, error) {
		var out []RoutingRule
		err := s.DB(ctx).Order("position, id").Find(&out).Error
		return out, mapErr("routing rules", err)
	})
}

// SLAPolicies lists the SLA table.
func (s *Store) SLAPolicies(ctx context.Context) ([]SLAPolicy, error) {
	return cachedRead(ctx, s, "sla_policies", func(ctx context.Context) ([]SLAPolicy, error) {
		var out []SLAPolicy
		err := s.DB(ctx).Order("channel, type, urgent, id").Find(&out).Error
		return out, mapErr("sla policies", err)
	})
}

// OpenDeadlines lists an order's deadlines not yet met, breached or set aside.
func (s *Store) OpenDeadlines(ctx context.Context, orderID uint64) ([]Deadline, error) {
	var out []Deadline
	err := s.DB(ctx).Where("order_id = ? AND met_at IS NULL AND breached_at IS NULL AND superseded_at IS NULL", orderID).Order("due_at").Find(&out).Error
	return out, mapErr("open deadlines", err)
}

// CreateDeadline stores d; a second open row of the same order, stage and round is ErrConflict.
func (s *Store) CreateDeadline(ctx context.Context, d *Deadline) error {
	return mapErr("create deadline", s.DB(ctx).Create(d).Error)
}

// Deadline reads one deadline.
func (s *Store) Deadline(ctx context.Context, id uint64) (*Deadline, error) {
	var d Deadline
	err := s.DB(ctx).First(&d, id).Error
	return &d, mapErr("deadline", err)
}

// LockDeadline reads one deadline and, on PostgreSQL, locks it until ctx's transaction ends, so
// two timers for the same deadline act one after the other and the second sees the first's mark.
func (s *Store) LockDeadline(ctx context.Context, id uint64) (*Deadline, error) {
	var d Deadline
	q := s.DB(ctx)
	if s.Dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&d, id).Error
	return &d, mapErr("deadline", err)
}

// SaveDeadline writes d.
func (s *Store) SaveDeadline(ctx context.Context, d *Deadline) error {
	return mapErr("save deadline", s.DB(ctx).Save(d).Error)
}

// OrderDeadlines lists every deadline of an order, by round and due time.
func (s *Store) OrderDeadlines(ctx context.Context, orderID uint64) ([]Deadline, error) {
	var out []Deadline
	err := s.DB(ctx).Where("order_id = ?", orderID).Order("round, due_at").Find(&out).Error
	return out, mapErr("order deadlines", err)
}

// AddRoutingRule appends a rule.
func (s *Store) AddRoutingRule(ctx context.Context, r *RoutingRule) error {
	return mapErr("add routing rule", s.DB(ctx).Create(r).Error)
}

// DeleteRoutingRule removes a rule.
func (s *Store) DeleteRoutingRule(ctx context.Context, id uint) error {
	res := s.DB(ctx).Delete(&RoutingRule{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr("delete routing rule", errNoRows)
	}
	return mapErr("delete routing rule", res.Error)
}

// SetSLAPolicy changes one stage's allowance.
func (s *Store) SetSLAPolicy(ctx context.Context, id uint, amount int, unit string) error {
	res := s.DB(ctx).Model(&SLAPolicy{}).Where("id = ?", id).Updates(map[string]any{"amount": amount, "unit": unit})
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr("set sla policy", errNoRows)
	}
	return mapErr("set sla policy", res.Error)
}

// AddSLAPolicy adds a row to the limits table; a row of the same channel, type, stage and
// urgency is ErrConflict.
func (s *Store) AddSLAPolicy(ctx context.Context, p *SLAPolicy) error {
	return mapErr("add sla policy", s.DB(ctx).Create(p).Error)
}

// SLAPolicyByID reads one row of the limits table.
func (s *Store) SLAPolicyByID(ctx context.Context, id uint) (SLAPolicy, error) {
	var p SLAPolicy
	err := s.DB(ctx).First(&p, id).Error
	return p, mapErr("sla policy", err)
}

// DeleteSLAPolicy removes a row of the limits table.
func (s *Store) DeleteSLAPolicy(ctx context.Context, id uint) error {
	res := s.DB(ctx).Delete(&SLAPolicy{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr("delete sla policy", errNoRows)
	}
	return mapErr("delete sla policy", res.Error)
}

// MemberFigures counts, per enterprise, the orders filed and the inspections scheduled in
// [from, to), for an observation point's monthly view.
type MemberFigures struct {
	EnterpriseID uint
	Orders       int64
	OrdersOpen   int64
	Inspections  int64
}

// MonthlyFigures computes MemberFigures for the given enterprises.
func (s *Store) MonthlyFigures(ctx context.Context, ids []uint, from, to time.Time) ([]MemberFigures, error) {
	out := make([]MemberFigures, 0, len(ids))
	for _, id := range ids {
		f := MemberFigures{EnterpriseID: id}
		q := s.DB(ctx).Model(&WorkOrder{}).Where("enterprise_id = ? AND created_at >= ? AND created_at < ?", id, from.UTC(), to.UTC())
		if err := q.Count(&f.Orders).Error; err != nil {
			return nil, mapErr("figures", err)
		}
		if err := s.DB(ctx).Model(&WorkOrder{}).Where("enterprise_id = ? AND created_at >= ? AND created_at < ? AND status NOT IN ('closed', 'merged')", id, from.UTC(), to.UTC()).Count(&f.OrdersOpen).Error; err != nil {
			return nil, mapErr("figures", err)
		}
		if err := s.DB(ctx).Model(&Inspection{}).Where("enterprise_id = ? AND scheduled_at >= ? AND scheduled_at < ?", id, from.UTC(), to.UTC()).Count(&f.Inspections).Error; err != nil {
			return nil, mapErr("figures", err)
		}
		out = append(out, f)
	}
	return out, nil
}
