package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserDuplicatesMerged: an enterprise files the same matter twice; the county liaison sees
// the first suggested on the second's page and merges the second into it; the second's page then
// names the first as its main order, for the liaison and for the enterprise.
func TestBrowserDuplicatesMerged(t *testing.T) {
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
	file := func(desc string) (number, url string) {
		t.Helper()
		do("opens the form", chromedp.Navigate(base+"complaints/new"), chromedp.WaitVisible(chromedp.CSS(`#description`)))
		do("files", chromedp.SetValue(chromedp.CSS(`#type`), "conduct"), chromedp.SendKeys(chromedp.CSS(`#description`), desc),
			chromedp.Submit(chromedp.CSS(`#description`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="order-number"]`)))
		number, err := text(tctx, `[data-testid="order-number"]`)
		must("read the number", err)
		url, err = chromedp.Run(tctx, chromedp.Location())
		must("read the location", err)
		url = strings.TrimSuffix(url, "?filed=1") // the order itself, not its just-filed confirmation
		return number, url
	}

	do("enterprise logs in", login(base, "ent-a", pw)...)
	first, firstURL := file("检查人员在生产高峰期要求停产配合检查")
	second, secondURL := file("同一次检查：检查人员要求停产配合，影响交货")
	do("enterprise logs out", logout()...)

	do("liaison logs in", login(base, "liaison-lc", pw)...)
	do("opens the second", chromedp.Navigate(secondURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="duplicates"]`)), shot(dir, "merge-suggested"))
	dups, err := text(tctx, `[data-testid="duplicates"]`)
	must("read the suggestions", err)
	if !strings.Contains(dups, first) || !strings.Contains(dups, "同一企业") {
		t.Fatalf("suggestions %q lack %s by its enterprise", dups, first)
	}
	path := strings.TrimPrefix(secondURL, strings.TrimSuffix(base, "/"))
	firstID := firstURL[strings.LastIndex(firstURL, "/")+1:] // the demo's own orders of ent-a are suggested too
	do("merges it into the first", chromedp.Click(chromedp.CSS(`[data-testid="duplicates"] form[action="`+path+`/act"]:has(input[name="main_id"][value="`+firstID+`"]) button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="merged-into"]`)), shot(dir, "merge-merged"))
	status, err := text(tctx, `[data-testid="order-status"]`)
	must("read the status", err)
	main, err := text(tctx, `[data-testid="merged-into"]`)
	must("read the main order", err)
	if status != "已合并" || !strings.Contains(main, first) {
		t.Fatalf("after the merge: status %q, main %q", status, main)
	}
	do("liaison logs out", logout()...)

	do("enterprise logs in again", login(base, "ent-a", pw)...)
	do("reads the second", chromedp.Navigate(secondURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="merged-into"]`)))
	main, err = text(tctx, `[data-testid="merged-into"]`)
	must("read the main order", err)
	if !strings.Contains(main, first) || !strings.Contains(main, "本工单已并入") {
		t.Fatalf("the enterprise's page of %s: %q", second, main)
	}
}
