package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserNoticeAndVerify: an officer's inspection reaches the enterprise, which opens the
// notice, reads the open-book list and acknowledges it; at the door, a phone opens the public
// verify page of the code.
func TestBrowserNoticeAndVerify(t *testing.T) {
	chromePath(t)
	base, pw := startServe(t, serverEnv(t))
	dir := screenshotDir(t)
	_, tok := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": "officer-scj", "password": pw})
	at := time.Now().AddDate(0, 0, 10)
	code, out := getJSON(t, "POST", base+"api/v1/inspections", tok["token"].(string), map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1, 2}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": time.Now().Format(time.RFC3339), "place": "鹿城区工业园 8 号"})
	if code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	ctx := newBrowser(t, 1280, 900)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	must("enterprise logs in", chromedp.Do(tctx, login(base, "ent-a", pw)...))
	must("opens the notice", chromedp.Do(tctx, chromedp.Navigate(fmt.Sprintf("%sinspections/%v", base, out["id"])), chromedp.WaitVisible(chromedp.CSS(`[data-testid="openbook"]`)), shot(dir, "notice")))
	book, err := text(tctx, `[data-testid="openbook"]`)
	must("read the list", err)
	if !strings.Contains(book, "食品经营许可情况检查") || !strings.Contains(book, "产品质量监督抽查") {
		t.Fatalf("open-book list: %q", book)
	}
	must("acknowledges", chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`[data-testid="ack"]`)), chromedp.WaitVisible(chromedp.CSS(`.notice.ok`))))

	phone := newBrowser(t, 390, 844)
	pctx, cancel2 := context.WithTimeout(phone, 30*time.Second)
	defer cancel2()
	must("verify on a phone", chromedp.Do(pctx, chromedp.Navigate(base+"v/"+out["code"].(string)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict"]`)), shot(dir, "verify-phone")))
	verdict, err := text(pctx, `[data-testid="verdict"]`)
	must("read the verdict", err)
	if !strings.Contains(verdict, "有效") {
		t.Fatalf("verdict: %q", verdict)
	}
	must("a forged code", chromedp.Do(pctx, chromedp.Navigate(base+"v/QJ0000000000000000000000000000"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict"]`)), shot(dir, "verify-forged")))
	verdict, err = text(pctx, `[data-testid="verdict"]`)
	must("read the verdict", err)
	if strings.Contains(verdict, "有效") {
		t.Fatalf("a made-up code verifies: %q", verdict)
	}
}
