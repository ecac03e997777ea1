package inspection

import (
	"context"
	"fmt"
	"sort"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/inspection/rules"
)

// BodyYear is an enterprise's standing with one body in a year: how many inspections count
// toward FREQ-1/2 so far, and the cap.
type BodyYear struct {
	BodyID uint
	Count  int
	Cap    int
}

// YearStanding lists, per body, the counted inspections of an enterprise in a calendar year
// (Wenzhou time), so the enterprise can see FREQ-1 (or FREQ-2) for itself.
func (s *Service) YearStanding(ctx context.Context, enterpriseID uint, year int) ([]BodyYear, error) {
	ent, err := s.St.Enterprise(ctx, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("inspections: standing: %w", err)
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Location())
	list, err := s.St.EnterpriseInspections(ctx, enterpriseID, from, from.AddDate(1, 0, 0))
	if err != nil {
		return nil, fmt.Errorf("inspections: standing: %w", err)
	}
	dom := make([]rules.Inspection, len(list))
	for i := range list {
		dom[i] = Domain(&list[i])
	}
	excellent, err := s.creditExcellent(ctx, ent, s.Clock.Now()) // the grade valid today
	if err != nil {
		return nil, fmt.Errorf("inspections: standing: %w", err)
	}
	limit := rules.Cap(excellent)
	var out []BodyYear
	for body, n := range rules.YearCounts(dom, year) {
		out = append(out, BodyYear{BodyID: body, Count: n, Cap: limit})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BodyID < out[j].BodyID })
	return out, nil
}
