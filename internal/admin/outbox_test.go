package admin_test

import (
	"context"
	"strings"
	"testing"

	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

func TestOutboxByChannel(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	now := f.Clock.Now()
	for i, d := range []store.Delivery{
		{SourceID: 1, Channel: "sms", UserID: 1, Kind: "order.accept", Recipient: "13800000001", Body: "已受理", Status: store.DeliveryQueued, CreatedAt: now},
		{SourceID: 1, Channel: "email", UserID: 1, Kind: "order.accept", Recipient: "chen@example.test", Subject: "受理", Body: "已受理", Status: store.DeliveryFailed, LastError: "smtp down", CreatedAt: now},
	} {
		if err := f.St.CreateDelivery(ctx, &d); err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	for _, tc := range []struct {
		channel string
		want    int
	}{{"sms", 1}, {"email", 1}, {"", 2}, {"fax", 2}} {
		rows, err := f.App.Admin.Outbox(ctx, adm, tc.channel)
		if err != nil || len(rows) != tc.want {
			t.Fatalf("channel %q: %d rows, %v; want %d", tc.channel, len(rows), err, tc.want)
		}
		for _, r := range rows {
			if tc.want == 1 && r.Channel != tc.channel {
				t.Fatalf("channel %q listed a %s", tc.channel, r.Channel)
			}
		}
	}
	rows, _ := f.App.Admin.Outbox(ctx, adm, "email")
	if r := rows[0]; r.Recipient != "c***@***.test" || !r.Masked || r.Status != "failed" || r.LastError != "smtp down" || r.Subject != "受理" {
		t.Fatalf("email row: %+v", r)
	}
	for _, who := range staff {
		_, err := f.App.Admin.Outbox(ctx, f.Actor(who), "")
		wantKind(t, err, errs.Forbidden)
	}
}

// The outbox list masks personal data: the recipient's address, their name wherever the message
// says it, and any other phone number or email address; seeing one delivery in full is an
// admin's audited look, one at a time.
func TestOutboxMasksPersonalDataAndRevealsAudited(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	ent := f.User("ent-a")
	body := ent.DisplayName + "，您好：工单 QJ2026N02YTY3E832 已派单 http://portal/complaints/4711580166230832 回电 13912345678 或 0577-88886666，邮件 boss@xinrui-shoes.cn"
	d := store.Delivery{SourceID: 9, Channel: "sms", UserID: ent.ID, Kind: "order.dispatch", Recipient: "13800001111", Body: body, Status: store.DeliverySent, CreatedAt: f.Clock.Now()}
	if err := f.St.CreateDelivery(ctx, &d); err != nil {
		t.Fatal(err)
	}
	rows, err := f.App.Admin.Outbox(ctx, adm, "sms")
	if err != nil || len(rows) != 1 {
		t.Fatalf("outbox: %v %d", err, len(rows))
	}
	r := rows[0]
	for _, leak := range []string{"13800001111", ent.DisplayName, "13912345678", "88886666", "boss@", "xinrui-shoes"} {
		if strings.Contains(r.Recipient+r.Subject+r.Body+r.LastError, leak) {
			t.Errorf("the masked outbox shows %q: %+v", leak, r)
		}
	}
	if r.Recipient != "138******11" || !strings.Contains(r.Body, "QJ2026N02YTY3E832") || !strings.Contains(r.Body, "已派单") {
		t.Fatalf("masked too much or too little: %+v", r)
	}
	audits := func() int {
		n := 0
		for _, e := range pendingAudits(t, f) {
			if e.Action == "outbox.reveal" && e.ObjectID == d.ID && e.ActorID == adm.UserID {
				n++
			}
		}
		return n
	}
	for _, who := range staff {
		_, err := f.App.Admin.RevealDelivery(ctx, f.Actor(who), d.ID)
		wantKind(t, err, errs.Forbidden)
	}
	if _, err := f.App.Admin.RevealDelivery(ctx, adm, d.ID+100); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("an unknown delivery: %v", err)
	}
	if n := audits(); n != 0 {
		t.Fatalf("%d reveals audited before any", n)
	}
	for i := 1; i <= 2; i++ {
		full, err := f.App.Admin.RevealDelivery(ctx, adm, d.ID)
		if err != nil || full.Recipient != "13800001111" || full.Body != body || full.Masked {
			t.Fatalf("reveal: %+v %v", full, err)
		}
		if n := audits(); n != i {
			t.Fatalf("after %d reveals, %d audited", i, n)
		}
	}
}

// pendingAudits reads the audit entries not yet chained, and the chained ones.
func pendingAudits(t *testing.T, f *testkit.Fixture) []audit.Event {
	t.Helper()
	var out []audit.Event
	for _, table := range []string{"audit_pending", "audit_events"} {
		var rows []audit.Event
		if err := f.St.Gorm().Table(table).Select("action, object_id, actor_id").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		out = append(out, rows...)
	}
	return out
}
