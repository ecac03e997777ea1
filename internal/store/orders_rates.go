package store

import (
	"context"
	"time"
)

// SignCounts is how the sign-for stages that began in a period ended: how many orders were
// dispatched to a unit, and how many the unit signed for (or started, or bounced) in time.
type SignCounts struct {
	Dispatched   int64
	SignedInTime int64
}

// SignFigures counts the sign-for stages begun in [from, to), in county (empty: every county).
// A stage still running and not yet due has no outcome and is left out; so is one set aside by a
// transfer before it was due (the unit had no chance to miss it).
func (s *Store) SignFigures(ctx context.Context, county string, from, to, now time.Time) (SignCounts, error) {
	q := s.DB(ctx).Table("order_deadlines d").Joins("JOIN work_orders o ON o.id = d.order_id").
		Select("COUNT(*) AS dispatched, COALESCE(SUM(CASE WHEN d.met_at IS NOT NULL AND d.met_at <= d.due_at THEN 1 ELSE 0 END), 0) AS signed_in_time").
		Where("d.stage = 'sign' AND d.started_at >= ? AND d.started_at < ?", from.UTC(), to.UTC()).
		Where("NOT (d.superseded_at IS NOT NULL AND d.superseded_at <= d.due_at)").
		Where("NOT (d.met_at IS NULL AND d.breached_at IS NULL AND d.superseded_at IS NULL AND d.due_at > ?)", now.UTC())
	if county != "" {
		q = q.Where("o.county_code = ?", county)
	}
	var out SignCounts
	err := q.Scan(&out).Error
	return out, mapErr("sign figures", err)
}
