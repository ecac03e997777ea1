package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"qijian/internal/calendar"
)

// fileAndDispatch files a named report as ent-a by the API and has the county liaison accept
// and dispatch it to unit 1; it answers the order's API path and page.
func fileAndDispatch(t *testing.T, e *env) (apiPath, page string) {
	t.Helper()
	filing := map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1"}, "description": "检查前未提前送达检查通知书", "body_id": 1}
	code, first := e.api("POST", "/api/v1/complaints", e.token("ent-a"), filing)
	if code != 201 {
		t.Fatalf("file: %d %v", code, first)
	}
	id := fmt.Sprintf("%.0f", first["id"])
	apiPath = "/api/v1/complaints/" + id
	for _, a := range []map[string]any{{"action": "accept"}, {"action": "dispatch", "unit_id": 1}} {
		if code, out := e.api("POST", apiPath+"/actions", e.token("liaison-lc"), a); code != 200 {
			t.Fatalf("%v: %d %v", a, code, out)
		}
	}
	return apiPath, "/complaints/" + id
}

// The unit signs for a dispatched order by the API (its sign-for deadline in the answer) or by
// the page's own small form.
func TestSignForByAPIAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path, _ := fileAndDispatch(t, e)
	officer := e.token("officer-scj")
	_, d := e.api("GET", path, officer, nil)
	if acts := fmt.Sprint(d["allowed_actions"]); !strings.Contains(acts, "sign") {
		t.Fatalf("officer's actions after dispatch: %s", acts)
	}
	if !strings.Contains(fmt.Sprint(d["deadlines"]), "stage:sign") {
		t.Fatalf("no sign-for deadline in %v", d["deadlines"])
	}
	if code, out := e.api("POST", path+"/actions", officer, map[string]any{"action": "sign"}); code != 200 || out["status"] != "signed" {
		t.Fatalf("sign by API: %d %v", code, out)
	}
	if code, _ := e.api("POST", path+"/actions", officer, map[string]any{"action": "sign"}); code != 409 {
		t.Fatalf("signing twice: %d, want 409", code)
	}

	_, page := fileAndDispatch(t, e)
	off := e.browser()
	off.login("officer-scj", demoPassword)
	r := off.do("GET", page, nil)
	if r.Status != 200 || !strings.Contains(r.Body, `data-testid="sign-form"`) || !strings.Contains(r.Body, "签收") {
		t.Fatalf("the order page has no sign-for form: %d", r.Status)
	}
	if r := off.post(page+"/act", page, url.Values{"action": {"sign"}}); r.Status != 303 {
		t.Fatalf("sign by page: %d", r.Status)
	}
	if r := off.do("GET", page, nil); !strings.Contains(r.Body, "已签收") || strings.Contains(r.Body, `data-testid="sign-form"`) {
		t.Fatal("the signed order's page does not say so, or still offers signing")
	}
}

// A unit bounces by the page's own form with a coded reason, shown by its name, never its code;
// the liaison refuses the bounce by its form; the API shows the bounce; a transfer to the other
// hotline answers with its new channel.
func TestCodedBounceAndTransferByPageAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path, page := fileAndDispatch(t, e)
	off := e.browser()
	off.login("officer-scj", demoPassword)
	if r := off.do("GET", page, nil); !strings.Contains(r.Body, `data-testid="return-form"`) || !strings.Contains(r.Body, "非本单位职责") {
		t.Fatal("the order page has no bounce form with named reasons")
	}
	if r := off.post(page+"/act", page, url.Values{"action": {"return"}, "reason": {"属税务部门"}}); r.Status != 422 {
		t.Fatalf("a bounce without a code: %d", r.Status)
	}
	if r := off.post(page+"/act", page, url.Values{"action": {"return"}, "return_code": {"not_our_duty"}, "reason": {"属税务部门"}}); r.Status != 303 {
		t.Fatalf("bounce by page: %d", r.Status)
	}
	liaison := e.token("liaison-lc")
	code, d := e.api("GET", path, liaison, nil)
	ret, _ := d["return"].(map[string]any)
	if code != 200 || d["status"] != "returned" || ret["code"] != "not_our_duty" || ret["name"] != "非本单位职责" || ret["reason"] != "属税务部门" || d["return_count"] != float64(1) {
		t.Fatalf("the bounce by API: %d %v", code, d)
	}
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	r := li.do("GET", page, nil)
	if !strings.Contains(r.Body, `data-testid="refuse-return-form"`) || !strings.Contains(r.Body, "非本单位职责：属税务部门") || strings.Contains(r.Body, "not_our_duty<") || strings.Contains(r.Body, ">not_our_duty") {
		t.Fatal("the liaison's page lacks the refuse form or the bounce's named reason, or shows its code")
	}
	if r := li.post(page+"/act", page, url.Values{"action": {"refuse_return"}, "reason": {"检查行为属市场监管职责"}}); r.Status != 303 {
		t.Fatalf("refuse by page: %d", r.Status)
	}
	_, d = e.api("GET", path, liaison, nil)
	if d["status"] != "dispatched" || d["unit_id"] != float64(1) || d["return"] != nil {
		t.Fatalf("after the refused bounce: %v", d)
	}
	code, d = e.api("POST", path+"/actions", liaison, map[string]any{"action": "transfer", "unit_id": 2, "channel": "12345", "reason": "属一般诉求"})
	if code != 200 || d["channel"] != "12345" || d["unit_id"] != float64(2) || !strings.Contains(fmt.Sprint(d["deadlines"]), "state:superseded") {
		t.Fatalf("transfer to 12345: %d %v", code, d)
	}
}

