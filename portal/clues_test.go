package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// lateNoticeClue registers an inspection whose notice comes late (NOTICE-1), which raises a clue
// for ent-a (鹿城区), and answers the clue's id.
func lateNoticeClue(t *testing.T, e *env) uint64 {
	t.Helper()
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 2)
	code, out := e.api("POST", "/api/v1/inspections", e.token("officer-scj"), map[string]any{"kind": "requested", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339), "place": "鹿城区"})
	if code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	code, list := e.api("GET", "/api/v1/clues", e.token("liaison-lc"), nil)
	if code != 200 || len(list["items"].([]any)) != 1 {
		t.Fatalf("clues: %d %v", code, list)
	}
	return uint64(list["items"].([]any)[0].(map[string]any)["id"].(float64))
}

// Clues by API and page: listed apart from the complaint queue and its figures, reviewed by the
// county's liaisons (a missing reason named), refused to other roles.
func TestCluesByAPIAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := lateNoticeClue(t, e)
	li := e.token("liaison-lc")
	code, queue := e.api("GET", "/api/v1/complaints", li, nil)
	if code != 200 || len(queue["items"].([]any)) != 0 {
		t.Fatalf("the complaint queue holds the clue: %d %v", code, queue)
	}
	b := e.browser()
	b.login("liaison-lc", demoPassword)
	if r := b.do("GET", "/", nil); r.Status != 200 || !strings.Contains(r.Body, "待核查系统线索") || !strings.Contains(r.Body, `href="/clues"`) {
		t.Fatalf("the liaison's home does not count the clue apart: %d", r.Status)
	}
	if r := b.do("GET", "/clues", nil); r.Status != 200 || !strings.Contains(r.Body, "检查通知书") || !strings.Contains(r.Body, "线索待核查") {
		t.Fatalf("clues page: %d", r.Status)
	}
	page := fmt.Sprintf("/complaints/%d", id)
	if r := b.do("GET", page, nil); r.Status != 200 || !strings.Contains(r.Body, `data-testid="clue-review"`) {
		t.Fatalf("the clue's page has no review forms: %d", r.Status)
	}
	for _, who := range []string{"officer-scj", "ent-a", "obs-chamber"} {
		if code, _ := e.api("GET", "/api/v1/clues", e.token(who), nil); code != 403 {
			t.Errorf("%s lists clues: %d", who, code)
		}
	}
	if code, out := e.api("POST", fmt.Sprintf("/api/v1/clues/%d/review", id), li, map[string]any{"action": "dismiss"}); code != 422 || fields(out)["reason"] == nil {
		t.Fatalf("dismiss without a reason: %d %v", code, out)
	}
	if code, out := e.api("POST", fmt.Sprintf("/api/v1/clues/%d/review", id), li, map[string]any{"action": "merge", "target": "QJ20260000000"}); code != 422 || fields(out)["target"] == nil {
		t.Fatalf("merge into nothing: %d %v", code, out)
	}
	if code, _ := e.api("POST", fmt.Sprintf("/api/v1/clues/%d/review", id), li, map[string]any{"action": "shred"}); code != 422 && code != 400 {
		t.Fatalf("an unknown review: %d", code)
	}
	if r := b.post(fmt.Sprintf("/clues/%d/review", id), page, url.Values{"action": {"convert"}, "type": {"illegal_inspection"}}); r.Status != 303 {
		t.Fatalf("convert by page: %d", r.Status)
	}
	code, d := e.api("GET", fmt.Sprintf("/api/v1/complaints/%d", id), li, nil)
	if code != 200 || d["status"] != "submitted" {
		t.Fatalf("converted: %d %v", code, d["status"])
	}
	if code, queue := e.api("GET", "/api/v1/complaints", li, nil); code != 200 || len(queue["items"].([]any)) != 1 {
		t.Fatalf("the converted order is not in the queue: %v", queue)
	}
	if code, done := e.api("GET", "/api/v1/clues?state=waiting", li, nil); code != 200 || len(done["items"].([]any)) != 0 {
		t.Fatalf("waiting clues after converting: %v", done)
	}
}

