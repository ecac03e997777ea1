package grievance_test

import (
	"context"
	"testing"

	"qijian/internal/errs"
	"qijian/internal/grievance"
)

// A reveal needs its reason; the reason is written into the timeline (seen by the staff and the
// reporter, never by the unit reported) and into the audit entry.
func TestRevealNeedsAReasonKeptInTimelineAndAudit(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	anon := illegal
	anon.Anonymous = true
	o := f.file("ent-a", anon, "")
	ref := f.svc.Ref(o)
	f.act("liaison-lc", ref, grievance.Move{Action: "accept"})
	f.act("liaison-lc", ref, grievance.Move{Action: "dispatch", UnitID: 1})
	if _, err := f.svc.Reveal(ctx, f.Actor("liaison-lc"), ref, "  "); errs.FieldsOf(err)["reason"] == "" {
		t.Fatalf("a reveal without a reason: %v, want the reason field named", err)
	}
	if n := f.count("SELECT COUNT(*) FROM order_events WHERE action = 'reveal'"); n != 0 {
		t.Fatalf("%d reveal lines after a refused reveal", n)
	}
	const why = "同一企业多次反映，需核实是否为同一事项"
	if _, err := f.svc.Reveal(ctx, f.Actor("liaison-lc"), ref, why); err != nil {
		t.Fatal(err)
	}
	if n := f.count("SELECT COUNT(*) FROM audit_pending WHERE action = 'order.reveal' AND detail = ?", why) + f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'order.reveal' AND detail = ?", why); n != 1 {
		t.Fatalf("%d audit entries carry the reason", n)
	}
	seen := func(user string) bool {
		d, err := f.svc.Detail(ctx, f.Actor(user), ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range d.Timeline {
			if e.Action == grievance.EventReveal && e.Note == why {
				return true
			}
		}
		return false
	}
	for user, want := range map[string]bool{"liaison-lc": true, "admin": true, "ent-a": true, "officer-scj": false} {
		if got := seen(user); got != want {
			t.Errorf("%s sees the reveal in the timeline: %v, want %v", user, got, want)
		}
	}
}