// The unit asks for more from the enterprise (the clocks pause, shown by page and API); the
// enterprise answers by the page's form; the unit asks for an extension by its form; the liaison
// approves it; the API shows the reply stage with its original due time apart and its paused
// minutes.
func TestPauseAndExtensionByPageAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path, page := fileAndDispatch(t, e)
	officer, liaison := e.token("officer-scj"), e.token("liaison-lc")
	if code, out := e.api("POST", path+"/actions", officer, map[string]any{"action": "sign"}); code != 200 {
		t.Fatalf("sign: %d %v", code, out)
	}
	code, d := e.api("POST", path+"/actions", officer, map[string]any{"action": "request_info", "note": "请补充检查当日的照片"})
	if code != 200 || d["paused_since"] == nil {
		t.Fatalf("request for more: %d %v", code, d)
	}
	e.clk.Advance(24 * time.Hour)
	officer, liaison = e.token("officer-scj"), e.token("liaison-lc") // the earlier tokens idled out
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	if r := ent.do("GET", page, nil); !strings.Contains(r.Body, `data-testid="supply-info-form"`) || !strings.Contains(r.Body, `data-testid="paused"`) {
		t.Fatal("the enterprise's page lacks the answer form or the pause")
	}
	if r := ent.post(page+"/act", page, url.Values{"action": {"supply_info"}, "note": {"照片已补充"}}); r.Status != 303 {
		t.Fatalf("answer by page: %d", r.Status)
	}
	_, d = e.api("GET", path, liaison, nil)
	reply := stageOf(d, "reply")
	if d["paused_since"] != nil || reply == nil || reply["paused_minutes"].(float64) <= 0 {
		t.Fatalf("after the answer: %v", d)
	}
	due, _ := time.Parse(time.RFC3339, reply["due_at"].(string))
	cal := calendar.New()
	until := due.In(calendar.Location()).AddDate(0, 0, 3)
	for !cal.IsWorkingDay(until) {
		until = until.AddDate(0, 0, 1)
	}
	off := e.browser()
	off.login("officer-scj", demoPassword)
	if r := off.do("GET", page, nil); !strings.Contains(r.Body, `data-testid="ask-extension-form"`) {
		t.Fatal("the unit's page lacks the extension form")
	}
	if r := off.post(page+"/act", page, url.Values{"action": {"ask_extension"}, "until": {until.Format("2006-01-02")}, "reason": {"需现场复核"}}); r.Status != 303 {
		t.Fatalf("ask by page: %d", r.Status)
	}
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	if r := li.do("GET", page, nil); !strings.Contains(r.Body, `data-testid="decide-extension-form"`) || !strings.Contains(r.Body, "需现场复核") {
		t.Fatal("the liaison's page lacks the pending extension")
	}
	code, d = e.api("POST", path+"/actions", liaison, map[string]any{"action": "approve_extension"})
	reply = stageOf(d, "reply")
	if code != 200 || d["extension_count"] != float64(1) || d["extension"] != nil || reply["original_due_at"] == nil || reply["original_due_at"] == reply["due_at"] {
		t.Fatalf("approved: %d %v", code, d)
	}
	if r := li.do("GET", page, nil); !strings.Contains(r.Body, "原定时限") {
		t.Fatal("the page does not show the original due time")
	}
}

func stageOf(d map[string]any, stage string) map[string]any {
	ds, _ := d["deadlines"].([]any)
	var out map[string]any
	for _, x := range ds {
		if m, ok := x.(map[string]any); ok && m["stage"] == stage {
			out = m
		}
	}
	return out
}

// The follow-up by page and API: close right after the reply is refused; the liaison's page has
// the answer's form and the failed-attempt form; a dissatisfied answer re-handles the order; a
// satisfied one lets it close.
func TestFollowUpAndRehandlingByPageAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path, page := fileAndDispatch(t, e)
	officer, liaison := e.token("officer-scj"), e.token("liaison-lc")
	e.api("POST", path+"/actions", officer, map[string]any{"action": "reply", "note": "已核实"})
	if code, _ := e.api("POST", path+"/actions", liaison, map[string]any{"action": "close"}); code != 409 {
		t.Fatalf("close right after the reply: %d, want 409", code)
	}
	e.api("POST", path+"/actions", liaison, map[string]any{"action": "follow_up"})
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	r := li.do("GET", page, nil)
	if !strings.Contains(r.Body, `data-testid="follow-up-form"`) || !strings.Contains(r.Body, `data-testid="follow-up-failed-form"`) || !strings.Contains(r.Body, "企业是否满意") {
		t.Fatal("the liaison's page lacks the follow-up forms")
	}
	if r := li.post(page+"/act", page, url.Values{"action": {"record_follow_up"}, "solved": {"no"}, "satisfied": {"no"}, "note": {"电话回访：仍未整改"}}); r.Status != 303 {
		t.Fatalf("record by page: %d", r.Status)
	}
	code, d := e.api("GET", path, liaison, nil)
	if code != 200 || d["status"] != "in_progress" || d["level"] != float64(1) || d["reopen_count"] != float64(1) {
		t.Fatalf("after a dissatisfied follow-up: %d %v", code, d)
	}
	e.api("POST", path+"/actions", officer, map[string]any{"action": "reply", "note": "已重新处理"})
	e.api("POST", path+"/actions", liaison, map[string]any{"action": "follow_up"})
	code, d = e.api("POST", path+"/actions", liaison, map[string]any{"action": "record_follow_up", "solved": "yes", "satisfied": "yes"})
	fu, _ := d["follow_up"].(map[string]any)
	if code != 200 || fu["solved"] != true || fu["satisfied"] != true {
		t.Fatalf("recorded by API: %d %v", code, d)
	}
	if code, d := e.api("POST", path+"/actions", liaison, map[string]any{"action": "close"}); code != 200 || d["status"] != "closed" {
		t.Fatalf("close: %d %v", code, d)
	}
}
