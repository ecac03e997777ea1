package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/demo"
)

// CODE-1: a code is bound to its enterprise. Another enterprise opening it sees nothing of the
// owner and is told it is not its code; the public and the owner read the public facts.
func TestVerifyCodeOfAnotherEnterprise(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off := e.token("officer-scj")
	at := time.Date(2026, 3, 12, 10, 0, 0, 0, calendar.Location())
	code, out := e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1}, "item_ids": []int{1},
		"inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339)})
	if code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	c := out["code"].(string)
	public := e.browser().do("GET", "/v/"+c, nil)
	own := e.browser()
	own.login("ent-a", demoPassword)
	mine := own.do("GET", "/v/"+c, nil)
	other := e.browser()
	other.login("ent-b", demoPassword)
	theirs := other.do("GET", "/v/"+c, nil)
	for name, r := range map[string]resp{"public": public, "owner": mine} {
		if r.Status != 200 || !strings.Contains(r.Body, "2026-03-12 10:00") || strings.Contains(r.Body, "不是签发给贵企业") {
			t.Errorf("%s does not read the public facts: %d", name, r.Status)
		}
	}
	if theirs.Status != 200 || !strings.Contains(theirs.Body, "不是签发给贵企业") {
		t.Fatalf("another enterprise is not told the code is not theirs: %d %s", theirs.Status, theirs.Body)
	}
	for _, w := range []string{"2026-03-12", "inspectors", "data-testid=\"notice\"", "data-testid=\"report\"", "/complaints/new"} {
		if strings.Contains(theirs.Body, w) {
			t.Errorf("another enterprise sees %q", w)
		}
	}
}

// CODE-1: a missing-code report names a code of the filer's own inspection (or none). Another
// firm's code and a forged or unknown one are refused on the code field; a forged one is taken
// when the filer says the code shown does not verify.
func TestMissingCodeComplaintNamesOwnCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off := e.token("officer-scj")
	at := time.Date(2026, 3, 12, 10, 0, 0, 0, calendar.Location())
	reg := func(ent int) string {
		code, out := e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": "triggered", "enterprise_id": ent, "body_ids": []int{1}, "item_ids": []int{1},
			"inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339)})
		if code != 201 {
			t.Fatalf("register: %d %v", code, out)
		}
		return out["code"].(string)
	}
	mine, theirs := reg(1), reg(2)
	forged := "QJ" + strings.Repeat("2", 26)
	ent := e.token("ent-a")
	file := func(code string, extra map[string]any) (int, map[string]any) {
		body := map[string]any{"type": "missing_code", "description": "检查人员出示的行为码有问题", "inspection_code": code}
		for k, v := range extra {
			body[k] = v
		}
		return e.api("POST", "/api/v1/complaints", ent, body)
	}
	for _, tc := range []struct {
		name, code string
		extra      map[string]any
		want       int
	}{
		{"own", mine, nil, 201},
		{"own, grouped and lower case", strings.ToLower(mine[:2] + "-" + mine[2:]), nil, 201},
		{"none", "", nil, 201},
		{"another firm's", theirs, nil, 422},
		{"another firm's, said forged", theirs, map[string]any{"code_forged": true}, 422},
		{"forged", forged, nil, 422},
		{"unknown", mine[:len(mine)-1] + "Z", nil, 422},
		{"forged, said so", forged, map[string]any{"code_forged": true}, 201},
		{"said forged, no code", "", map[string]any{"code_forged": true}, 422},
	} {
		code, out := file(tc.code, tc.extra)
		if code != tc.want {
			t.Errorf("%s: %d, want %d: %v", tc.name, code, tc.want, out)
			continue
		}
		if code == 422 && fields(out)["inspection_code"] == nil {
			t.Errorf("%s: the refusal does not name the code field: %v", tc.name, out)
		}
	}
	// By page, the refusal is shown at the code field in plain words.
	b := e.browser()
	b.login("ent-a", demoPassword)
	r := b.post("/complaints", "/complaints/new?type=missing_code", url.Values{"type": {"missing_code"}, "description": {"检查人员出示的行为码有问题"}, "inspection_code": {theirs}})
	if r.Status == 303 || !strings.Contains(r.Body, "不是贵企业所受检查或处罚的码") {
		t.Errorf("page filing with another's code: %d", r.Status)
	}
}

// §2.6 二: a penalty decision delivered through 三书同达 carries a behaviour code, shown on the
// decision and verifiable on the public page; another enterprise is not shown it.
func TestPenaltyDecisionHasVerifiableCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off, ent := e.token("officer-scj"), e.token("ent-a")
	code, out := e.api("POST", "/api/v1/documents", off, map[string]any{"enterprise_uscc": demo.USCC("330302", 1), "decision": "决定：警告", "advice": "建议", "credit_repair": "可修复"})
	if code != 201 || out["decision_code"] == "" || out["verify_url"] == "" {
		t.Fatalf("send: %d %v", code, out)
	}
	dc, number, id := out["decision_code"].(string), out["number"].(string), fmt.Sprint(out["id"])
	b := e.browser()
	b.login("ent-a", demoPassword)
	if r := b.do("GET", "/documents/"+id, nil); !strings.Contains(r.Body, "data-testid=\"decision-code\"") || !strings.Contains(r.Body, "/v/"+dc) {
		t.Errorf("the decision page does not show its code: %d", r.Status)
	}
	if r := b.do("GET", "/documents/"+id+"/decision.txt", nil); !strings.Contains(r.Body, "行政行为码") {
		t.Errorf("the decision file does not carry its code: %s", r.Body)
	}
	if r := e.browser().do("GET", "/v/"+dc, nil); r.Status != 200 || !strings.Contains(r.Body, "行政处罚决定书行为码") || !strings.Contains(r.Body, number) {
		t.Errorf("the public page does not verify the decision's code: %d %s", r.Status, r.Body)
	}
	other := e.browser()
	other.login("ent-b", demoPassword)
	if r := other.do("GET", "/v/"+dc, nil); strings.Contains(r.Body, number) || !strings.Contains(r.Body, "不是签发给贵企业") {
		t.Errorf("another enterprise reads the decision's code: %s", r.Body)
	}
	// A missing-code report may name the decision's code: it is the filer's own.
	if code, out := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "missing_code", "description": "决定书上的码无法扫描", "inspection_code": dc}); code != 201 {
		t.Errorf("report naming own decision code: %d %v", code, out)
	}
	// An inspection's code path never accepts a decision's code.
	if r := e.browser().do("GET", "/v/"+dc[:len(dc)-1]+"Z", nil); r.Status != 404 {
		t.Errorf("an altered decision code: %d", r.Status)
	}
}
