package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"qijian/internal/demo"
)

// FREQ-2's input: officers and admins keep an enterprise's credit and risk grades by API (typed,
// as documented), by page and by CSV import; the history shows each period; others may not.
func TestGradesByAPIPageAndImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t) // now: 2026-03-02
	off := e.token("officer-scj")
	code, out := e.api("POST", "/api/v1/enterprises/2/grades", off, map[string]any{"kind": "credit", "grade": "A", "valid_from": "2026-07-01", "source": "市信用办"})
	if code != 200 || out["credit"] != "B" || len(out["history"].([]any)) != 2 {
		t.Fatalf("set: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/enterprises/2/grades", off, map[string]any{"kind": "credit", "grade": "A", "valid_from": "2026-06-01"}); code != 422 || fields(out)["valid_from"] == nil {
		t.Fatalf("rewriting history: %d %v", code, out)
	}
	if code, _ := e.api("POST", "/api/v1/enterprises/2/grades", e.token("ent-b"), map[string]any{"kind": "credit", "grade": "A", "valid_from": "2026-08-01"}); code != 403 && code != 404 {
		t.Fatalf("an enterprise sets its own grade: %d", code)
	}
	if code, out := e.api("GET", "/api/v1/enterprises/2/grades", e.token("ent-b"), nil); code != 200 || out["credit"] != "B" {
		t.Fatalf("the enterprise reads its grades: %d %v", code, out)
	}
	if code, _ := e.api("GET", "/api/v1/enterprises/2/grades", e.token("ent-a"), nil); code != 404 {
		t.Fatalf("another enterprise reads them: %d", code)
	}
	// The import: all or nothing.
	csv := "uscc,kind,grade,valid_from\n" + demo.USCC("330302", 1) + ",risk,high,2026-03-01\n"
	if code, out := e.api("POST", "/api/v1/grades/import", off, csv+"x,credit,A,2026-01-01\n", "Content-Type", "text/csv"); code != 422 || fields(out)["row_3"] == nil {
		t.Fatalf("a bad import: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/grades/import", off, csv, "Content-Type", "text/csv"); code != 200 || out["imported"] != float64(1) {
		t.Fatalf("import: %d %v", code, out)
	}
	if _, out := e.api("GET", "/api/v1/enterprises/1/grades", off, nil); out["risk"] != "high" {
		t.Fatalf("after the import: %v", out)
	}
	// By page, reached from an inspection of the enterprise.
	b := e.browser()
	b.login("officer-scj", demoPassword)
	_, reg := e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": "triggered", "enterprise_id": 2, "body_ids": []int{1}, "item_ids": []int{1}, "inspector_ids": []int{1, 2}, "scheduled_at": "2026-03-12T09:00:00+08:00"})
	if r := b.do("GET", "/inspections/"+fmt.Sprint(reg["id"]), nil); !strings.Contains(r.Body, `href="/manage/enterprises/2/grades"`) {
		t.Errorf("the inspection page does not lead to the grades: %d", r.Status)
	}
	r := b.do("GET", "/manage/enterprises/2/grades", nil)
	if r.Status != 200 || !strings.Contains(r.Body, "2026-06-30") || !strings.Contains(r.Body, "市信用办") {
		t.Fatalf("grades page: %d", r.Status)
	}
	r = b.post("/manage/enterprises/2/grades", "/manage/enterprises/2/grades", url.Values{"kind": {"risk"}, "grade": {"medium"}, "valid_from": {"2026-03-02"}})
	if r.Status != 303 {
		t.Fatalf("page save: %d", r.Status)
	}
	r = b.post("/manage/enterprises/2/grades/import", "/manage/enterprises/2/grades", url.Values{"csv": {"nonsense,credit,A,2026-01-01"}})
	if r.Status != 422 || !strings.Contains(r.Body, "第 1 行") {
		t.Fatalf("page import of a bad line: %d", r.Status)
	}
	ent := e.browser()
	ent.login("ent-b", demoPassword)
	if r := ent.do("GET", "/manage/enterprises/2/grades", nil); r.Status == 200 {
		t.Fatal("an enterprise opens the grades page")
	}
}
