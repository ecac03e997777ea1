package portal_test

import (
	"fmt"
	"strings"
	"testing"

	"qijian/internal/store"
)

// The admin lists the tasks that failed for good (their errors masked, their payloads not shown)
// and hands one back to the relay, audited; nobody else sees the list or retries.
func TestAdminRetriesAFailedTask(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	now := e.clk.Now()
	if err := e.st.QueueOutbox(ctx, "booking:remind", map[string]any{"secret": "陈晓东 13805771234"}, now, now); err != nil {
		t.Fatal(err)
	}
	var row store.OutboxRow
	if err := e.st.Gorm().Order("id DESC").First(&row).Error; err != nil {
		t.Fatal(err)
	}
	e.st.Gorm().Model(&row).Update("last_error", "sms to 13805771234 refused")
	if err := e.st.FailForGood(ctx, row.ID, now); err != nil {
		t.Fatal(err)
	}
	adm := e.browser()
	adm.login("admin", demoPassword)
	page := adm.do("GET", "/admin/tasks", nil)
	if page.Status != 200 || !strings.Contains(page.Body, "booking:remind") || strings.Contains(page.Body, "13805771234") || strings.Contains(page.Body, "陈晓东") {
		t.Fatalf("failed tasks page: %d, lists the task %v, shows the number %v", page.Status, strings.Contains(page.Body, "booking:remind"), strings.Contains(page.Body, "13805771234"))
	}
	path := fmt.Sprintf("/admin/tasks/%d/retry", row.ID)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	if r := ent.post(path, "/settings", nil); r.Status != 403 && r.Status != 404 {
		t.Fatalf("an enterprise retries a task: %d", r.Status)
	}
	if r := ent.do("GET", "/admin/tasks", nil); r.Status != 403 && r.Status != 404 {
		t.Fatalf("an enterprise reads the failed tasks: %d", r.Status)
	}
	if r := adm.post(path, "/admin/tasks", nil); r.Status != 303 {
		t.Fatalf("retry: %d %s", r.Status, r.Body)
	}
	var after store.OutboxRow
	e.st.Gorm().First(&after, row.ID)
	if after.FailedAt != nil || after.RelayedAt != nil || after.Redrives != 0 {
		t.Fatalf("after the retry: failed %v relayed %v redrives %d; want it back with the relay", after.FailedAt, after.RelayedAt, after.Redrives)
	}
	if r := adm.post(path, "/admin/tasks", nil); r.Status != 404 {
		t.Fatalf("a second retry of the same task: %d, want 404", r.Status)
	}
	if r := adm.do("GET", "/admin/tasks", nil); strings.Contains(r.Body, "booking:remind") {
		t.Fatal("the retried task is still listed")
	}
	if _, err := e.st.ChainAudit(ctx); err != nil {
		t.Fatal(err)
	}
	var n int64
	e.st.Gorm().Table("audit_events").Where("action = ?", "task.retry").Count(&n)
	var pending int64
	e.st.Gorm().Table("audit_pending").Where("action = ?", "task.retry").Count(&pending)
	if n+pending != 1 {
		t.Fatalf("retry audited %d times, want 1", n+pending)
	}
}
