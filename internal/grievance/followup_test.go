package grievance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
)

// A reply cannot be closed at once; a follow-up the enterprise rates 1 sends the order back to its
// unit (重办) a rung up with a new reply deadline of a round of its own, which the worker breaches
// once at its time and not before.
func TestDissatisfiedFollowUpRehandlesWithANewDeadline(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	ctx := context.Background()
	f.act("officer-scj", o.ID, grievance.Move{Action: "reply", Note: "已核实"})
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), o.ID, grievance.Move{Action: "close"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("closing right after the reply: %v", err)
	}
	f.act("liaison-lc", o.ID, grievance.Move{Action: "follow_up"})
	f.Clock.Advance(2 * time.Hour)
	at := f.Clock.Now()
	d := f.act("ent-a", o.ID, grievance.Move{Action: "rate", Rating: 1})
	if d.Status != lifecycle.InProgress || d.Level != 1 || d.UnitID != 1 || d.ReopenCount != 1 {
		t.Fatalf("after a rating of 1: %s level %d unit %d", d.Status, d.Level, d.UnitID)
	}
	if last := d.Timeline[len(d.Timeline)-1]; last.Action != "rehandle" || last.By != "system" {
		t.Fatalf("the timeline ends with %+v, want the system's re-handling", last)
	}
	reply := f.stage(o.ID, "reply")
	if reply.Round != 2 || !reply.StartedAt.Equal(at) || !reply.DueAt.Equal(lifecycle.Due(f.Cal, at, lifecycle.Allowance{Amount: 3, Unit: "days"})) {
		t.Fatalf("the new handling deadline: %+v", reply)
	}
	f.Clock.Set(reply.DueAt.Add(-time.Minute))
	f.drain()
	if got := f.order(o.ID); got.Level != 1 {
		t.Fatalf("escalated before the new deadline: level %d", got.Level)
	}
	f.Clock.Set(reply.DueAt)
	f.drain()
	f.Clock.Advance(time.Hour)
	f.drain()
	if got := f.order(o.ID); got.Level != 2 || f.systemEscalations(o.ID) != 1 {
		t.Fatalf("after the new deadline: level %d, %d escalations; want 2 and 1", got.Level, f.systemEscalations(o.ID))
	}
	// Handled again, replied, and this time the follow-up finds it solved and satisfied: it closes.
	f.act("officer-scj", o.ID, grievance.Move{Action: "reply", Note: "已重新处理"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "follow_up"})
	d = f.act("liaison-lc", o.ID, grievance.Move{Action: "record_follow_up", Solved: "yes", Satisfied: "yes", Note: "电话回访"})
	if d.Status != lifecycle.FollowUp || d.Solved() != "yes" || d.Satisfied() != "yes" {
		t.Fatalf("recorded: %s %s %s", d.Status, d.Solved(), d.Satisfied())
	}
	if d = f.act("liaison-lc", o.ID, grievance.Move{Action: "close"}); d.Status != lifecycle.Closed {
		t.Fatalf("close: %s", d.Status)
	}
}

// Three documented failures to reach the enterprise let the order close without its answer.
func TestThreeFailedFollowUpsLetTheOrderClose(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	ctx := context.Background()
	li := f.Actor("liaison-lc")
	f.act("officer-scj", o.ID, grievance.Move{Action: "reply", Note: "已核实"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "follow_up"})
	for i := 1; i <= 3; i++ {
		if _, err := f.svc.Act(ctx, li, o.ID, grievance.Move{Action: "close"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
			t.Fatalf("closing after %d failures: %v", i-1, err)
		}
		f.act("liaison-lc", o.ID, grievance.Move{Action: "follow_up_failed", Note: "电话无人接听"})
	}
	if d := f.act("liaison-lc", o.ID, grievance.Move{Action: "close"}); d.Status != lifecycle.Closed || d.FollowFailures != 3 {
		t.Fatalf("closing after three failures: %s %d", d.Status, d.FollowFailures)
	}
}
