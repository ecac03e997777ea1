package store

import (
	"context"
	"strings"
	"time"
)

// Cohandler is a co-handling unit (协办单位) of an order and its part (migration 0040).
type Cohandler struct {
	ID         uint64 `gorm:"primaryKey"`
	OrderID    uint64
	BodyID     uint
	Part       string
	AnsweredAt *time.Time
	AddedBy    uint
	AddedAt    time.Time
	RemovedAt  *time.Time
}

// TableName maps the row to its table.
func (Cohandler) TableName() string { return "order_cohandlers" }

// OrderCohandlers lists the co-handlers still on an order, in the order they were added.
func (s *Store) OrderCohandlers(ctx context.Context, orderID uint64) ([]Cohandler, error) {
	var out []Cohandler
	err := s.DB(ctx).Where("order_id = ? AND removed_at IS NULL", orderID).Order("id").Find(&out).Error
	return out, mapErr("order cohandlers", err)
}

// WithCohandlers fills o.CoBodyIDs, which access decisions read.
func (s *Store) WithCohandlers(ctx context.Context, o *WorkOrder) error {
	var ids []uint
	err := s.DB(ctx).Model(&Cohandler{}).Where("order_id = ? AND removed_at IS NULL", o.ID).Order("id").Pluck("body_id", &ids).Error
	o.CoBodyIDs = ids
	return mapErr("order cohandlers", err)
}

// SaveCohandler writes c (a new one is created).
func (s *Store) SaveCohandler(ctx context.Context, c *Cohandler) error {
	return mapErr("save cohandler", s.DB(ctx).Save(c).Error)
}

// MergeWindowDays is the duplicate window in days (30 if the row is missing).
func (s *Store) MergeWindowDays(ctx context.Context) (int, error) {
	var days []int
	if err := s.DB(ctx).Table("merge_settings").Where("id = 1").Pluck("window_days", &days).Error; err != nil {
		return 0, mapErr("merge settings", err)
	}
	if len(days) == 0 || days[0] <= 0 {
		return 30, nil
	}
	return days[0], nil
}

// DuplicateCandidates lists the open, named orders other than o's, neither merged nor main to
// none other, filed within window of o, of o's enterprise or naming o's inspection code, in
// county (empty: any). Anonymous orders are never matched: the match itself would tell what
// their redaction keeps.
func (s *Store) DuplicateCandidates(ctx context.Context, o *WorkOrder, window time.Duration, county string, limit int) ([]WorkOrder, error) {
	q := s.DB(ctx).Model(&WorkOrder{}).Where("id <> ? AND anonymous = ? AND status NOT IN ('closed', 'merged') AND created_at >= ? AND created_at <= ?",
		o.ID, false, o.CreatedAt.Add(-window), o.CreatedAt.Add(window))
	code := strings.ToUpper(strings.TrimSpace(o.InspectionCode))
	if code != "" {
		q = q.Where("(enterprise_id = ? OR UPPER(TRIM(inspection_code)) = ?)", o.EnterpriseID, code)
	} else {
		q = q.Where("enterprise_id = ?", o.EnterpriseID)
	}
	if county != "" {
		q = q.Where("county_code = ?", county)
	}
	var out []WorkOrder
	err := q.Order("created_at, id").Limit(limit).Find(&out).Error
	return out, mapErr("duplicate candidates", err)
}

// MergedOrders lists the orders merged into main, oldest first.
func (s *Store) MergedOrders(ctx context.Context, mainID uint64) ([]WorkOrder, error) {
	var out []WorkOrder
	err := s.DB(ctx).Where("merged_into_id = ? AND status = 'merged'", mainID).Order("id").Find(&out).Error
	return out, mapErr("merged orders", err)
}

// LastRound is the highest deadline round of an order (0 if it has none).
func (s *Store) LastRound(ctx context.Context, orderID uint64) (int, error) {
	var r []int
	err := s.DB(ctx).Model(&Deadline{}).Where("order_id = ?", orderID).Select("COALESCE(MAX(round), 0)").Scan(&r).Error
	if len(r) == 0 {
		return 0, mapErr("last round", err)
	}
	return r[0], mapErr("last round", err)
}
