package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"qijian/internal/demo"
)

// TestSearchFindsOrdersByNumberNameOrCodeWithoutUnmasking: the queue and the enterprise's own
// list find an order by its number, the enterprise's name or its credit code; an anonymous
// order is found by name or code only by those who may know its reporter (the enterprise
// itself), and by its number by anyone who may see it: a liaison searching a name must not learn
// that the anonymous order is that enterprise's.
func TestSearchFindsOrdersByNumberNameOrCodeWithoutUnmasking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.token("ent-a")
	_, named := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "appeal", "description": "希望简化审批材料"})
	_, anon := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "appeal", "description": "检查时要求停产两天", "anonymous": true})
	_, other := e.api("POST", "/api/v1/complaints", e.token("ent-b"), map[string]any{"type": "appeal", "description": "厂区门口道路积水"})
	namedNo, anonNo, otherNo := named["number"].(string), anon["number"].(string), other["number"].(string)
	code := demo.USCC("330302", 1)
	numbers := func(token, q string) string {
		t.Helper()
		status, out := e.api("GET", "/api/v1/complaints?q="+url.QueryEscape(q), token, nil)
		if status != 200 {
			t.Fatalf("search %q: %d %v", q, status, out)
		}
		var got []string
		for _, it := range out["items"].([]any) {
			got = append(got, it.(map[string]any)["number"].(string))
		}
		return fmt.Sprint(got)
	}
	has := func(list, n string) bool { return strings.Contains(list, n) }
	for _, who := range []string{"liaison-lc", "liaison-city", "admin"} {
		tok := e.token(who)
		for _, q := range []string{"新锐鞋业", code, strings.ToLower(code)} {
			got := numbers(tok, q)
			if !has(got, namedNo) || has(got, anonNo) || has(got, otherNo) {
				t.Errorf("%s searching %q: %s, want %s only (not the anonymous %s)", who, q, got, namedNo, anonNo)
			}
		}
		if got := numbers(tok, anonNo); !has(got, anonNo) || has(got, namedNo) {
			t.Errorf("%s searching the anonymous order's number: %s", who, got)
		}
		if got := numbers(tok, strings.ToLower(namedNo[len(namedNo)-4:])); !has(got, namedNo) {
			t.Errorf("%s searching part of a number: %s", who, got)
		}
	}
	// The city's liaison sees ent-b's order; the name of one enterprise never finds another's.
	if got := numbers(e.token("liaison-city"), "恒泰"); !has(got, otherNo) || has(got, namedNo) {
		t.Errorf("city liaison searching 恒泰: %s", got)
	}
	// The enterprise knows its own reporter: its name finds both of its orders.
	if got := numbers(ent, "新锐鞋业"); !has(got, namedNo) || !has(got, anonNo) {
		t.Errorf("ent-a searching its own name: %s", got)
	}
	if got := numbers(ent, "%"); got != "[]" {
		t.Errorf("a %% matches as itself, not everything: %s", got)
	}
	if status, _ := e.api("GET", "/api/v1/complaints?q="+strings.Repeat("长", 101), ent, nil); status != 400 {
		t.Errorf("a 101-character search: %d, want 400", status)
	}
	// The pages: the queue and the enterprise's list carry the box and keep what was typed.
	b := e.browser()
	b.login("liaison-lc", demoPassword)
	page := b.do("GET", "/complaints?q="+url.QueryEscape("新锐鞋业"), nil).Body
	if !strings.Contains(page, `data-testid="order-search"`) || !strings.Contains(page, namedNo) || strings.Contains(page, anonNo) || !strings.Contains(page, `value="新锐鞋业"`) {
		t.Errorf("liaison's queue searched by name shows the wrong orders or forgets the search")
	}
	if !strings.Contains(page, "q=%E6%96%B0") {
		t.Errorf("the export link drops the search")
	}
	b = e.browser()
	b.login("ent-a", demoPassword)
	page = b.do("GET", "/complaints?q="+url.QueryEscape(anonNo), nil).Body
	if !strings.Contains(page, `data-testid="order-search"`) || !strings.Contains(page, anonNo) || strings.Contains(page, namedNo) {
		t.Errorf("the enterprise's list searched by number shows the wrong orders")
	}
}

func TestSearchIsInTheOpenAPIDocument(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, doc := e.api("GET", "/api/v1/openapi.json", "", nil)
	get := doc["paths"].(map[string]any)["/complaints"].(map[string]any)["get"].(map[string]any)
	for _, p := range get["parameters"].([]any) {
		if p.(map[string]any)["name"] == "q" && p.(map[string]any)["in"] == "query" {
			return
		}
	}
	t.Errorf("GET /api/v1/complaints documents no q parameter: %v", get["parameters"])
}
