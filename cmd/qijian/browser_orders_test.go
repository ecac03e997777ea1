package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func login(base, user, pw string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "login"),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), user),
		chromedp.SendKeys(chromedp.CSS(`#password`), pw),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="home-title"]`)),
	}
}

func logout() []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		openMenu(),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
	}
}

// openMenu opens the phone's menu (a no-op on a desk, where the menu is always shown).
func openMenu() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`(() => { const m = document.getElementById('menu-toggle'); if (m) m.checked = true; return true; })()`)(ctx, tg)
		return chromedp.Void{}, err
	}
}

// act fills and sends the order page's own small form for action (data-testid "<action>-form",
// fields "#<action>-<field>"), confirming where the page asks once more.
func act(action, unit, note string) []chromedp.Action[chromedp.Void] {
	form := `[data-testid="` + action + `-form"]`
	steps := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS(form))}
	if unit != "" {
		steps = append(steps, chromedp.SetValue(chromedp.CSS(`#`+action+`-unit_id`), unit))
	}
	if note != "" {
		steps = append(steps, chromedp.SetValue(chromedp.CSS(`#`+action+`-note`), note))
	}
	steps = append(steps, chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)))
	if action == "close" || action == "escalate" {
		steps = append(steps, chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-step"]`)), chromedp.Click(chromedp.CSS(`[data-testid="confirm-form"] button[type="submit"]`)))
	}
	return append(steps, chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)))
}

// TestBrowserComplaintJourney: an enterprise reports an illegal inspection anonymously, the
// county liaison finds it in the queue, accepts and dispatches it, the reported body sees it
// without the reporter and replies, and the enterprise reads the reply in its timeline.
func TestBrowserComplaintJourney(t *testing.T) {
	chromePath(t)
	base, pw := startServe(t, serverEnv(t))
	dir := screenshotDir(t)
	ctx := newBrowser(t, 1280, 900)
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
	do("opens the form", chromedp.Navigate(base+"complaints/new"), chromedp.WaitVisible(chromedp.CSS(`#description`)))
	do("fills it",
		chromedp.SetValue(chromedp.CSS(`#type`), "illegal_inspection"),
		chromedp.Click(chromedp.CSS(`input[name="reasons"][value="NOTICE-1"]`)),
		chromedp.SetValue(chromedp.CSS(`#body_id`), "1"),
		chromedp.SendKeys(chromedp.CSS(`#description`), "检查人员未提前通知，也未出示行政行为码"),
		chromedp.Click(chromedp.CSS(`#anonymous`)),
		shot(dir, "order-new"),
		chromedp.Submit(chromedp.CSS(`#description`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="order-number"]`)),
		shot(dir, "order-filed"))
	number, err := text(tctx, `[data-testid="order-number"]`)
	must("read the number", err)
	url, err := chromedp.Run(tctx, chromedp.Location())
	must("read the location", err)
	do("enterprise logs out", logout()...)

	do("liaison logs in", login(base, "liaison-lc", pw)...)
	do("opens the queue", chromedp.Navigate(base+"complaints"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="orders"]`)), shot(dir, "liaison-queue"))
	queue, err := text(tctx, `[data-testid="orders"]`)
	must("read the queue", err)
	if !strings.Contains(queue, number) || !regexp.MustCompile(`还剩|今天 \d\d:\d\d 前|明天 \d\d:\d\d 前|日 \d\d:\d\d 前`).MatchString(queue) {
		t.Fatalf("queue lacks %s with a countdown: %q", number, queue)
	}
	do("accepts", append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(url)}, act("accept", "", "")...)...)
	// Dispatching without a unit comes back in place: the summary, focused, links to the field.
	do("dispatches without a unit", chromedp.WaitVisible(chromedp.CSS(`[data-testid="dispatch-form"]`)), chromedp.SetValue(chromedp.CSS(`#dispatch-note`), "请核实"),
		chromedp.Click(chromedp.CSS(`[data-testid="dispatch-form"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)), shot(dir, "dispatch-error"))
	marked, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`document.activeElement.dataset.testid === 'error-summary' && document.querySelector('#dispatch-unit_id').getAttribute('aria-invalid') === 'true' && document.querySelector('#dispatch-note').value === '请核实' && !!document.querySelector('a[href="#dispatch-unit_id"]')`))
	must("read the error state", err)
	if !marked {
		t.Fatal("the dispatch error is not summarised with focus, marked, and the note kept")
	}
	do("dispatches", act("dispatch", "1", "")...)
	do("screenshot", shot(dir, "liaison-order"))
	do("liaison logs out", logout()...)

	do("officer logs in", login(base, "officer-scj", pw)...)
	do("opens the order", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="order-number"]`)), shot(dir, "officer-order"))
	body, err := text(tctx, `main`)
	must("read the page", err)
	if strings.Contains(body, "温州鹿城新锐鞋业有限公司") || !strings.Contains(body, "匿名") {
		t.Fatal("the reported body's page names the anonymous reporter")
	}
	do("replies", act("reply", "", "已核实，检查人员已整改")...)
	do("officer logs out", logout()...)

	do("enterprise logs in again", login(base, "ent-a", pw)...)
	do("reads the order", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)), shot(dir, "enterprise-timeline"))
	tl, err := text(tctx, `[data-testid="timeline"]`)
	must("read the timeline", err)
	status, err := text(tctx, `[data-testid="order-status"]`)
	must("read the status", err)
	if !strings.Contains(tl, "已核实，检查人员已整改") || !strings.Contains(tl, "派单") || status != "已答复" {
		t.Fatalf("timeline %q, status %q", tl, status)
	}
	do("enterprise logs out", logout()...)

	// Follow-up, a middling rating, the answer recorded, closing; the enterprise, its problem not
	// solved, reopens and the order rises a level.
	do("liaison logs in again", login(base, "liaison-lc", pw)...)
	do("starts the follow-up", append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(url)}, act("follow_up", "", "")...)...)
	do("liaison logs out", logout()...)
	do("enterprise logs in to rate", login(base, "ent-a", pw)...)
	do("rates", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="rate-form"]`)), chromedp.Click(chromedp.CSS(`#rate-rating-3`)),
		chromedp.Click(chromedp.CSS(`[data-testid="rate-form"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="rating-given"]`)), shot(dir, "rated"))
	do("enterprise logs out", logout()...)
	// The order closes only once the follow-up has the enterprise's answer, solved and satisfied apart.
	do("liaison records the follow-up", append(append([]chromedp.Action[chromedp.Void]{}, login(base, "liaison-lc", pw)...), chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="follow-up-form"]`)), chromedp.Click(chromedp.CSS(`#solved-no`)), chromedp.Click(chromedp.CSS(`#satisfied-yes`)),
		chromedp.Submit(chromedp.CSS(`#solved-no`)), chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)))...)
	do("liaison closes", append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(url)}, act("close", "", "")...)...)
	do("liaison logs out", logout()...)
	do("enterprise reopens", append(append([]chromedp.Action[chromedp.Void]{}, login(base, "ent-a", pw)...), append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(url)}, act("reopen", "", "答复未解决问题")...)...)...)
	do("screenshot", shot(dir, "enterprise-reopened"))
	level, err := text(tctx, `[data-testid="order-level"]`)
	must("read the level", err)
	status, err = text(tctx, `[data-testid="order-status"]`)
	must("read the status", err)
	if level != "催办提醒" || status != "已受理" { // level 1, by its name
		t.Fatalf("after reopening: level %q, status %q", level, status)
	}
}
