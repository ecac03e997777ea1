package inspection_test

import (
	"context"
	"testing"
	"time"
)

// FREQ-1: the enterprise's standing counts its planned inspections per body this year and
// leaves out triggered ones; ent-b (credit B) has a cap of 2. (A planned task merged into a
// triggered visit drops out too: inspect.TestYearCountsFREQ1.)
func TestYearStandingFREQ1(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	for i, d := range []int{2, 9} {
		r := lawful("plan-"+string(rune('a'+i)), time.Date(2026, 2, d, 9, 0, 0, 0, sh))
		r.Kind = "planned"
		if _, _, err := f.svc.Register(ctx, off, r); err != nil {
			t.Fatal(err)
		}
	}
	// A triggered visit kept apart from the pending planned tasks (not merged, FREQ-3).
	trig := lawful("trig", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	trig.KeepSeparate, trig.KeepSeparateReason = true, "投诉所涉事项与计划检查内容无关"
	if _, _, err := f.svc.Register(ctx, off, trig); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.YearStanding(ctx, 2, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].BodyID != 1 || got[0].Count != 2 || got[0].Cap != 2 {
		t.Fatalf("standing: %+v, want body 1 at 2 of 2", got)
	}
	if got, _ := f.svc.YearStanding(ctx, 2, 2025); len(got) != 0 {
		t.Fatalf("2025: %+v, want nothing", got)
	}
}
