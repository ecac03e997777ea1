package portal_test

import (
	"strings"
	"testing"
	"time"
)

// Liaisons see the automatic checks' clues by rule: a NOTICE-1 clue from a late notice is found
// with rule=NOTICE-1 and clues=1, an enterprise's own report naming FREQ-1 is found by its rule
// but is not a clue, and an unknown rule is refused naming the field.
func TestLiaisonFiltersCluesByRule(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 2) // NOTICE-1: under 3 working days' notice
	code, out := e.api("POST", "/api/v1/inspections", e.token("officer-scj"), map[string]any{"kind": "requested", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339), "place": "鹿城区"})
	if code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	code, filed := e.api("POST", "/api/v1/complaints", e.token("ent-a"), map[string]any{"type": "illegal_inspection", "reasons": []string{"FREQ-1"}, "description": "一年内第三次检查"})
	if code != 201 {
		t.Fatalf("file: %d %v", code, filed)
	}
	li := e.token("liaison-lc")
	numbers := func(q string) []string {
		t.Helper()
		code, out := e.api("GET", "/api/v1/complaints?"+q, li, nil)
		if code != 200 {
			t.Fatalf("%s: %d %v", q, code, out)
		}
		var ns []string
		for _, it := range out["items"].([]any) {
			ns = append(ns, it.(map[string]any)["number"].(string))
		}
		return ns
	}
	clues := numbers("rule=NOTICE-1&clues=1")
	if len(clues) != 1 || clues[0] == filed["number"] {
		t.Fatalf("NOTICE-1 clues: %v, want the one clue", clues)
	}
	if got := numbers("rule=FREQ-1"); len(got) != 1 || got[0] != filed["number"] {
		t.Fatalf("rule FREQ-1: %v, want the enterprise's report %v", got, filed["number"])
	}
	if got := numbers("rule=FREQ-1&clues=1"); len(got) != 0 {
		t.Fatalf("FREQ-1 clues: %v, want none (the report was filed by a person)", got)
	}
	if code, out := e.api("GET", "/api/v1/complaints?rule=NOPE-9", li, nil); code != 400 || !strings.Contains(strings.ToLower(strings.Join(keys(fields(out)), ",")), "rule") {
		t.Fatalf("unknown rule: %d %v", code, out)
	}
	b := e.browser()
	b.login("liaison-lc", demoPassword)
	if r := b.do("GET", "/complaints?rule=NOTICE-1&clues=1", nil); r.Status != 200 || !strings.Contains(r.Body, clues[0]) || strings.Contains(r.Body, filed["number"].(string)) {
		t.Fatalf("the queue page filtered by rule: %d", r.Status)
	}
}

func keys[M ~map[string]V, V any](m M) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
