package main

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored with its licence under testdata/axe (version in the name);
// it is never served by the portal, only injected by these tests.
//
//go:embed testdata/axe/axe-4.14.1.min.js
var axeSource string

// axeRun runs axe on the page shown (WCAG 2.1 A and AA) and answers its violations, one line
// each: rule, impact and the first elements it names.
func axeRun(ctx context.Context) ([]string, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`)); err != nil {
		return nil, err
	}
	loaded, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
			return nil, fmt.Errorf("load axe: %w", err)
		}
	}
	type node struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	}
	type violation struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []node `json:"nodes"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => ({target: n.target, html: n.html.slice(0, 160)}))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	var out []string
	for _, v := range got {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
		}
		out = append(out, fmt.Sprintf("%s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(where, " | ")))
	}
	return out, nil
}

// axePages are each role's home and main pages; "first:/complaints/" opens the first order
// the list shows (and likewise for inspections and bookings).
var axePages = []struct {
	user  string
	paths []string
}{
	{"", []string{"/", "/login", "/register", "/lists", "/services"}},
	{"ent-a", []string{"/", "/inspections", "first:/inspections/", "/complaints", "first:/complaints/", "/complaints/new", "/services", "/bookings", "first:/bookings/", "/appointments", "/alerts", "/documents", "/inbox", "/settings/notifications"}},
	{"liaison-lc", []string{"/", "/complaints", "first:/complaints/", "/inspections", "/review/claims"}},
	{"officer-scj", []string{"/", "/complaints", "first:/complaints/", "/inspections", "/manage/masterdata", "/appointments", "/alerts"}},
	{"obs-chamber", []string{"/", "/complaints", "/complaints/new"}},
	{"provider-1", []string{"/", "first:/bookings/", "/bookings", "/provider/schedule"}},
	{"admin", []string{"/", "/admin/users", "/admin/bodies", "/admin/counties", "/admin/workflow", "/admin/calendar", "/admin/services", "/admin/outbox"}},
}

// TestBrowserAxeFindsNoViolations runs axe-core on every role's home and main pages, with the
// demo's data, on a phone and on a desk, and fails on any violation.
func TestBrowserAxeFindsNoViolations(t *testing.T) {
	chromePath(t)
	base, pw := startServe(t, serverEnv(t))
	base = strings.TrimSuffix(base, "/")
	var problems []string
	checked := 0
	for _, size := range [][2]int{{390, 844}, {1366, 900}} {
		ctx := newBrowser(t, size[0], size[1])
		for _, role := range axePages {
			tctx, cancel := context.WithTimeout(ctx, 120*time.Second)
			if role.user != "" {
				if err := chromedp.Do(tctx, login(base+"/", role.user, pw)...); err != nil {
					cancel()
					t.Fatalf("%s logs in: %v", role.user, err)
				}
			}
			for _, p := range role.paths {
				where := fmt.Sprintf("%dpx %s %s", size[0], role.user, p)
				if first, ok := strings.CutPrefix(p, "first:"); ok {
					href, err := chromedp.Run(tctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => { const a = [...document.querySelectorAll('main a[href^="%s"]')].find(a => /\d$/.test(a.getAttribute('href'))); return a ? a.getAttribute('href') : ''; })()`, first)))
					if err != nil || href == "" {
						problems = append(problems, where+": no link to open on the page before")
						continue
					}
					p = href
				}
				if err := chromedp.Do(tctx, chromedp.Navigate(base+p), chromedp.WaitReady(chromedp.CSS(`main`))); err != nil {
					cancel()
					t.Fatalf("%s: %v", where, err)
				}
				v, err := axeRun(tctx)
				if err != nil {
					cancel()
					t.Fatalf("%s: %v", where, err)
				}
				checked++
				for _, s := range v {
					problems = append(problems, where+": "+s)
				}
			}
			if role.user != "" {
				if err := chromedp.Do(tctx, logout()...); err != nil {
					cancel()
					t.Fatalf("%s logs out: %v", role.user, err)
				}
			}
			cancel()
		}
	}
	t.Logf("axe checked %d pages", checked)
	if len(problems) > 0 {
		t.Errorf("axe found %d violations:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}
