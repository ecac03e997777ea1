package portal_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// NOTICE-1 and CODE-1 from the enterprise's side: the notice arrives in its inbox with the
// open-book list, it acknowledges, and its rating turns a code not shown into a clue.
func TestEnterpriseNoticeAckAndRating(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 5)
	code, out := e.api("POST", "/api/v1/inspections", e.token("officer-scj"), map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1, 2}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339), "place": "鹿城区工业园 8 号"})
	if code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	page := fmt.Sprintf("/inspections/%v", out["id"])
	rows, _ := e.st.UnrelayedOutbox(t.Context(), e.clk.Now(), 100)
	for _, r := range rows {
		if r.TaskType == "notify:deliver" {
			deliver(t, e, r.ID)
		}
	}
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	// The inbox lists the notice; opening it (which marks it read) leads to the inspection.
	inbox := ent.do("GET", "/inbox", nil)
	opened := false
	for _, m := range regexp.MustCompile(`href="(/inbox/\d+)"`).FindAllStringSubmatch(inbox.Body, -1) {
		if r := ent.do("GET", m[1], nil); r.Header.Get("Location") == page {
			opened = true
		}
	}
	if !strings.Contains(inbox.Body, "行政检查通知") || !opened {
		t.Fatal("the notice is not in the enterprise's inbox, or does not open the inspection")
	}
	r := ent.do("GET", page, nil)
	if r := ent.do("GET", "/", nil); !strings.Contains(r.Body, page) {
		t.Error("the enterprise's home does not list the inspection")
	}
	for _, want := range []string{"行政检查通知书", "温企检通〔2026〕", "开卷检查自查清单", "食品经营许可情况检查", "产品质量监督抽查", "《中华人民共和国产品质量法》", "张明", out["code"].(string), "/qr.svg"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("notice page lacks %q", want)
		}
	}
	if r := ent.post(page+"/ack", page, nil); r.Status != 303 {
		t.Fatalf("ack: %d", r.Status)
	}
	if r := ent.do("GET", page, nil); !strings.Contains(r.Body, "已签收") || strings.Contains(r.Body, `data-testid="ack"`) {
		t.Fatal("acknowledgement not shown")
	}
	other := e.browser()
	other.login("ent-b", demoPassword)
	if r := other.do("GET", page, nil); r.Status != 404 {
		t.Fatalf("another enterprise reads the notice: %d", r.Status)
	}
	if r := other.do("GET", "/inspections", nil); strings.Contains(r.Body, out["code"].(string)) {
		t.Fatal("another enterprise lists it")
	}
	rate := url.Values{"score": {"2"}, "data_demanded": {"true"}, "credential_shown": {"true"}}
	if r := ent.post(page+"/rate", page, rate); r.Status != 409 {
		t.Fatalf("rating before the inspection: %d", r.Status)
	}
	e.clk.Set(at.Add(3 * time.Hour))
	ent = e.browser()
	ent.login("ent-a", demoPassword)
	if r := ent.post(page+"/rate", page, rate); r.Status != 303 {
		t.Fatalf("rating: %d", r.Status)
	}
	_, list := e.api("GET", "/api/v1/clues", e.token("liaison-lc"), nil) // clues wait for review apart from the complaints
	var reasons []string
	for _, it := range list["items"].([]any) {
		_, o := e.api("GET", fmt.Sprintf("/api/v1/complaints/%v", it.(map[string]any)["id"]), e.token("liaison-lc"), nil)
		reasons = append(reasons, fmt.Sprint(o["reasons"]))
	}
	if got := strings.Join(reasons, " "); !strings.Contains(got, "CODE-1") || !strings.Contains(got, "DATA-1") {
		t.Fatalf("clues after the rating: %v", reasons)
	}
	e.clk.Advance(8 * 24 * time.Hour)
	ent = e.browser()
	ent.login("ent-a", demoPassword)
	if r := ent.post(page+"/rate", page, url.Values{"score": {"5"}, "code_shown": {"true"}}); r.Status != 409 {
		t.Fatalf("changing the rating after 7 days: %d", r.Status)
	}
	if code, _ := e.api("GET", "/api/v1"+page, e.token("officer-scj"), nil); code != 200 {
		t.Fatalf("officer reads its body's inspection: %d", code)
	}
	if code, _ := e.api("GET", "/api/v1"+page, e.token("provider-1"), nil); code != 404 {
		t.Fatalf("a provider reads an inspection: %d", code)
	}
}

// FREQ-1/2 for the enterprise itself: its history shows this year's counted inspections per
// body against the cap, by page and API; a triggered visit does not count, and going over the
// cap (1 for ent-a, credit-excellent: FREQ-2) stands out. Another enterprise sees none of it.
func TestEnterpriseSeesItsYearStandingFREQ1(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off := e.token("officer-scj")
	register := func(kind string, days int) {
		t.Helper()
		at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), days)
		code, out := e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": kind, "enterprise_id": 1, "body_ids": []int{1}, "keep_separate": true, "keep_separate_reason": "举报事项与计划检查内容无关",
			"item_ids": []int{1}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339), "place": "鹿城区"})
		if code != 201 {
			t.Fatalf("register %s: %d %v", kind, code, out)
		}
	}
	year := e.clk.Now().In(wz).Year()
	register("planned", 4)
	register("triggered", 5)
	register("planned", 6)
	if at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 7); at.In(wz).Year() != year {
		t.Fatal("the test clock is too near the year's end for three inspections in it")
	}
	register("planned", 7)
	code, out := e.api("GET", "/api/v1/inspections", e.token("ent-a"), nil)
	if code != 200 {
		t.Fatalf("history: %d %v", code, out)
	}
	st, _ := out["this_year"].([]any)
	if len(st) != 1 {
		t.Fatalf("this_year: %v, want one body", out["this_year"])
	}
	b := st[0].(map[string]any)
	if b["body_id"] != float64(1) || b["count"] != float64(3) || b["cap"] != float64(1) || b["over"] != true {
		t.Fatalf("standing with body 1: %v, want 3 of 1, over", b)
	}
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	if r := ent.do("GET", "/inspections", nil); !strings.Contains(r.Body, `data-testid="standing"`) || !strings.Contains(r.Body, "3 / 1") {
		t.Fatalf("the history page does not show 3 / 1:\n%s", r.Body)
	}
	if code, out := e.api("GET", "/api/v1/inspections", e.token("ent-b"), nil); code != 200 || len(out["this_year"].([]any)) != 0 {
		t.Fatalf("ent-b's standing: %d %v, want empty", code, out["this_year"])
	}
}
