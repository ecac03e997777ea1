package inspection_test

import (
	"context"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/inspection"
)

// PLAN-1: a planned inspection on a day before the body's plan was published is a clue, even
// when the plan was published by 31 March; on the day of publication it is not.
func TestPlannedInspectionBeforeThePlanWasPublished(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.clk.Set(time.Date(2027, 3, 25, 9, 0, 0, 0, sh))
	off := f.actor(t, "officer-scj")
	if _, err := f.svc.SavePlan(ctx, off, 1, inspection.PlanInput{Year: 2027, Title: "2027 年度计划", PublishedOn: "2027-03-20"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ext  string
		at   time.Time
		want bool
	}{
		{"p-before", time.Date(2027, 3, 19, 15, 0, 0, 0, sh), true},
		{"p-on", time.Date(2027, 3, 20, 9, 0, 0, 0, sh), false},
		{"p-after", time.Date(2027, 3, 22, 9, 0, 0, 0, sh), false},
	} {
		r := lawful(tc.ext, tc.at)
		r.Kind = "planned"
		in, _, err := f.svc.Register(ctx, off, r)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.clue(t, in.ID, "PLAN-1") != nil; got != tc.want {
			t.Errorf("%s: PLAN-1 %v, want %v", tc.ext, got, tc.want)
		}
	}
}

// PLAN-1: a publication date after today is refused on the date's field; today is taken.
func TestPlanPublicationDateInTheFutureIsRefused(t *testing.T) {
	f := setup(t) // now: 2026-04-01 09:00
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	_, err := f.svc.SavePlan(ctx, off, 1, inspection.PlanInput{Year: 2028, Title: "2028 年度计划", PublishedOn: "2026-04-02"})
	if errs.FieldsOf(err)["published_on"] == "" {
		t.Fatalf("tomorrow's publication taken: %v", err)
	}
	if _, err := f.svc.SavePlan(ctx, off, 1, inspection.PlanInput{Year: 2028, Title: "2028 年度计划", PublishedOn: "2026-04-01"}); err != nil {
		t.Fatalf("today's publication: %v", err)
	}
}

// PLAN-1: one change of a published plan is one finding: the first planned inspection
// registered after the change carries the clue, later ones do not, and one registered before
// the change does not gain it when re-checked. A second change is not a second finding.
func TestOnePlanChangeIsOneClue(t *testing.T) {
	f := setup(t) // now: 2026-04-01; the 2026 plans were published on 20 February
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	planned := func(ext string, ent uint, at time.Time) uint64 {
		t.Helper()
		f.clk.Set(f.clk.Now().Add(time.Minute)) // each step a minute later
		r := lawful(ext, at)
		r.Kind, r.EnterpriseID = "planned", ent
		in, _, err := f.svc.Register(ctx, off, r)
		if err != nil {
			t.Fatal(err)
		}
		return in.ID
	}
	before := planned("c-before", 1, time.Date(2026, 5, 12, 9, 0, 0, 0, sh))
	f.clk.Set(f.clk.Now().Add(time.Minute))
	if _, err := f.svc.SavePlan(ctx, off, 1, inspection.PlanInput{Year: 2026, Title: "调整后的计划", PublishedOn: "2026-02-20"}); err != nil {
		t.Fatal(err)
	}
	first := planned("c-first", 2, time.Date(2026, 6, 9, 9, 0, 0, 0, sh))
	second := planned("c-second", 2, time.Date(2026, 6, 16, 9, 0, 0, 0, sh))
	f.clk.Set(f.clk.Now().Add(time.Minute))
	if _, err := f.svc.SavePlan(ctx, off, 1, inspection.PlanInput{Year: 2026, Title: "再次调整的计划", PublishedOn: "2026-02-20"}); err != nil {
		t.Fatal(err)
	}
	third := planned("c-third", 1, time.Date(2026, 7, 7, 9, 0, 0, 0, sh)) // re-checks "before" too (same enterprise)
	for _, tc := range []struct {
		name string
		id   uint64
		want bool
	}{{"before the change", before, false}, {"first after", first, true}, {"second after", second, false}, {"after a second change", third, false}} {
		if got := f.clue(t, tc.id, "PLAN-1") != nil; got != tc.want {
			t.Errorf("%s: PLAN-1 %v, want %v", tc.name, got, tc.want)
		}
	}
}
