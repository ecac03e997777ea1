package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Each rung's document is in the order's API detail and on its page, with its own printable
// page (print.css) and API answer; the enterprise sees none of them, and its attempts answer 404.
func TestSupervisionDocumentsByAPIAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path, page := fileAndDispatch(t, e)
	li := e.token("liaison-lc")
	for _, r := range []string{"签收超时", "催办后仍未办理"} {
		if code, out := e.api("POST", path+"/actions", li, map[string]any{"action": "escalate", "reason": r}); code != 200 {
			t.Fatalf("escalate: %d %v", code, out)
		}
	}
	_, d := e.api("GET", path, li, nil)
	docs, _ := d["documents"].([]any)
	if len(docs) != 2 {
		t.Fatalf("documents in the detail: %v", d["documents"])
	}
	letter := docs[1].(map[string]any)
	if letter["number"] != "温司督〔2026〕1号" || letter["kind"] != "county_letter" || !strings.Contains(fmt.Sprint(letter["body"]), "催办后仍未办理") {
		t.Fatalf("the county letter: %v", letter)
	}
	docPage := fmt.Sprint(letter["page"])
	docAPI := "/api/v1" + docPage
	if code, out := e.api("GET", docAPI, li, nil); code != 200 || out["number"] != "温司督〔2026〕1号" {
		t.Fatalf("the document by API: %d %v", code, out)
	}
	if code, out := e.api("GET", docAPI, e.token("officer-scj"), nil); code != 200 {
		t.Fatalf("the unit reading its letter: %d %v", code, out)
	}
	ent := e.token("ent-a")
	if _, out := e.api("GET", path, ent, nil); len(out["documents"].([]any)) != 0 {
		t.Fatalf("the enterprise sees documents: %v", out["documents"])
	}
	if code, _ := e.api("GET", docAPI, ent, nil); code != 404 {
		t.Fatalf("the enterprise opening a document: %d, want 404", code)
	}
	b := e.browser()
	b.login("liaison-lc", demoPassword)
	if r := b.do("GET", page, nil); r.Status != 200 || !strings.Contains(r.Body, `data-testid="supervision-documents"`) || !strings.Contains(r.Body, "温司督〔2026〕1号") {
		t.Fatalf("the order page: %d", r.Status)
	}
	r := b.do("GET", docPage, nil)
	if r.Status != 200 || !strings.Contains(r.Body, "/static/css/print.css") || !strings.Contains(r.Body, "督办函") || !strings.Contains(r.Body, "鹿城区司法局") {
		t.Fatalf("the printable page: %d", r.Status)
	}
	if r := e.browser().do("GET", "/static/css/print.css", nil); r.Status != 200 || !strings.Contains(r.Body, "@page") {
		t.Fatalf("print.css: %d", r.Status)
	}
	eb := e.browser()
	eb.login("ent-a", demoPassword)
	if r := eb.do("GET", docPage, nil); r.Status != 404 {
		t.Fatalf("the enterprise's browser on the document: %d, want 404", r.Status)
	}
}

// The rates by API and page: a county liaison sees its own county and is refused another's;
// the city level picks any; enterprises and officers are refused.
func TestRatesByAPIAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path, _ := fileAndDispatch(t, e)
	if code, out := e.api("POST", path+"/actions", e.token("officer-scj"), map[string]any{"action": "sign"}); code != 200 {
		t.Fatalf("sign: %d %v", code, out)
	}
	code, out := e.api("GET", "/api/v1/rates?from=2026-03-01&to=2026-03-31", e.token("liaison-lc"), nil)
	if code != 200 || out["county"] != "330302" {
		t.Fatalf("rates: %d %v", code, out)
	}
	total := out["total"].(map[string]any)
	if total["dispatched"] != float64(1) || total["signed_in_time"] != float64(1) || total["response_rate"] != float64(1) || total["orders"] != float64(1) || total["closed"] != float64(0) {
		t.Fatalf("total: %v", total)
	}
	if units := out["units"].([]any); len(units) != 1 || units[0].(map[string]any)["name"] == "" {
		t.Fatalf("units: %v", out["units"])
	}
	if code, _ := e.api("GET", "/api/v1/rates?county=330304", e.token("liaison-lc"), nil); code != 403 {
		t.Fatalf("a county liaison asking for another county: %d, want 403", code)
	}
	if code, out := e.api("GET", "/api/v1/rates?county=330304", e.token("liaison-city"), nil); code != 200 || out["total"].(map[string]any)["orders"] != float64(0) {
		t.Fatalf("the city asking for another county: %d %v", code, out)
	}
	if code, _ := e.api("GET", "/api/v1/rates?from=2026-03-31&to=2026-03-01", e.token("admin"), nil); code != 422 {
		t.Fatalf("a period ending before it starts: %d, want 422", code)
	}
	for _, who := range []string{"ent-a", "officer-scj"} {
		if code, _ := e.api("GET", "/api/v1/rates", e.token(who), nil); code != 403 {
			t.Errorf("%s reading rates: %d, want 403", who, code)
		}
	}
	b := e.browser()
	b.login("liaison-lc", demoPassword)
	r := b.do("GET", "/rates?month=2026-03", nil)
	if r.Status != 200 || !strings.Contains(r.Body, "响应率") || !strings.Contains(r.Body, "100.0%") || !strings.Contains(r.Body, "(1/1)") || strings.Contains(r.Body, `name="county"`) {
		t.Fatalf("the rates page: %d", r.Status)
	}
	if r := b.do("GET", "/rates?county=330304", nil); r.Status != 403 {
		t.Fatalf("the county liaison's page for another county: %d, want 403", r.Status)
	}
	cb := e.browser()
	cb.login("liaison-city", demoPassword)
	if r := cb.do("GET", "/rates?month=2026-03&county=330302", nil); r.Status != 200 || !strings.Contains(r.Body, `name="county"`) || !strings.Contains(r.Body, "100.0%") {
		t.Fatalf("the city's rates page: %d", r.Status)
	}
	eb := e.browser()
	eb.login("ent-a", demoPassword)
	if r := eb.do("GET", "/rates", nil); r.Status != 403 {
		t.Fatalf("an enterprise on the rates page: %d, want 403", r.Status)
	}
}

