package grievance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"qijian/internal/grievance"
	"qijian/internal/message"
	"qijian/internal/store"
	"qijian/internal/testkit"
	"qijian/notify"
)

// fx is the shared fixture (a fresh database with the demo data at testkit.Monday, a fake clock,
// the services) with the helpers these tests share.
type fx struct {
	*testkit.Fixture
	t   *testing.T
	svc *grievance.Service
}

func newFx(t *testing.T) *fx {
	t.Helper()
	f := testkit.NewFixture(t, time.Time{})
	return &fx{Fixture: f, t: t, svc: f.App.Orders}
}

var monday = testkit.Monday

var illegal = grievance.Filing{Type: "illegal_inspection", Reasons: []string{"NOTICE-1"}, Description: "检查前未提前送达检查通知书", BodyID: 1}

// file files as user and returns the stored order.
func (f *fx) file(user string, fl grievance.Filing, key string) *store.WorkOrder {
	f.t.Helper()
	got, err := f.svc.File(context.Background(), f.Actor(user), fl, key)
	if err != nil {
		f.t.Fatalf("file: %v", err)
	}
	return f.order(f.svc.RowID(got.ID))
}

func (f *fx) order(id uint64) *store.WorkOrder {
	f.t.Helper()
	o, err := f.St.Order(context.Background(), id, false)
	if err != nil {
		f.t.Fatalf("order %d: %v", id, err)
	}
	return o
}

func (f *fx) act(user string, id uint64, m grievance.Move) *grievance.OrderDetail {
	f.t.Helper()
	o, err := f.svc.Act(context.Background(), f.Actor(user), id, m)
	if err != nil {
		f.t.Fatalf("%s by %s: %v", m.Action, user, err)
	}
	return o
}

// count runs a COUNT(*) query.
func (f *fx) count(q string, args ...any) int64 {
	f.t.Helper()
	var n int64
	if err := f.St.Gorm().Raw(q, args...).Scan(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

// runDueTimers runs every deadline timer that is due now, as the worker would.
func (f *fx) runDueTimers() int {
	f.t.Helper()
	ctx := context.Background()
	rows, err := f.St.UnrelayedOutbox(ctx, f.Clock.Now(), 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.TaskType != grievance.TaskDeadline {
			continue
		}
		err := f.St.WithTx(ctx, func(ctx context.Context) error {
			row, ok, err := f.St.ClaimOutbox(ctx, r.ID, f.Clock.Now())
			if err != nil || !ok {
				return err
			}
			n++
			return f.svc.HandleTimer(ctx, row)
		})
		if err != nil {
			f.t.Fatal(err)
		}
	}
	return n
}

// assertWhole checks that order id was written with everything a new order starts with: its
// number, source and next due time, its reasons, one submit event, its two deadlines each with
// its reminder's timer, one audit entry and the filer's notice.
func (f *fx) assertWhole(id uint64, reasons ...string) {
	f.t.Helper()
	ctx := context.Background()
	got, err := f.St.Order(ctx, id, false)
	if err != nil {
		f.t.Fatalf("order %d not stored: %v", id, err)
	}
	if want := fmt.Sprintf("QJ%d%07d", got.CreatedAt.Year(), got.ID); got.Number != want || got.NextDueAt == nil || got.Status != "submitted" || got.Source == "" {
		f.t.Fatalf("order %d stored as %+v, want number %s, a source and a next due time", id, got, want)
	}
	if have, err := f.St.OrderReasons(ctx, id); err != nil || fmt.Sprint(have) != fmt.Sprint(sorted(reasons)) {
		f.t.Errorf("order %d: reasons %v %v, want %v", id, have, err, reasons)
	}
	if n := f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = 'submit'", id); n != 1 {
		f.t.Errorf("order %d: %d submit events, want 1", id, n)
	}
	ds, err := f.St.OpenDeadlines(ctx, id)
	if err != nil || len(ds) != 2 {
		f.t.Fatalf("order %d: deadlines %v %v, want 2", id, ds, err)
	}
	var payloads []string
	f.St.Gorm().Raw("SELECT payload FROM outbox WHERE task_type = ?", grievance.TaskDeadline).Scan(&payloads)
	for _, d := range ds {
		timers, kind := 0, ""
		for _, p := range payloads {
			var t struct {
				DeadlineID uint64 `json:"deadline_id"`
				Kind       string `json:"kind"`
			}
			if json.Unmarshal([]byte(p), &t) == nil && t.DeadlineID == d.ID {
				timers++
				kind = t.Kind
			}
		}
		if timers != 1 || kind != "remind" { // the reminder; it arms the breach when it fires
			f.t.Errorf("order %d deadline %d (%s): %d timers (last %q), want 1, the reminder", id, d.ID, d.Stage, timers, kind)
		}
		if d.DueAt.Before(*got.NextDueAt) {
			f.t.Errorf("order %d: next due %v is after deadline %s due %v", id, got.NextDueAt, d.Stage, d.DueAt)
		}
	}
	audits := f.count("SELECT COUNT(*) FROM audit_pending WHERE action = 'order.submit' AND object_id = ?", id) +
		f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'order.submit' AND object_id = ?", id)
	if audits != 1 {
		f.t.Errorf("order %d: %d audit entries, want 1", id, audits)
	}
	// The notice is in the inbox, or owed to the worker for someone who also wants SMS or email.
	link := fmt.Sprintf("/complaints/%d", id)
	msg, _ := json.Marshal(message.Message{UserID: got.FiledByUserID, Kind: "order.received", TitleZh: "您的诉求已提交：" + got.Number, TitleEn: "Your report was received: " + got.Number, Link: link})
	if n := f.count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link = ? AND kind = 'order.received'", got.FiledByUserID, link) +
		f.count("SELECT COUNT(*) FROM outbox WHERE task_type = ? AND payload = ?", notify.TaskDeliver, string(msg)); n != 1 {
		f.t.Errorf("order %d: the filer has %d notices of it, want 1", id, n)
	}
}

func sorted(rs []string) []string {
	out := slices.Clone(rs)
	slices.Sort(out)
	return out
}
