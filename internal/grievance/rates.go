package grievance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Rates are the hotline's response figures over a period (响应率): of the orders dispatched to a
// unit whose sign-for limit has run out or been met, how many the unit signed for in time.
type Rates struct {
	Dispatched   int64
	SignedInTime int64
	ResponseRate float64 // SignedInTime / Dispatched; 0 when nothing was dispatched
}

// Rates counts the response figures of the sign-for stages begun in [from, to), over the
// caller's scope: a county liaison's county, or every county for the city level and admins.
func (s *Service) Rates(ctx context.Context, by account.Actor, from, to time.Time) (Rates, error) {
	if by.Role != account.RoleLiaison && by.Role != account.RoleAdmin {
		return Rates{}, ErrForbidden
	}
	county := ""
	if by.Role == account.RoleLiaison {
		county = by.CountyCode
	}
	c, err := s.St.SignFigures(ctx, county, from, to, s.Clock.Now())
	if err != nil {
		return Rates{}, fmt.Errorf("complaint: rates: %w", err)
	}
	r := Rates{Dispatched: c.Dispatched, SignedInTime: c.SignedInTime}
	if c.Dispatched > 0 {
		r.ResponseRate = float64(c.SignedInTime) / float64(c.Dispatched)
	}
	return r, nil
}

// RateFigures are the four hotline rates with the counts behind each:
//   - 响应率 (ResponseRate): sign-for stages met in time / sign-for stages with an outcome (as Rates);
//   - 办结率 (CloseRate): orders closed / orders dispatched or transferred to a unit in the period;
//   - 解决率 (SolveRate): of those, follow-ups saying solved / follow-ups that know;
//   - 满意率 (SatisfactionRate): of those, satisfied / answers that know (a rating counts).
//
// A rate with nothing behind it is 0, and its count says so.
type RateFigures struct {
	Dispatched, SignedInTime int64
	ResponseRate             float64
	Orders, Closed           int64
	CloseRate                float64
	SolvedKnown, Solved      int64
	SolveRate                float64
	RatedKnown, Satisfied    int64
	SatisfactionRate         float64
}

func ratio(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

func (f *RateFigures) add(c store.UnitRateCounts) {
	f.Dispatched += c.Dispatched
	f.SignedInTime += c.SignedInTime
	f.Orders += c.Orders
	f.Closed += c.Closed
	f.SolvedKnown += c.SolvedKnown
	f.Solved += c.Solved
	f.RatedKnown += c.RatedKnown
	f.Satisfied += c.Satisfied
	f.ResponseRate, f.CloseRate = ratio(f.SignedInTime, f.Dispatched), ratio(f.Closed, f.Orders)
	f.SolveRate, f.SatisfactionRate = ratio(f.Solved, f.SolvedKnown), ratio(f.Satisfied, f.RatedKnown)
}

// UnitRates are one handling unit's figures.
type UnitRates struct {
	UnitID         uint
	UnitZh, UnitEn string
	RateFigures
}

// RatesReport is the rates over [From, To) in County (empty: the whole city), per unit (by
// name) and in total.
type RatesReport struct {
	County   string
	From, To time.Time
	Total    RateFigures
	Units    []UnitRates
}

// RatesReport counts the four rates per unit and in total, for county (empty: the caller's own
// county for a county liaison, the whole city otherwise). A county liaison asking for another
// county, and anyone but liaisons and admins, is refused (account.ViewRates).
func (s *Service) RatesReport(ctx context.Context, by account.Actor, county string, from, to time.Time) (*RatesReport, error) {
	if county == "" && by.Role == account.RoleLiaison {
		county = by.CountyCode
	}
	if !account.Can(by, account.ViewRates, account.Object{CountyCode: county}) {
		return nil, ErrForbidden
	}
	if !to.After(from) {
		return nil, errs.Field("to", "err.invalid")
	}
	rows, err := s.St.UnitRateFigures(ctx, county, from, to, s.Clock.Now())
	if err != nil {
		return nil, fmt.Errorf("complaint: rates: %w", err)
	}
	bodies, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, fmt.Errorf("complaint: rates: %w", err)
	}
	names := map[uint]account.Body{}
	for _, b := range bodies {
		names[b.ID] = b
	}
	r := &RatesReport{County: county, From: from, To: to, Units: []UnitRates{}}
	for _, c := range rows {
		u := UnitRates{UnitID: c.UnitBodyID, UnitZh: names[c.UnitBodyID].NameZh, UnitEn: names[c.UnitBodyID].NameEn}
		u.add(c)
		r.Total.add(c)
		r.Units = append(r.Units, u)
	}
	slices.SortFunc(r.Units, func(a, b UnitRates) int { return cmp.Compare(a.UnitID, b.UnitID) })
	return r, nil
}
