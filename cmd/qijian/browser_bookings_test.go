package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qijian/internal/booking"
	"qijian/internal/store"
)

// TestBrowserBookingJourney: an enterprise browses its industry's menu, books a check-up in two
// clicks, is reminded, the provider confirms, starts and completes it with a report, and the
// enterprise reads the report; an officer cannot open it.
func TestBrowserBookingJourney(t *testing.T) {
	chromePath(t)
	env := serverEnv(t)
	base, pw := startServe(t, env)
	dir := screenshotDir(t)
	ctx := newBrowser(t, 412, 915) // a phone
	tctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	do := func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		must(step, chromedp.Do(tctx, steps...))
	}

	do("enterprise logs in", login(base, "ent-a", pw)...)
	do("browses the menu", chromedp.Navigate(base+"services"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="services"]`)), shot(dir, "booking-menu"))
	menu, err := text(tctx, `[data-testid="services"]`)
	must("read the menu", err)
	if i, j := strings.Index(menu, "鞋革行业合规服务包"), strings.Index(menu, "企业合规体检"); i < 0 || j < 0 || i > j {
		t.Fatalf("ent-a (footwear) does not see its menu first: %q", menu)
	}
	do("opens the check-up", chromedp.Click(chromedp.CSS(`a[href^="/services/"]:not([href$="/book"])`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="slot"]`)), shot(dir, "booking-slots"))
	do("click 1: a time", chromedp.Click(chromedp.CSS(`[data-testid="slot"]`)), chromedp.WaitVisible(chromedp.CSS(`#topic`)))
	do("fills the short form", chromedp.SendKeys(chromedp.CSS(`#address`), "鹿城区车站大道 1 号"), chromedp.SendKeys(chromedp.CSS(`#topic`), "消防设施和产品标识"), shot(dir, "booking-form"))
	do("click 2: book", chromedp.Click(chromedp.CSS(`[data-testid="book-submit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="done"]`)), shot(dir, "booking-done"))
	url, err := chromedp.Run(tctx, chromedp.Location())
	must("location", err)
	url = strings.SplitN(url, "?", 2)[0]
	status, err := text(tctx, `[data-testid="booking-status"]`)
	must("status", err)
	if status != "已预约" {
		t.Fatalf("status %q", status)
	}

	// Time passes: the reminders' timers come due now, and the worker sends them.
	st, err := store.Open(context.Background(), env["QIJIAN_DATABASE_URL"], filepath.Join(env["QIJIAN_DATA_DIR"], "qijian.db"))
	must("open the store", err)
	defer st.Close()
	must("bring the reminders forward", st.Gorm().Model(&store.OutboxRow{}).Where("task_type = ? AND done_at IS NULL", booking.TaskRemind).
		Update("run_at", serverNow(env).Add(-time.Minute)).Error)
	var inbox string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		do("reads the inbox", chromedp.Navigate(base+"inbox"), chromedp.WaitVisible(chromedp.CSS(`main`)))
		inbox, err = text(tctx, `main`)
		must("inbox", err)
		if strings.Contains(inbox, "预约成功：") && strings.Contains(inbox, "预约提醒：") {
			break
		}
	}
	if !strings.Contains(inbox, "预约成功：") || !strings.Contains(inbox, "预约提醒：") {
		t.Fatalf("inbox lacks the booking and its reminder: %q", inbox)
	}
	do("screenshot", shot(dir, "booking-reminded"))
	do("enterprise logs out", logout()...)

	do("provider logs in", login(base, "provider-1", pw)...)
	do("opens the booking", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="act-confirm"]`)))
	do("confirms", chromedp.Click(chromedp.CSS(`[data-testid="act-confirm"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="done"]`)))
	// The booking is tomorrow: 开始服务 is not offered yet. Its time comes (the booking is
	// brought forward to ten minutes from now) and the page offers it.
	early, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid="act-start"]')`))
	must("look for start", err)
	if early {
		t.Fatal("开始服务 offered the day before")
	}
	must("bring the booking forward", st.Gorm().Model(&store.Booking{}).Where("status = ?", "confirmed").
		Update("starts_at", serverNow(env).Add(10*time.Minute)).Error)
	do("the time comes", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="act-start"]`)))
	do("starts", chromedp.Click(chromedp.CSS(`[data-testid="act-start"]`)), chromedp.WaitVisible(chromedp.CSS(`#findings`)))
	do("writes the report",
		chromedp.SendKeys(chromedp.CSS(`#findings`), "安全出口指示灯 2 处损坏；产品标识缺少执行标准编号。"),
		chromedp.SendKeys(chromedp.CSS(`#advice`), "一周内更换指示灯；补印标识。"),
		shot(dir, "provider-report"),
		chromedp.Click(chromedp.CSS(`[data-testid="complete"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="report"]`)))
	do("provider logs out", logout()...)

	do("officer logs in", login(base, "officer-scj", pw)...)
	do("tries the booking", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`main`)))
	page, err := text(tctx, `main`)
	must("officer page", err)
	if strings.Contains(page, "安全出口指示灯") {
		t.Fatal("an officer read a check-up report")
	}
	do("officer logs out", logout()...)

	do("enterprise logs in again", login(base, "ent-a", pw)...)
	do("reads the report", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="report"]`)), shot(dir, "enterprise-report"))
	report, err := text(tctx, `[data-testid="report"]`)
	must("report", err)
	status, err = text(tctx, `[data-testid="booking-status"]`)
	must("status", err)
	if !strings.Contains(report, "安全出口指示灯 2 处损坏") || status != "已完成" {
		t.Fatalf("report %q, status %q", report, status)
	}
}
