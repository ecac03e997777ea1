package grievance_test

import (
	"context"
	"testing"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/grievance"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

// dueOf is the due time of an order's open deadline of stage, in Wenzhou time.
func (f *fx) dueOf(id uint64, stage string) time.Time {
	f.t.Helper()
	ds, err := f.St.OrderDeadlines(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	var last *store.Deadline
	for i := range ds {
		if ds[i].Stage == stage {
			last = &ds[i]
		}
	}
	if last == nil {
		f.t.Fatalf("order %d has no %s deadline", id, stage)
	}
	return last.DueAt.In(calendar.Location())
}

// Every stage of a work order started outside working time (docs/rules.md, working days): a
// period of working days leaves its starting day out and ends at 17:30 of its last working day;
// working hours start at the next opening. Each stage is started on a non-working day here.
func TestEveryStageStartedOnANonWorkingDay(t *testing.T) {
	t.Parallel()
	sh := calendar.Location()
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, sh) }
	for _, tc := range []struct {
		name  string
		filed time.Time
		// 12348: accept 2 working hours, resolve 10 working days; dispatch 1 and reply 3 from the
		// moment before them (both started at the same non-working instant here).
		accept, resolve, dispatch, reply time.Time
		// 12345's fallback (an appeal, 诉求, has no rows of its own): accept 1 working day, resolve 15.
		accept12345, resolve12345 time.Time
	}{
		{"Saturday 10:00", at(2026, 3, 7, 10, 0),
			at(2026, 3, 9, 10, 30), at(2026, 3, 20, 17, 30), at(2026, 3, 9, 17, 30), at(2026, 3, 11, 17, 30),
			at(2026, 3, 9, 17, 30), at(2026, 3, 27, 17, 30)},
		{"spring festival 2026 (Wed Feb 18)", at(2026, 2, 18, 10, 0),
			at(2026, 2, 24, 10, 30), at(2026, 3, 6, 17, 30), at(2026, 2, 24, 17, 30), at(2026, 2, 26, 17, 30),
			at(2026, 2, 24, 17, 30), at(2026, 3, 13, 17, 30)},
		{"national day 2026 (Sat Oct 3)", at(2026, 10, 3, 10, 0),
			at(2026, 10, 8, 10, 30), at(2026, 10, 20, 17, 30), at(2026, 10, 8, 17, 30), at(2026, 10, 10, 17, 30),
			at(2026, 10, 8, 17, 30), at(2026, 10, 27, 17, 30)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fx{Fixture: testkit.NewFixture(t, tc.filed), t: t}
			f.svc = f.App.Orders
			o := f.file("ent-a", illegal, "")
			if got := f.dueOf(o.ID, "accept"); !got.Equal(tc.accept) {
				t.Errorf("12348 accept due %v, want %v", got, tc.accept)
			}
			if got := f.dueOf(o.ID, "resolve"); !got.Equal(tc.resolve) {
				t.Errorf("12348 resolve due %v, want %v", got, tc.resolve)
			}
			// Accepting and replying on the same non-working day open dispatch and reply there.
			f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
			if got := f.dueOf(o.ID, "dispatch"); !got.Equal(tc.dispatch) {
				t.Errorf("dispatch due %v, want %v", got, tc.dispatch)
			}
			f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
			if got := f.dueOf(o.ID, "reply"); !got.Equal(tc.reply) {
				t.Errorf("reply due %v, want %v", got, tc.reply)
			}
			c, err := f.svc.File(context.Background(), f.Actor("ent-a"), grievance.Filing{Type: "appeal", Description: "希望公示检查计划"}, "")
			if err != nil {
				t.Fatal(err)
			}
			id := f.svc.RowID(c.ID)
			if got := f.dueOf(id, "accept"); !got.Equal(tc.accept12345) {
				t.Errorf("12345 accept due %v, want %v (never less than the 2 working hours of 12348)", got, tc.accept12345)
			}
			if got := f.dueOf(id, "resolve"); !got.Equal(tc.resolve12345) {
				t.Errorf("12345 resolve due %v, want %v", got, tc.resolve12345)
			}
		})
	}
}
