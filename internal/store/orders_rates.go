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

// UnitRateCounts are one handling unit's figures over a period: its sign-for stages (响应率)
// and, of the orders dispatched or transferred to it in the period, how many are closed (办结),
// how many follow-ups know whether the matter was solved and how many say it was (解决), and
// likewise satisfied (满意).
type UnitRateCounts struct {
	UnitBodyID   uint
	Dispatched   int64
	SignedInTime int64
	Orders       int64
	Closed       int64
	SolvedKnown  int64
	Solved       int64
	RatedKnown   int64
	Satisfied    int64
}

// slack widens a period asked of the database by a day each side: SQLite compares times as the
// text they were written in, whose zone may differ from the bounds'; the exact cut is made in Go.
const slack = 24 * time.Hour

// UnitRateFigures counts UnitRateCounts per unit now holding the orders, in county (empty: every
// county), for the sign-for stages begun and the orders dispatched in [from, to). Sign-for stages
// are counted as SignFigures counts them.
func (s *Store) UnitRateFigures(ctx context.Context, county string, from, to, now time.Time) ([]UnitRateCounts, error) {
	type signRow struct {
		UnitBodyID                      uint
		StartedAt, DueAt                time.Time
		MetAt, BreachedAt, SupersededAt *time.Time
	}
	sign := s.DB(ctx).Table("order_deadlines d").Joins("JOIN work_orders o ON o.id = d.order_id").
		Select("o.unit_body_id AS unit_body_id, d.started_at, d.due_at, d.met_at, d.breached_at, d.superseded_at").
		Where("o.unit_body_id IS NOT NULL AND d.stage = 'sign' AND d.started_at >= ? AND d.started_at < ?", from.Add(-slack).UTC(), to.Add(slack).UTC())
	if county != "" {
		sign = sign.Where("o.county_code = ?", county)
	}
	var signs []signRow
	if err := sign.Scan(&signs).Error; err != nil {
		return nil, mapErr("unit rate figures", err)
	}
	by := map[uint]*UnitRateCounts{}
	var units []uint
	get := func(u uint) *UnitRateCounts {
		if by[u] == nil {
			by[u] = &UnitRateCounts{UnitBodyID: u}
			units = append(units, u)
		}
		return by[u]
	}
	for _, r := range signs {
		if r.StartedAt.Before(from) || !r.StartedAt.Before(to) {
			continue
		}
		if r.SupersededAt != nil && !r.SupersededAt.After(r.DueAt) {
			continue // set aside before it was due: the unit had no chance to miss it
		}
		if r.MetAt == nil && r.BreachedAt == nil && r.SupersededAt == nil && r.DueAt.After(now) {
			continue // still running: no outcome yet
		}
		c := get(r.UnitBodyID)
		c.Dispatched++
		if r.MetAt != nil && !r.MetAt.After(r.DueAt) {
			c.SignedInTime++
		}
	}
	type evRow struct {
		OrderID uint64
		At      time.Time
	}
	var evs []evRow
	if err := s.DB(ctx).Table("order_events e").Select("e.order_id, e.at").
		Where("e.action IN ('dispatch','transfer') AND e.at >= ? AND e.at < ?", from.Add(-slack).UTC(), to.Add(slack).UTC()).Scan(&evs).Error; err != nil {
		return nil, mapErr("unit rate figures", err)
	}
	seen := map[uint64]bool{}
	var ids []uint64
	for _, e := range evs {
		if !e.At.Before(from) && e.At.Before(to) && !seen[e.OrderID] {
			seen[e.OrderID] = true
			ids = append(ids, e.OrderID)
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var orders []WorkOrder
		q := s.DB(ctx).Select("id, unit_body_id, county_code, status, follow_solved, follow_satisfied").Where("id IN ? AND unit_body_id IS NOT NULL", chunk)
		if county != "" {
			q = q.Where("county_code = ?", county)
		}
		if err := q.Find(&orders).Error; err != nil {
			return nil, mapErr("unit rate figures", err)
		}
		for _, o := range orders {
			c := get(*o.UnitBodyID)
			c.Orders++
			if o.Status == "closed" {
				c.Closed++
			}
			if o.FollowSolved != nil {
				c.SolvedKnown++
				if *o.FollowSolved {
					c.Solved++
				}
			}
			if o.FollowSatisfied != nil {
				c.RatedKnown++
				if *o.FollowSatisfied {
					c.Satisfied++
				}
			}
		}
	}
	out := make([]UnitRateCounts, 0, len(units))
	for _, u := range units {
		out = append(out, *by[u])
	}
	return out, nil
}
