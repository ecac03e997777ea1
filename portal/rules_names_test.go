package portal_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// People see rules by their plain names, never their ids: the complaint form offers them so,
// and a liaison opening a clue reads the rule's name and its reading (docs/rules.md).
func TestRulesByPlainNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 2) // under 3 working days' notice
	if code, out := e.api("POST", "/api/v1/inspections", e.token("officer-scj"), map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339)}); code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	_, list := e.api("GET", "/api/v1/complaints?rule=NOTICE-1&clues=1", e.token("liaison-lc"), nil)
	items := list["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("clues: %v", list)
	}
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	r := li.do("GET", fmt.Sprintf("/complaints/%v", items[0].(map[string]any)["id"]), nil)
	if r.Status != 200 || !strings.Contains(r.Body, "检查前未按时送达通知书") || !strings.Contains(r.Body, "从检查日往前数 3 个工作日") {
		t.Fatalf("the clue's page: %d", r.Status)
	}
	main := r.Body[strings.Index(r.Body, "<main"):]
	for _, id := range []string{"NOTICE-1", "主体 #"} {
		if strings.Contains(main, id) {
			i := strings.Index(main, id)
			t.Errorf("the clue's page shows %q: %s", id, main[max(0, i-200):i+20])
		}
	}
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	form := ent.do("GET", "/complaints/new?type=illegal_inspection", nil).Body
	if !strings.Contains(form, "未亮码检查") || !strings.Contains(form, "超出年度检查频次") {
		t.Fatal("the complaint form does not offer the rules by name")
	}
	for _, id := range []string{"> NOTICE-1<", "> FREQ-1<", "> CODE-1<"} {
		if strings.Contains(form, id) {
			t.Errorf("the complaint form shows %q", id)
		}
	}
}
