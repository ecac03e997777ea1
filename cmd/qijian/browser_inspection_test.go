package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qijian/internal/inspection/actcode"
)

// TestBrowserNoticeAndVerify: an officer's inspection reaches the enterprise, which opens the
// notice, reads the open-book list and acknowledges it (NOTICE-1); at the door, a phone opens the
// public verify page of the code (CODE-1); after an inspection the enterprise rates it, ticking
// that no code was shown, which becomes a CODE-1 clue. Forged, revoked and unknown codes each
// read as such.
func TestBrowserNoticeAndVerify(t *testing.T) {
	chromePath(t)
	env := serverEnv(t)
	env["QIJIAN_SECRET"] = "browser-test-secret-0123456789abcdef" // to sign an unknown but genuine-looking code
	base, pw := startServe(t, env)
	dir := screenshotDir(t)
	_, tok := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": "officer-scj", "password": pw})
	at := serverNow(env).AddDate(0, 0, 10)
	code, out := getJSON(t, "POST", base+"api/v1/inspections", tok["token"].(string), map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1, 2}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": serverNow(env).Format(time.RFC3339), "place": "鹿城区工业园 8 号"})
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
	// Forged (not signed here), revoked (the inspection was cancelled) and unknown (signed, but no
	// such inspection) each say so.
	past := serverNow(env).Add(-2 * time.Hour)
	code, done := getJSON(t, "POST", base+"api/v1/inspections", tok["token"].(string), map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1, 2}, "scheduled_at": past.Format(time.RFC3339), "notice_delivered_at": past.AddDate(0, 0, -7).Format(time.RFC3339), "place": "鹿城区工业园 8 号"})
	if code != 201 {
		t.Fatalf("register a past inspection: %d %v", code, done)
	}
	code, cancelled := getJSON(t, "POST", base+"api/v1/inspections", tok["token"].(string), map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": serverNow(env).Format(time.RFC3339), "place": "鹿城区"})
	if code != 201 {
		t.Fatalf("register: %d %v", code, cancelled)
	}
	if code, out := getJSON(t, "POST", fmt.Sprintf("%sapi/v1/inspections/%v/status", base, cancelled["id"]), tok["token"].(string), map[string]any{"status": "cancelled"}); code != 200 {
		t.Fatalf("cancel: %d %v", code, out)
	}
	unknown := actcode.New([]byte(env["QIJIAN_SECRET"])).Issue(987654, serverNow(env))
	real := out["code"].(string) // one character changed: the signature no longer holds
	forged := real[:10] + map[bool]string{true: "1", false: "2"}[real[10] != '1'] + real[11:]
	for _, c := range []struct{ name, code, want string }{
		{"verify-forged", forged, "不是本平台签发"},
		{"verify-revoked", cancelled["code"].(string), "已撤销"},
		{"verify-unknown", unknown, "查无此码"},
	} {
		must(c.name, chromedp.Do(pctx, chromedp.Navigate(base+"v/"+c.code), chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict"]`)), shot(dir, c.name)))
		verdict, err = text(pctx, `[data-testid="verdict"]`)
		must("read the verdict", err)
		if !strings.Contains(verdict, c.want) || strings.Contains(verdict, "有效") {
			t.Fatalf("%s: verdict %q, want %q", c.name, verdict, c.want)
		}
	}

	// The enterprise rates the inspection that took place, on its phone.
	pe := newBrowser(t, 390, 844)
	ectx, cancel3 := context.WithTimeout(pe, 60*time.Second)
	defer cancel3()
	must("enterprise logs in on a phone", chromedp.Do(ectx, login(base, "ent-a", pw)...))
	must("rates", chromedp.Do(ectx, chromedp.Navigate(fmt.Sprintf("%sinspections/%v", base, done["id"])), chromedp.WaitVisible(chromedp.CSS(`#score`)),
		chromedp.SetValue(chromedp.CSS(`#score`), "2"), chromedp.Click(chromedp.CSS(`#code_shown`)),
		chromedp.SendKeys(chromedp.CSS(`#comment`), "未出示行政行为码"), shot(dir, "rate-form"),
		chromedp.Submit(chromedp.CSS(`#comment`)), chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)), shot(dir, "rated")))
	_, etok := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": "ent-a", "password": pw})
	code, view := getJSON(t, "GET", fmt.Sprintf("%sapi/v1/inspections/%v", base, done["id"]), etok["token"].(string), nil)
	r, _ := view["rating"].(map[string]any)
	if code != 200 || r == nil || r["score"] != float64(2) || r["code_shown"] != false {
		t.Fatalf("the rating as stored: %d %v", code, view["rating"])
	}
	_, ltok := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": "liaison-lc", "password": pw})
	code, q := getJSON(t, "GET", base+"api/v1/complaints?rule=CODE-1&clues=1", ltok["token"].(string), nil)
	if items, _ := q["items"].([]any); code != 200 || len(items) != 1 {
		t.Fatalf("the CODE-1 clue from the rating in the liaison's queue: %d %v", code, q)
	}
}
