package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// topShot saves what the phone's screen shows first, without scrolling.
func topShot(dir, name string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		buf, err := chromedp.CaptureScreenshot()(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	}
}

// fitScript measures a page on the phone: the page's own overflow, every visible element that
// sticks out of the screen, and every tap target (menu items, buttons, fields) under 44 px.
const fitScript = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > w) out.push('page ' + document.documentElement.scrollWidth + 'px wide');
  const hidden = el => { for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e); if (s.display === 'none' || s.visibility === 'hidden' || (s.clip && s.clip !== 'auto') || e.classList.contains('sr') || e.classList.contains('skip') || e.classList.contains('menu-toggle')) return true; } return false; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"';
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || hidden(el)) continue;
    if (r.right > w + 1 || r.left < -1) out.push('wide: ' + name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  for (const el of document.querySelectorAll('.top nav a, .top nav button, main button:not(.link), main .button, main select, main input:not([type=checkbox]):not([type=radio]):not([type=hidden]), .menu-btn')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || hidden(el)) continue;
    if (r.height < 44 - 0.5) out.push('small: ' + name(el) + ' ' + Math.round(r.height) + 'px');
  }
  return out.slice(0, 12);
})()`

// On a 390×844 phone every role's home and main list fit the screen: nothing sticks out, the
// menu opens from a button carrying the unread count with every item on screen, lists are
// cards with status and deadline in view, and tap targets are 44 px high.
func TestBrowserPhoneFitsEveryRole(t *testing.T) {
	chromePath(t)
	env := serverEnv(t)
	base, pw := startServe(t, env)
	dir := screenshotDir(t)
	// Something in each list: a complaint by ent-a, an inspection of it.
	_, etok := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": "ent-a", "password": pw})
	if code, out := getJSON(t, "POST", base+"api/v1/complaints", etok["token"].(string), map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1", "CODE-1"},
		"body_id": 1, "description": "检查人员未亮码，也未提前三个工作日通知"}); code != 201 {
		t.Fatalf("file: %d %v", code, out)
	}
	_, otok := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": "officer-scj", "password": pw})
	if code, out := getJSON(t, "POST", base+"api/v1/inspections", otok["token"].(string), map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1}, "scheduled_at": serverNow(env).AddDate(0, 0, 10).Format(time.RFC3339), "notice_delivered_at": serverNow(env).Format(time.RFC3339), "place": "鹿城区工业园 8 号"}); code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	ctx := newBrowser(t, 390, 844)
	roles := []struct {
		user string
		list string // the role's main list
		row  string // a row of it whose status and deadline must show
		more []string
	}{
		{"visitor", "v/nonsense", "", []string{"login", "register", "lists", "services"}},
		{"ent-a", "complaints", `[data-testid="orders"] tbody tr`, []string{"inspections", "complaints/new", "services", "bookings", "inbox"}},
		{"liaison-lc", "complaints", `[data-testid="orders"] tbody tr`, []string{"complaints/1", "inspections"}},
		{"officer-scj", "inspections", `[data-testid="inspections"] tbody tr`, []string{"manage/masterdata", "manage/inspections/new", "appointments"}},
		{"obs-chamber", "complaints", "", nil},
		{"provider-1", "bookings", "", []string{"provider/schedule"}},
		{"operator-12345", "intake", "", []string{"complaints"}},
		{"admin", "admin/users", "", []string{"admin/workflow", "admin/bodies", "admin/counties", "admin/services"}},
	}
	for _, r := range roles {
		tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		check := func(page string) {
			t.Helper()
			var bad []string
			if err := chromedp.Do(tctx, chromedp.Navigate(base+page), chromedp.WaitVisible(chromedp.CSS(`main`)), shot(dir, "phone-"+r.user+"-"+strings.ReplaceAll(strings.Trim(page, "/"), "/", "-")), topShot(dir, "phone-top-"+r.user+"-"+strings.ReplaceAll(strings.Trim(page, "/"), "/", "-"))); err != nil {
				t.Fatalf("%s %s: %v", r.user, page, err)
			}
			bad, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](fitScript))
			if err != nil {
				t.Fatalf("%s %s: measure: %v", r.user, page, err)
			}
			if len(bad) > 0 {
				t.Errorf("%s /%s on a phone:\n  %s", r.user, page, strings.Join(bad, "\n  "))
			}
		}
		if r.user != "visitor" {
			if err := chromedp.Do(tctx, login(base, r.user, pw)...); err != nil {
				t.Fatalf("%s logs in: %v", r.user, err)
			}
		}
		check("")
		// The menu: closed behind its button; open, every item on screen.
		if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`[data-testid="menu-button"]`)), chromedp.WaitVisible(chromedp.CSS(`.top nav li:last-child button`)), shot(dir, "phone-"+r.user+"-menu")); err != nil {
			t.Fatalf("%s opens the menu: %v", r.user, err)
		}
		off, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.top nav li')].filter(li => { const b = li.getBoundingClientRect(); return b.height === 0 || b.right > document.documentElement.clientWidth || b.bottom > document.documentElement.scrollHeight; }).map(li => li.textContent.trim())`))
		if err != nil || len(off) > 0 {
			t.Errorf("%s: menu items off the screen: %v %v", r.user, off, err)
		}
		check(r.list)
		if r.row != "" {
			seen, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`(() => { const w = document.documentElement.clientWidth; const row = document.querySelector('`+r.row+`'); if (!row) return false;
				return ['td.state', 'td.due'].every(sel => { const c = row.querySelector(sel); if (!c) return false; const b = c.getBoundingClientRect(); return b.height > 0 && b.left >= 0 && b.right <= w + 1 && c.textContent.trim() !== ''; }); })()`))
			if err != nil || !seen {
				t.Errorf("%s: the list's rows do not show status and deadline on screen: %v", r.user, err)
			}
		}
		for _, p := range r.more {
			check(p)
		}
		if r.user != "visitor" {
			if err := chromedp.Do(tctx, logout()...); err != nil {
				t.Fatalf("%s logs out: %v", r.user, err)
			}
		}
		cancel()
	}
}
