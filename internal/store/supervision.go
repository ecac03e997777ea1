package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// OrderDocument is a document a rung of the supervision ladder produced (migration 0038).
type OrderDocument struct {
	ID        uint64 `gorm:"primaryKey"`
	OrderID   uint64
	Level     int
	Kind      string
	Series    string
	Year      int
	Seq       int
	Number    string
	Issuer    string
	Recipient string
	Reason    string
	BodyZh    string
	BodyEn    string
	ActorID   uint
	ActorRole string
	CreatedAt time.Time
}

// TableName maps the row to its table.
func (OrderDocument) TableName() string { return "order_documents" }

type documentCounter struct {
	Series string `gorm:"primaryKey"`
	Year   int    `gorm:"primaryKey;autoIncrement:false"`
	Last   int
}

func (documentCounter) TableName() string { return "document_counters" }

// NextDocumentNumber takes the next number of series in year, in ctx's transaction: the
// counter's row stays locked by its update until the commit, so two transactions never take the
// same number, and a rolled-back one gives its number back.
func (s *Store) NextDocumentNumber(ctx context.Context, series string, year int) (int, error) {
	db := s.DB(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&documentCounter{Series: series, Year: year}).Error; err != nil {
		return 0, mapErr("document counter", err)
	}
	if err := db.Model(&documentCounter{}).Where("series = ? AND year = ?", series, year).Update("last", gorm.Expr("last + 1")).Error; err != nil {
		return 0, mapErr("document counter", err)
	}
	var c documentCounter
	err := db.Where("series = ? AND year = ?", series, year).First(&c).Error
	return c.Last, mapErr("document counter", err)
}

// CreateOrderDocument stores an issued document.
func (s *Store) CreateOrderDocument(ctx context.Context, d *OrderDocument) error {
	return mapErr("create order document", s.DB(ctx).Create(d).Error)
}

// OrderDocuments lists an order's documents, oldest first.
func (s *Store) OrderDocuments(ctx context.Context, orderID uint64) ([]OrderDocument, error) {
	var out []OrderDocument
	err := s.DB(ctx).Where("order_id = ?", orderID).Order("id").Find(&out).Error
	return out, mapErr("order documents", err)
}

// OrderDocument reads one document of an order.
func (s *Store) OrderDocument(ctx context.Context, orderID, id uint64) (*OrderDocument, error) {
	var d OrderDocument
	err := s.DB(ctx).Where("order_id = ? AND id = ?", orderID, id).First(&d).Error
	return &d, mapErr("order document", err)
}

// SupervisionSettings is the one row of settings an admin edits (migration 0038).
type SupervisionSettings struct {
	ID                  uint `gorm:"primaryKey"`
	ConcentrationLimit  int
	ReferralContactName string
	ReferralMobile      string
	UpdatedBy           uint
	UpdatedAt           time.Time
}

// TableName maps the row to its table.
func (SupervisionSettings) TableName() string { return "supervision_settings" }

// SupervisionSettings reads the settings (the migration writes their row).
func (s *Store) SupervisionSettings(ctx context.Context) (*SupervisionSettings, error) {
	var out SupervisionSettings
	err := s.DB(ctx).First(&out, 1).Error
	return &out, mapErr("supervision settings", err)
}

// SaveSupervisionSettings replaces the settings.
func (s *Store) SaveSupervisionSettings(ctx context.Context, v *SupervisionSettings) error {
	v.ID = 1
	return mapErr("save supervision settings", s.DB(ctx).Save(v).Error)
}

// SupervisionItem is a unit that got many orders in one month (migration 0038).
type SupervisionItem struct {
	ID         uint64 `gorm:"primaryKey"`
	UnitBodyID uint
	Month      string
	Orders     int
	Limit      int `gorm:"column:threshold"`
	RaisedAt   time.Time
	HandledAt  *time.Time
	HandledBy  uint
	Note       string
}

// TableName maps the row to its table.
func (SupervisionItem) TableName() string { return "supervision_items" }

// UnitOrdersIn counts the distinct orders now with unit that were dispatched or transferred to
// it, or sent back to it, in [from, to).
func (s *Store) UnitOrdersIn(ctx context.Context, unit uint, from, to time.Time) (int64, error) {
	ids, err := s.UnitOrderIDs(ctx, unit, from, to)
	return int64(len(ids)), err
}

// RaiseSupervisionItem writes the item of its unit and month unless there is one; it tells
// whether it did. An existing item's count follows the new figure.
func (s *Store) RaiseSupervisionItem(ctx context.Context, it *SupervisionItem) (bool, error) {
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(it)
	if res.Error != nil {
		return false, mapErr("raise supervision item", res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	err := s.DB(ctx).Model(&SupervisionItem{}).Where("unit_body_id = ? AND month = ? AND orders < ?", it.UnitBodyID, it.Month, it.Orders).Update("orders", it.Orders).Error
	return false, mapErr("raise supervision item", err)
}

// SupervisionItems lists the items, the unhandled first, newest first; month empty: every month.
func (s *Store) SupervisionItems(ctx context.Context, month string) ([]SupervisionItem, error) {
	q := s.DB(ctx).Order("CASE WHEN handled_at IS NULL THEN 0 ELSE 1 END").Order("month DESC").Order("id DESC")
	if month != "" {
		q = q.Where("month = ?", month)
	}
	var out []SupervisionItem
	return out, mapErr("supervision items", q.Limit(500).Find(&out).Error)
}

// SupervisionItem reads one item, locked for the change that follows.
func (s *Store) SupervisionItem(ctx context.Context, id uint64) (*SupervisionItem, error) {
	var it SupervisionItem
	q := s.DB(ctx)
	if s.Dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&it, id).Error
	return &it, mapErr("supervision item", err)
}

// SaveSupervisionItem writes an item back.
func (s *Store) SaveSupervisionItem(ctx context.Context, it *SupervisionItem) error {
	return mapErr("save supervision item", s.DB(ctx).Save(it).Error)
}

// UnitOrderIDs lists the orders now with unit that reached it in [from, to), in id order.
func (s *Store) UnitOrderIDs(ctx context.Context, unit uint, from, to time.Time) ([]uint64, error) {
	type row struct {
		OrderID uint64
		At      time.Time
	}
	var rows []row
	err := s.DB(ctx).Table("order_events e").Joins("JOIN work_orders o ON o.id = e.order_id").Select("e.order_id, e.at").
		Where("o.unit_body_id = ? AND e.action IN ('dispatch','transfer','refuse_return') AND e.at >= ? AND e.at < ?", unit, from.Add(-slack).UTC(), to.Add(slack).UTC()).
		Order("e.order_id").Scan(&rows).Error
	if err != nil {
		return nil, mapErr("unit order ids", err)
	}
	var out []uint64
	for _, r := range rows {
		if !r.At.Before(from) && r.At.Before(to) && (len(out) == 0 || out[len(out)-1] != r.OrderID) {
			out = append(out, r.OrderID)
		}
	}
	return out, nil
}

// LastPersonEvent is when a person (not the system) last acted on the order; zero if never.
func (s *Store) LastPersonEvent(ctx context.Context, orderID uint64) (time.Time, error) {
	var e OrderEvent
	err := s.DB(ctx).Where("order_id = ? AND actor_role <> 'system'", orderID).Order("at DESC").Order("id DESC").Limit(1).Find(&e).Error
	return e.At, mapErr("last person event", err)
}
