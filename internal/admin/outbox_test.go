package admin_test

import (
	"context"
	"testing"

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
	if r := rows[0]; r.Recipient != "chen@example.test" || r.Status != "failed" || r.LastError != "smtp down" || r.Subject != "受理" {
		t.Fatalf("email row: %+v", r)
	}
	for _, who := range staff {
		_, err := f.App.Admin.Outbox(ctx, f.Actor(who), "")
		wantKind(t, err, errs.Forbidden)
	}
}
