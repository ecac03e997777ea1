package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
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
