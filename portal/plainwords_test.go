package portal_test

import (
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var (
	tagRe     = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	hrefRe    = regexp.MustCompile(`href="(/[^"#]*)"`)
	ruleIDRe  = regexp.MustCompile(`\b(?:SUBJ|LIST|FREQ|NOTICE|CODE|PLAN|SPEC|JOINT|AREA|DATA|VISIT|CONDUCT|RECORD)-\d\b`)
	hashNumRe = regexp.MustCompile(`#\d`)
	countyRe  = regexp.MustCompile(`(?:^|[^\d])33\d{4}(?:$|[^\d])`) // a county code, as 330302
	// A message key shown as it is: dotted lower-case words, as "orders.status" or "type.appeal".
	keyRe = regexp.MustCompile(`(?:^|[\s(（:：·])((?:[a-z][a-z0-9_]*\.)+[a-z][a-z0-9_]*)(?:$|[\s)）,，.:：·])`)
)

// visibleText is what a person reads on a page: the text between tags, entities decoded, with
// the values of the page's options and buttons (which are text too).
func visibleText(body string) string {
	if i := strings.Index(body, "<body"); i >= 0 {
		body = body[i:]
	}
	return html.UnescapeString(tagRe.ReplaceAllString(body, " "))
}

// crawl visits, as the browser b, every page reachable by links from start (GET only, same site,
// no downloads), at most limit pages, and hands each 200 page to check.
func crawl(t *testing.T, b *browser, start []string, limit int, check func(path, body string)) {
	t.Helper()
	seen := map[string]bool{}
	queue := append([]string(nil), start...)
	for len(queue) > 0 && len(seen) < limit {
		p := queue[0]
		queue = queue[1:]
		u, err := url.Parse(p)
		if err != nil || seen[u.Path+"?"+u.RawQuery] {
			continue
		}
		key := u.Path + "?" + u.RawQuery
		seen[key] = true
		if strings.HasPrefix(u.Path, "/static/") || strings.HasPrefix(u.Path, "/api/") || strings.Contains(u.Path, "/evidence/") ||
			strings.HasSuffix(u.Path, ".xlsx") || strings.HasSuffix(u.Path, ".ics") || strings.HasSuffix(u.Path, ".png") || strings.HasSuffix(u.Path, ".svg") ||
			strings.HasSuffix(u.Path, "/file") || strings.HasPrefix(u.Path, "/inbox/") || strings.HasPrefix(u.Path, "/bookings/feed") {
			continue
		}
		r := b.do("GET", p, nil)
		if r.Status != 200 {
			continue
		}
		if !strings.Contains(r.Header.Get("Content-Type"), "text/html") {
			continue
		}
		check(p, r.Body)
		for _, m := range hrefRe.FindAllStringSubmatch(r.Body, -1) {
			queue = append(queue, html.UnescapeString(m[1]))
		}
	}
}

// seedEveryState gives each role's pages something to show: an inspection of ent-a (with a
// code), complaints with reasons, a booking, an appointment request.
func seedEveryState(t *testing.T, e *env) {
	t.Helper()
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 5)
	notice := e.clk.Now()
	if code, out := e.api("POST", "/api/v1/inspections", e.token("officer-scj"), map[string]any{"external_id": "scan-1", "kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1, 3}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": notice.Format(time.RFC3339)}); code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	ent := e.token("ent-a")
	for _, f := range []map[string]any{
		{"type": "illegal_inspection", "reasons": []string{"SUBJ-1", "DATA-1"}, "description": "检查人员没有出示证件", "body_id": 1},
		{"type": "appeal", "description": "希望简化审批材料", "anonymous": true},
	} {
		if code, out := e.api("POST", "/api/v1/complaints", ent, f); code != 201 {
			t.Fatalf("file: %d %v", code, out)
		}
	}
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 14, 0, 0, 0, wz))
	if code, out := e.api("POST", "/api/v1/bookings", ent, map[string]any{"slot_id": sl.ID, "mode": "online", "topic": "消防"}); code != 201 {
		t.Fatalf("book: %d %v", code, out)
	}
}

// No page of any role shows a raw rule id (SUBJ-1 … RECORD-1), a "#12" reference, a county
// code or a message key instead of words, in Chinese or in English.
func TestEveryPageSpeaksInWords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedEveryState(t, e)
	// A call the operator took, so its pages have an order to show.
	if code, out := e.api("POST", "/api/v1/intake/orders", e.token("operator-12345"), map[string]any{"uscc": entAUSCC, "mobile": "13805770001",
		"type": "illegal_inspection", "reasons": []string{"NOTICE-1"}, "description": "来电反映：检查前未提前送达检查通知书"}); code != 201 {
		t.Fatalf("take call: %d %v", code, out)
	}
	var problems []string
	for _, user := range []string{"", "ent-a", "liaison-lc", "liaison-city", "officer-scj", "obs-chamber", "provider-1", "operator-12345", "admin"} {
		for _, lang := range []string{"zh", "en"} {
			b := e.browser()
			if user != "" {
				b.login(user, demoPassword)
			}
			if lang == "en" {
				b.post("/lang/en", "/", url.Values{"next": {"/"}})
			}
			crawl(t, b, []string{"/", "/v/nonsense", "/complaints?clues=1"}, 80, func(path, body string) {
				text := visibleText(body)
				for _, re := range []*regexp.Regexp{ruleIDRe, hashNumRe, countyRe} {
					if re == countyRe && path == "/admin/counties" {
						continue // the county list itself: its division codes are what an admin keeps there
					}
					for _, m := range re.FindAllString(text, 3) {
						problems = append(problems, user+" "+lang+" "+path+": "+m)
					}
				}
				for _, m := range keyRe.FindAllStringSubmatch(text, 3) {
					if m[1] != "e.g" && m[1] != "i.e" && !strings.Contains(m[1], "example") && !strings.HasSuffix(m[1], ".cn") && !strings.HasSuffix(m[1], ".com") {
						problems = append(problems, user+" "+lang+" "+path+": key "+m[1])
					}
				}
			})
		}
	}
	sort.Strings(problems)
	uniq := problems[:0]
	for i, p := range problems {
		if i == 0 || p != problems[i-1] {
			uniq = append(uniq, p)
		}
	}
	if len(uniq) > 0 {
		t.Errorf("%d raw codes on pages:\n%s", len(uniq), strings.Join(uniq, "\n"))
	}
}