// Admins set the monthly limit and the contact; a unit at the limit is listed for the city
// level, who marks it handled with a note by page (a missing note is asked for) or by API; a
// county liaison and an enterprise are refused.
func TestConcentratedComplaintsByAPIAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token("admin")
	if code, out := e.api("GET", "/api/v1/supervision/settings", admin, nil); code != 200 || out["concentration_limit"] != float64(5) {
		t.Fatalf("settings: %d %v", code, out)
	}
	if code, out := e.api("PUT", "/api/v1/supervision/settings", admin, map[string]any{"concentration_limit": 2, "referral_contact_name": "纪检监察组", "referral_mobile": "123"}); code != 422 || fields(out)["referral_mobile"] == nil {
		t.Fatalf("a bad mobile: %d %v", code, out)
	}
	if code, _ := e.api("PUT", "/api/v1/supervision/settings", e.token("liaison-city"), map[string]any{"concentration_limit": 2}); code != 403 {
		t.Fatalf("a liaison changing the settings: %d", code)
	}
	ab := e.browser()
	ab.login("admin", demoPassword)
	if r := ab.do("GET", "/admin/supervision", nil); r.Status != 200 || !strings.Contains(r.Body, `name="concentration_limit"`) {
		t.Fatalf("the settings page: %d", r.Status)
	}
	if r := ab.post("/admin/supervision", "/admin/supervision", url.Values{"concentration_limit": {"2"}, "referral_contact_name": {"市纪委监委驻市司法局纪检监察组"}, "referral_mobile": {"13800000002"}}); r.Status != 303 {
		t.Fatalf("saving the settings by page: %d %s", r.Status, r.Body)
	}
	fileAndDispatch(t, e)
	city := e.token("liaison-city")
	if _, out := e.api("GET", "/api/v1/supervision", city, nil); len(out["items"].([]any)) != 0 {
		t.Fatalf("an item at one order: %v", out)
	}
	fileAndDispatch(t, e)
	code, out := e.api("GET", "/api/v1/supervision?month=2026-03", city, nil)
	items, _ := out["items"].([]any)
	if code != 200 || len(items) != 1 {
		t.Fatalf("items: %d %v", code, out)
	}
	it := items[0].(map[string]any)
	if it["orders"] != float64(2) || it["limit"] != float64(2) || len(it["order_refs"].([]any)) != 2 || it["unit"] == "" {
		t.Fatalf("the item: %v", it)
	}
	for _, who := range []string{"liaison-lc", "ent-a", "officer-scj"} {
		if code, _ := e.api("GET", "/api/v1/supervision", e.token(who), nil); code != 403 {
			t.Errorf("%s listing items: %d, want 403", who, code)
		}
	}
	cb := e.browser()
	cb.login("liaison-city", demoPassword)
	if r := cb.do("GET", "/supervision", nil); r.Status != 200 || !strings.Contains(r.Body, `data-testid="supervision-item"`) || !strings.Contains(r.Body, "2026-03") {
		t.Fatalf("the items page: %d", r.Status)
	}
	handle := fmt.Sprintf("/supervision/%.0f/handle", it["id"])
	if r := cb.post(handle, "/supervision", url.Values{"note": {" "}}); r.Status != 422 || !strings.Contains(r.Body, "此项必填") {
		t.Fatalf("handling without a note: %d", r.Status)
	}
	if r := cb.post(handle, "/supervision", url.Values{"note": {"已约谈承办单位负责人"}}); r.Status != 303 {
		t.Fatalf("handling by page: %d", r.Status)
	}
	if r := cb.do("GET", "/supervision", nil); !strings.Contains(r.Body, `data-testid="item-handled"`) || !strings.Contains(r.Body, "已约谈承办单位负责人") {
		t.Fatal("the page does not show the item handled")
	}
	if code, _ := e.api("POST", "/api/v1"+handle, city, map[string]any{"note": "again"}); code != 409 {
		t.Fatalf("handling twice: %d, want 409", code)
	}
	lb := e.browser()
	lb.login("liaison-lc", demoPassword)
	if r := lb.do("GET", "/supervision", nil); r.Status != 403 {
		t.Fatalf("a county liaison on the items page: %d, want 403", r.Status)
	}
}
