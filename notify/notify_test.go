package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"qijian/internal/account"
	"qijian/internal/clock"
	"qijian/internal/message"
	"qijian/internal/store"
	"qijian/internal/testkit"
	"qijian/notify"
	"qijian/workflows"
)

// countingChannel stands in for a gateway: it records what it was asked to send.
type countingChannel struct {
	mu   sync.Mutex
	sent []string
	fail atomic.Bool
}

func (c *countingChannel) Via() string { return "fake" }
func (c *countingChannel) Send(_ context.Context, to, subject, body string) error {
	if c.fail.Load() {
		return errors.New("gateway down")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, to+"|"+subject+"|"+body)
	return nil
}

type fixture struct {
	st      *store.Store
	clk     *clock.Fake
	engine  *workflows.Engine
	n       *notify.Notifier
	sms     *countingChannel
	user    *account.User
	running bool
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := testkit.Store(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	f := &fixture{st: st, clk: clk, sms: &countingChannel{}}
	f.engine = workflows.NewEngine(st, nil, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.n = &notify.Notifier{St: st, BaseURL: "https://qijian.example", SMS: f.sms}
	f.engine.Register(notify.TaskDeliver, func(ctx context.Context, row *store.OutboxRow) error { return f.n.Deliver(ctx, row, clk.Now()) })
	f.engine.Register(notify.TaskSend, func(ctx context.Context, row *store.OutboxRow) error { return f.n.Send(ctx, row, clk.Now()) })
	f.user = &account.User{Username: "ent", PasswordHash: "x", Role: account.RoleEnterprise, DisplayName: "王经理"}
	if err := st.CreateUser(context.Background(), f.user); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) send(t *testing.T, kind string) {
	t.Helper()
	err := f.st.WithTx(context.Background(), func(ctx context.Context) error {
		return message.Send(ctx, f.st, f.clk.Now(), message.Message{UserID: f.user.ID, Kind: kind, TitleZh: "工单 W1 已受理", TitleEn: "Work order W1: accept", Link: "/complaints/1"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// run hands every undone outbox row of the given type to the engine, twice, as a queue that
// retries and duplicates would.
func (f *fixture) run(t *testing.T, taskType string) {
	t.Helper()
	var rows []store.OutboxRow
	if err := f.st.Gorm().Where("task_type = ? AND done_at IS NULL AND run_at <= ?", taskType, f.clk.Now()).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for range 2 {
		for _, r := range rows {
			_ = f.engine.HandleOutboxTask(context.Background(), asynq.NewTask(taskType, []byte(fmt.Sprintf(`{"outbox_id":%d}`, r.ID))))
		}
	}
}

func (f *fixture) deliveries(t *testing.T) []store.Delivery {
	t.Helper()
	d, err := f.st.Deliveries(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestInboxOnlyByDefault(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.send(t, "order.accept")
	f.run(t, notify.TaskDeliver)
	if got := f.deliveries(t); len(got) != 0 {
		t.Fatalf("no SMS or email was asked for, got %d deliveries", len(got))
	}
	n, _ := f.st.Notifications(context.Background(), f.user.ID, 10)
	if len(n) != 1 {
		t.Fatalf("inbox has %d entries, want 1", len(n))
	}
}

func TestSMSAndEmailFollowPreferencesAndLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.SavePrefs(ctx, &store.NotificationPrefs{UserID: f.user.ID, Lang: "en", Mobile: "13800000001", Email: "boss@example.test", SMS: true, EmailOn: true, UpdatedAt: f.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	f.send(t, "order.accept")
	f.run(t, notify.TaskDeliver)
	f.run(t, notify.TaskSend)

	got := f.deliveries(t)
	if len(got) != 2 {
		t.Fatalf("want one SMS and one email, got %d", len(got))
	}
	for _, d := range got {
		if d.Status != store.DeliverySent {
			t.Errorf("%s: status %q, want sent", d.Channel, d.Status)
		}
		if !strings.Contains(d.Body, "Work order W1: accept") || !strings.Contains(d.Body, "https://qijian.example/complaints/1") {
			t.Errorf("%s body is not the English template with an absolute link: %q", d.Channel, d.Body)
		}
		if strings.Contains(d.Body, "已受理") {
			t.Errorf("%s body has Chinese for an English reader: %q", d.Channel, d.Body)
		}
	}
	// The SMS went through the configured gateway once, although both tasks ran twice.
	if len(f.sms.sent) != 1 || !strings.HasPrefix(f.sms.sent[0], "13800000001|") {
		t.Fatalf("SMS gateway calls: %q", f.sms.sent)
	}
	// Email has no server configured, so it stays in the admin-readable outbox.
	for _, d := range got {
		if d.Channel == "email" && (d.Via != "outbox" || d.Subject != "[Qijian] Work order W1: accept") {
			t.Errorf("email: via %q subject %q", d.Via, d.Subject)
		}
	}
}

func TestChineseTemplateForInspectionNotice(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.SavePrefs(ctx, &store.NotificationPrefs{UserID: f.user.ID, Lang: "zh", Email: "boss@example.test", EmailOn: true, UpdatedAt: f.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	f.send(t, "inspection.notice")
	f.run(t, notify.TaskDeliver)
	got := f.deliveries(t)
	if len(got) != 1 || !strings.Contains(got[0].Body, "开卷检查") || !strings.Contains(got[0].Body, "王经理，您好") || !strings.HasPrefix(got[0].Subject, "【企检】") {
		t.Fatalf("inspection notice email: %+v", got)
	}
}

func TestMutedGroupStillReachesInbox(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.SavePrefs(ctx, &store.NotificationPrefs{UserID: f.user.ID, Lang: "zh", Mobile: "13800000001", SMS: true, Muted: []string{"order", "alert"}, UpdatedAt: f.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	f.send(t, "order.reply")
	f.send(t, "inspection.notice")
	f.run(t, notify.TaskDeliver)
	got := f.deliveries(t)
	if len(got) != 1 || got[0].Kind != "inspection.notice" {
		t.Fatalf("muted orders should not go by SMS, got %+v", got)
	}
	n, _ := f.st.Notifications(ctx, f.user.ID, 10)
	if len(n) != 2 {
		t.Fatalf("the inbox keeps every message: %d", len(n))
	}
}

// A failed send is retried by a later task, at most three attempts, and never after success.
func TestFailedSendIsRetriedThenGivenUp(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.SavePrefs(ctx, &store.NotificationPrefs{UserID: f.user.ID, Lang: "zh", Mobile: "13800000001", SMS: true, UpdatedAt: f.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	f.send(t, "order.accept")
	f.run(t, notify.TaskDeliver)
	f.sms.fail.Store(true)
	for range 5 {
		f.run(t, notify.TaskSend)
		f.clk.Advance(5 * time.Minute)
	}
	d := f.deliveries(t)[0]
	if d.Status != store.DeliveryFailed || d.Attempts != 3 || d.LastError == "" {
		t.Fatalf("after a gateway outage: status %q attempts %d err %q", d.Status, d.Attempts, d.LastError)
	}
	if len(f.sms.sent) != 0 {
		t.Fatal("nothing should have been sent")
	}
}

// A delivery left "sending" by a process that died is not sent again: at most once.
func TestClaimedDeliveryIsNeverSentTwice(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.SavePrefs(ctx, &store.NotificationPrefs{UserID: f.user.ID, Lang: "zh", Mobile: "13800000001", SMS: true, UpdatedAt: f.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	f.send(t, "order.accept")
	f.run(t, notify.TaskDeliver)
	d := f.deliveries(t)[0]
	if _, ok, err := f.st.ClaimDelivery(ctx, d.ID); err != nil || !ok {
		t.Fatal("claim", ok, err)
	}
	f.run(t, notify.TaskSend)
	if len(f.sms.sent) != 0 {
		t.Fatalf("a claimed delivery was sent again: %q", f.sms.sent)
	}
}

// The after-commit hook: a rolled-back transaction sends nothing.
func TestNothingIsSentForARolledBackChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ran := false
	_ = f.st.WithTx(ctx, func(ctx context.Context) error {
		store.AfterCommit(ctx, func(context.Context) { ran = true })
		return errors.New("roll back")
	})
	if ran {
		t.Fatal("after-commit work ran for a rollback")
	}
	_ = f.st.WithTx(ctx, func(ctx context.Context) error {
		store.AfterCommit(ctx, func(context.Context) { ran = true })
		return nil
	})
	if !ran {
		t.Fatal("after-commit work did not run after a commit")
	}
}

func TestRenderEveryGroupInBothLanguages(t *testing.T) {
	t.Parallel()
	for _, g := range message.Groups {
		for _, lang := range []string{"zh", "en"} {
			for _, part := range []string{"sms", "email.subject", "email.body"} {
				s, err := notify.Render(lang, part, g.Code+".x", notify.View{Name: "n", Title: "T", URL: "https://x/y"})
				if err != nil || !strings.Contains(s, "T") {
					t.Errorf("%s %s %s: %q %v", g.Code, lang, part, s, err)
				}
			}
		}
	}
}

// Two workers that both got past the claim deliver the same outbox row: the in-app entry's
// unique outbox id (a partial index: direct entries have none) keeps it to one, and entries
// without an outbox row are not limited by it.
func TestDeliveringOneRowTwiceMakesOneEntry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.SavePrefs(ctx, &store.NotificationPrefs{UserID: f.user.ID, Lang: "zh", Mobile: "13800000001", SMS: true, UpdatedAt: f.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	f.send(t, "order.accept")
	var row store.OutboxRow
	if err := f.st.Gorm().Where("task_type = ?", notify.TaskDeliver).First(&row).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.st.WithTx(ctx, func(ctx context.Context) error { return f.n.Deliver(ctx, &row, f.clk.Now()) }); err != nil {
		t.Fatal(err)
	}
	// The second may end in a rolled-back transaction (PostgreSQL aborts it at the conflict),
	// which the queue retries and the claim then stops: either way no second entry.
	_ = f.st.WithTx(ctx, func(ctx context.Context) error { return f.n.Deliver(ctx, &row, f.clk.Now()) })
	for range 2 {
		if err := f.st.CreateNotification(ctx, &store.Notification{UserID: f.user.ID, Kind: "k", Title: "direct", CreatedAt: f.clk.Now()}); err != nil {
			t.Fatalf("a second entry without an outbox row: %v", err)
		}
	}
	var withRow, direct int64
	f.st.Gorm().Model(&store.Notification{}).Where("outbox_id = ?", row.ID).Count(&withRow)
	f.st.Gorm().Model(&store.Notification{}).Where("outbox_id IS NULL").Count(&direct)
	if withRow != 1 || direct != 2 {
		t.Fatalf("entries for the row: %d (want 1); without a row: %d (want 2)", withRow, direct)
	}
}
