package inspection_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/errs"
)

// An officer cannot mark an inspection done before its scheduled time: the use case refuses
// with the status field named, and the case file does not offer the move until the time comes.
func TestDoneNotBeforeTheInspectionHappened(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	at := time.Date(2026, 4, 17, 9, 0, 0, 0, sh) // the fixture's clock stands at 04-01
	in, _, err := f.svc.Register(ctx, off, lawful("early", at))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetStatus(ctx, off, in.ID, "in_progress"); err != nil {
		t.Fatal(err)
	}
	next := func() []string {
		d, err := f.svc.Detail(ctx, off, in.ID)
		if err != nil || d.Case == nil {
			t.Fatalf("detail: %v", err)
		}
		return d.Case.Next
	}
	if n := next(); slices.Contains(n, "done") {
		t.Errorf("the case file offers done two weeks early: %v", n)
	}
	err = f.svc.SetStatus(ctx, off, in.ID, "done")
	if errs.FieldsOf(err)["status"] != "insp.err.not_yet" {
		t.Fatalf("done before it happened: %v", err)
	}
	f.clk.Set(at.Add(2 * time.Hour))
	if n := next(); !slices.Contains(n, "done") {
		t.Errorf("after the inspection the case file does not offer done: %v", n)
	}
	if err := f.svc.SetStatus(ctx, off, in.ID, "done"); err != nil {
		t.Fatalf("done after it happened: %v", err)
	}
}
