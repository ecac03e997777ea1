package inspection

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/inspection/rules"
)

// SweepNotices runs the checks on every inspection whose notice is neither delivered nor
// withheld and whose latest delivery day has ended (NOTICE-1's "not delivered"): without it
// such an inspection would wait for its next status change to be found. The checks raise each
// clue once, so a sweep may run as often as wanted. It answers how many it checked.
func (s *Service) SweepNotices(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	// An inspection three working days ahead is at most a fortnight away, even across a holiday.
	list, err := s.St.UndeliveredNotices(ctx, now.AddDate(0, 0, -30), now.AddDate(0, 0, 15), 1000)
	if err != nil {
		return 0, fmt.Errorf("inspections: sweep notices: %w", err)
	}
	n := 0
	for i := range list {
		in := &list[i]
		if rules.Notice(Domain(in), s.Cal, now).State != rules.NoticeMissing {
			continue
		}
		err := s.St.WithTx(ctx, func(ctx context.Context) error {
			ent, err := s.St.Enterprise(ctx, in.EnterpriseID)
			if err != nil {
				return err
			}
			_, err = s.check(ctx, in, ent)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("inspections: sweep notices %d: %w", in.ID, err)
		}
		n++
	}
	return n, nil
}

// SweepEvery is how often the worker sweeps for notices not delivered in time.
const SweepEvery = time.Hour
