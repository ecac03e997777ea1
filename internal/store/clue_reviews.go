package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ClueReview is a liaison's review of a clue (migration 0039): dismissed with a reason, merged
// into another clue or order, or converted into an order.
type ClueReview struct {
	OrderID       uint64 `gorm:"primaryKey;autoIncrement:false"`
	Outcome       string
	Reason        string
	TargetOrderID *uint64
	ActorID       uint
	At            time.Time
}

// TableName maps the row to its table.
func (ClueReview) TableName() string { return "clue_reviews" }

// AddClueReview records a clue's review; a second one of the same clue is ErrConflict.
func (s *Store) AddClueReview(ctx context.Context, r *ClueReview) error {
	return mapErr("add clue review", s.DB(ctx).Create(r).Error)
}

// ClueReviewOf reads a clue's review; ErrNotFound while it waits.
func (s *Store) ClueReviewOf(ctx context.Context, orderID uint64) (ClueReview, error) {
	var r ClueReview
	err := s.DB(ctx).First(&r, "order_id = ?", orderID).Error
	return r, mapErr("clue review", err)
}

// ClueCounts are the clues of a scope waiting for review, and how many of them are past their
// review limit.
type ClueCounts struct {
	Waiting, Overdue int64
}

// CountClues counts the clues waiting for review in a county ("" with all: the whole city).
func (s *Store) CountClues(ctx context.Context, county string, all bool, now time.Time) (ClueCounts, error) {
	if !all && county == "" {
		return ClueCounts{}, ErrUnscoped
	}
	q := func() *gorm.DB {
		q := s.DB(ctx).Model(&WorkOrder{}).Where("status = 'clue'")
		if county != "" {
			q = q.Where("county_code = ?", county)
		}
		return q
	}
	var c ClueCounts
	if err := q().Count(&c.Waiting).Error; err != nil {
		return ClueCounts{}, mapErr("count clues", err)
	}
	// Past the limit: still running but due, or breached already (a breached stage no longer
	// sets the next due time).
	late := "(next_due_at IS NOT NULL AND next_due_at < ?) OR EXISTS (SELECT 1 FROM order_deadlines d WHERE d.order_id = work_orders.id AND d.stage = 'review' AND d.breached_at IS NOT NULL)"
	if err := q().Where(late, now).Count(&c.Overdue).Error; err != nil {
		return ClueCounts{}, mapErr("count clues", err)
	}
	return c, nil
}

// OrderByNumber reads one order by its public number; inside a PostgreSQL transaction it locks
// the row.
func (s *Store) OrderByNumber(ctx context.Context, number string, forUpdate bool) (*WorkOrder, error) {
	var o WorkOrder
	q := s.DB(ctx)
	if forUpdate && s.Dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Where("number = ?", number).First(&o).Error
	return &o, mapErr("order", err)
}

// ReasonsOf reads the reasons of many orders in one query.
func (s *Store) ReasonsOf(ctx context.Context, ids []uint64) (map[uint64][]string, error) {
	out := map[uint64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []OrderReason
	if err := s.DB(ctx).Where("order_id IN ?", ids).Order("order_id, reason").Find(&rows).Error; err != nil {
		return nil, mapErr("order reasons", err)
	}
	for _, r := range rows {
		out[r.OrderID] = append(out[r.OrderID], r.Reason)
	}
	return out, nil
}
