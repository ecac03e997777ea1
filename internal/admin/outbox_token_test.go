package admin_test

import (
	"context"
	"strings"
	"testing"

	"qijian/internal/store"
	"qijian/internal/testkit"
)

// A reset link's token never reaches an admin, masked or revealed.
func TestOutboxNeverShowsResetTokens(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	d := store.Delivery{SourceID: 3, Channel: "sms", Kind: "account.reset", Recipient: "13800001111",
		Body: "【企检】重置链接 详情：https://qijian.example/password/reset?token=Zx9_secret-Token", Status: store.DeliverySent, CreatedAt: f.Clock.Now()}
	if err := f.St.CreateDelivery(ctx, &d); err != nil {
		t.Fatal(err)
	}
	rows, err := f.App.Admin.Outbox(ctx, adm, "sms")
	if err != nil || len(rows) != 1 || strings.Contains(rows[0].Body, "Zx9_secret") || !strings.Contains(rows[0].Body, "/password/reset?token=") {
		t.Fatalf("masked outbox: %+v %v", rows, err)
	}
	full, err := f.App.Admin.RevealDelivery(ctx, adm, d.ID)
	if err != nil || strings.Contains(full.Body, "Zx9_secret") || full.Recipient != "13800001111" {
		t.Fatalf("revealed: %+v %v", full, err)
	}
}
