package grievance_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
)

// Every rung a liaison raises needs a reason, which the timeline keeps; referral to discipline
// inspection is the city level's alone, and the breach timers stop below it.
func TestEscalationNeedsAReasonAndReferralIsCityLevel(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	o := f.file("ent-a", illegal, "")
	county, city := f.Actor("liaison-lc"), f.Actor("liaison-city")
	if _, err := f.svc.Act(ctx, county, o.ID, grievance.Move{Action: "escalate"}); !errors.Is(err, lifecycle.ErrInput) {
		t.Fatalf("escalating without a reason: %v", err)
	}
	d := f.act("liaison-lc", o.ID, grievance.Move{Action: "escalate", Reason: "受理超时"})
	if last := d.Timeline[len(d.Timeline)-1]; d.Level != 1 || !strings.Contains(last.Note, "受理超时") {
		t.Fatalf("escalated: level %d, note %q", d.Level, last.Note)
	}
	if err := f.St.Gorm().Exec("UPDATE work_orders SET level = 3 WHERE id = ?", o.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Act(ctx, county, o.ID, grievance.Move{Action: "escalate", Reason: "屡次超时"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("a county liaison referring: %v", err)
	}
	// The accept stage breaches at level 3: marked, not referred.
	f.Clock.Advance(3 * time.Hour)
	f.drain()
	if got := f.order(o.ID); got.Level != 3 || f.stage(o.ID, "accept").BreachedAt == nil {
		t.Fatalf("a breach at level 3: level %d", got.Level)
	}
	d, err := f.svc.Act(ctx, city, o.ID, grievance.Move{Action: "escalate", Reason: "屡次超时，移送纪检监察", Note: "案情摘要：受理超时三次"})
	if err != nil || d.Level != 4 || !strings.Contains(d.Timeline[len(d.Timeline)-1].Note, "屡次超时，移送纪检监察") {
		t.Fatalf("referral by the city: %v", err)
	}
}