// The time-limits table by API: listed, a row added (the bad field named, a second of the same
// key a conflict), changed and removed; the fallback stays; admins only. The page adds rows too.
func TestTimeLimitsByAPIAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	adm := e.token("admin")
	if code, _ := e.api("GET", "/api/v1/time-limits", e.token("liaison-city"), nil); code != 403 {
		t.Fatalf("a liaison reads the limits: %d", code)
	}
	code, list := e.api("GET", "/api/v1/time-limits", adm, nil)
	if code != 200 || len(list["items"].([]any)) < 20 {
		t.Fatalf("limits: %d %v", code, list)
	}
	var fallback float64
	for _, it := range list["items"].([]any) {
		if r := it.(map[string]any); r["fallback"] == true {
			fallback = r["id"].(float64)
		}
	}
	for field, body := range map[string]map[string]any{
		"stage":   {"channel": "12345", "type": "help", "stage": "lunch", "amount": 2, "unit": "days"},
		"type":    {"channel": "12345", "type": "gossip", "stage": "reply", "amount": 2, "unit": "days"},
		"channel": {"channel": "110", "type": "help", "stage": "reply", "amount": 2, "unit": "days"},
		"amount":  {"channel": "12345", "type": "help", "stage": "sign", "amount": 0, "unit": "days"},
	} {
		if code, out := e.api("POST", "/api/v1/time-limits", adm, body); code != 422 || fields(out)[field] == nil {
			t.Errorf("bad %s: %d %v", field, code, out)
		}
	}
	row := map[string]any{"channel": "12345", "type": "help", "stage": "sign", "urgent": true, "amount": 1, "unit": "hours"}
	code, added := e.api("POST", "/api/v1/time-limits", adm, row)
	if code != 201 || added["urgent"] != true || added["fallback"] != false {
		t.Fatalf("add: %d %v", code, added)
	}
	if code, out := e.api("POST", "/api/v1/time-limits", adm, row); code != 409 {
		t.Fatalf("the same row again: %d %v", code, out)
	}
	path := fmt.Sprintf("/api/v1/time-limits/%d", int(added["id"].(float64)))
	if code, out := e.api("PUT", path, adm, map[string]any{"amount": 3, "unit": "hours"}); code != 200 || out["amount"] != float64(3) {
		t.Fatalf("change: %d %v", code, out)
	}
	if code, _ := e.api("DELETE", path, adm, nil); code != 204 {
		t.Fatalf("remove: %d", code)
	}
	if code, _ := e.api("DELETE", fmt.Sprintf("/api/v1/time-limits/%d", int(fallback)), adm, nil); code != 409 {
		t.Fatalf("remove the fallback: %d", code)
	}
	b := e.browser()
	b.login("admin", demoPassword)
	if r := b.post("/admin/workflow/sla", "/admin/workflow", url.Values{"channel": {"12348"}, "type": {"conduct"}, "stage": {"resolve"}, "amount": {"12"}, "unit": {"days"}}); r.Status != 303 {
		t.Fatalf("add by page: %d", r.Status)
	}
	if r := b.do("GET", "/admin/workflow", nil); !strings.Contains(r.Body, `value="12"`) || !strings.Contains(r.Body, "紧急") {
		t.Fatal("the page does not show the new row or the urgent rows")
	}
	if r := b.post("/admin/workflow/sla", "/admin/workflow", url.Values{"channel": {"12348"}, "type": {"conduct"}, "stage": {"resolve"}, "amount": {"12"}, "unit": {"days"}}); r.Status != 409 {
		t.Fatalf("the same row again by page: %d", r.Status)
	}
}

// The filing form asks whether the matter is urgent; an urgent filing runs on the urgent limits
// and its page says so.
func TestUrgentFilingByPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("ent-a", demoPassword)
	if r := b.do("GET", "/complaints/new", nil); r.Status != 200 || !strings.Contains(r.Body, `name="urgent"`) {
		t.Fatalf("the filing form has no urgent choice: %d", r.Status)
	}
	r := b.post("/complaints", "/complaints/new", url.Values{"type": {"complaint"}, "description": {"企业被责令停产，急需处理"}, "urgent": {"true"}})
	if r.Status != 303 {
		t.Fatalf("file: %d %s", r.Status, r.Body)
	}
	code, list := e.api("GET", "/api/v1/complaints", e.token("ent-a"), nil)
	if code != 200 || len(list["items"].([]any)) != 1 || list["items"].([]any)[0].(map[string]any)["urgent"] != true {
		t.Fatalf("the filed order: %d %v", code, list)
	}
	id := list["items"].([]any)[0].(map[string]any)["id"]
	if r := b.do("GET", fmt.Sprintf("/complaints/%v", id), nil); !strings.Contains(r.Body, `data-testid="urgent"`) {
		t.Fatal("the order's page does not say it is urgent")
	}
}
