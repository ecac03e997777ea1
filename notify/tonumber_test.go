package notify_test

import (
	"context"
	"strings"
	"testing"

	"qijian/internal/message"
	"qijian/internal/store"
	"qijian/notify"
)

// An account message to a verified number (a reset link) goes by SMS to that number alone,
// whatever the settings and mutes say, once, and writes no inbox entry.
func TestAccountMessageGoesToItsNumberAlone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.SavePrefs(ctx, &store.NotificationPrefs{UserID: f.user.ID, Lang: "en", Mobile: "13800000001", SMS: false, Muted: []string{"account"}, UpdatedAt: f.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	err := f.st.WithTx(ctx, func(ctx context.Context) error {
		return message.Send(ctx, f.st, f.clk.Now(), message.Message{To: "13900000009", Kind: "account.reset", TitleZh: "重置链接", TitleEn: "Reset link", Link: "/password/reset?token=abc"})
	})
	if err != nil {
		t.Fatal(err)
	}
	f.run(t, notify.TaskDeliver)
	f.run(t, notify.TaskSend)
	got := f.deliveries(t)
	if len(got) != 1 || got[0].Channel != "sms" || got[0].Recipient != "13900000009" || got[0].Status != store.DeliverySent ||
		!strings.Contains(got[0].Body, "https://qijian.example/password/reset?token=abc") {
		t.Fatalf("deliveries %+v: want one SMS to the number with the absolute link", got)
	}
	if n, _ := f.st.Notifications(ctx, f.user.ID, 10); len(n) != 0 {
		t.Fatalf("inbox entries: %d", len(n))
	}
	if len(f.sms.sent) != 1 {
		t.Fatalf("gateway sent %d", len(f.sms.sent))
	}
}
