package inspection

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"qijian/internal/message"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// merge carries out FREQ-3's second half for a triggered inspection just registered: every
// pending planned task of its bodies for the enterprise this year is taken over by the visit.
// If its items already cover the planned ones the task counts as done as it is; otherwise the
// planned items are added to the visit, which then covers them. The planned task becomes
// "merged", pointing at the visit, and the enterprise is told. Without a candidate nothing
// changes; a visit left apart (Registration.KeepSeparate) is flagged by the check.
func (s *Service) merge(ctx context.Context, by account.Actor, in *store.Inspection, now time.Time) error {
	year := in.ScheduledAt.In(calendar.Location()).Year()
	list, err := s.St.EnterpriseInspections(ctx, in.EnterpriseID, time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Location()), time.Date(year+1, 1, 1, 0, 0, 0, 0, calendar.Location()))
	if err != nil {
		return err
	}
	others := make([]rules.Inspection, len(list))
	for i := range list {
		others[i] = Domain(&list[i])
	}
	// Every pending planned task that can be merged is (docs/rules.md, FREQ-3): the visit takes
	// over their items, in the order the tasks were scheduled.
	for _, p := range rules.MergeCandidates(Domain(in), others) {
		if err := s.mergeOne(ctx, by, in, p, now); err != nil {
			return err
		}
	}
	return nil
}

// mergeOne makes the triggered visit in carry out the planned task p.
func (s *Service) mergeOne(ctx context.Context, by account.Actor, in *store.Inspection, p rules.Inspection, now time.Time) error {
	d := Domain(in)
	covered := rules.Covers(d, p)
	items := rules.MergedItems(d, p)
	moved, err := s.St.MergeInspection(ctx, p.ID, in.ID, now)
	if err != nil || !moved {
		return err
	}
	if !covered {
		if err := s.St.SetInspectionItems(ctx, in.ID, items, now); err != nil {
			return err
		}
		in.ItemIDs = items
	}
	if err := s.auditBy(ctx, by, "inspection.merge", "inspection", p.ID, fmt.Sprintf(`{"into":%d,"covered":%t}`, in.ID, covered)); err != nil {
		return err
	}
	users, err := s.St.UsersByEnterprise(ctx, in.EnterpriseID)
	if err != nil {
		return err
	}
	when := p.ScheduledAt.In(shanghai()).Format("2006-01-02")
	for _, u := range users {
		if err := message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "inspection.merged",
			TitleZh: "计划检查（" + when + "）已与本次检查合并实施", TitleEn: "The planned inspection of " + when + " is merged into this one",
			Link: "/inspections/" + strconv.FormatUint(in.ID, 10)}); err != nil {
			return err
		}
	}
	return nil
}
