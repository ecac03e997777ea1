package portal_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"

	"strings"
	"testing"
	"time"

	"qijian/internal/store"
)

// CODE-1: a registered inspection's code verifies publicly; forged and stale codes say so, and
// the page leads to a report in one step.
func TestVerifyPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off := e.token("officer-scj")
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 5)
	notice := e.clk.Now()
	code, out := e.api("POST", "/api/v1/inspections", off, map[string]any{"external_id": "zj-001", "kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1, 3}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": notice.Format(time.RFC3339)})
	if code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	if code, again := e.api("POST", "/api/v1/inspections", off, map[string]any{"external_id": "zj-001", "kind": "triggered", "enterprise_id": 1, "body_ids": []int{1}, "scheduled_at": at.Format(time.RFC3339)}); code != 200 || again["code"] != out["code"] {
		t.Fatalf("repeat push: %d %v", code, again)
	}
	if code, bad := e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": "planned", "enterprise_id": 1, "body_ids": []int{}, "scheduled_at": at.Format(time.RFC3339)}); code != 422 || fields(bad)["body_ids"] == nil {
		t.Fatalf("no body: %d %v", code, bad)
	}
	b := e.browser()
	page := "/v/" + out["code"].(string)
	r := b.do("GET", strings.ToLower(page), nil)
	for _, want := range []string{"有效", "温州市市场监督管理局", "张明", "浙A33030012345", "食品经营许可情况检查", "《中华人民共和国食品安全法》", "按时送达", "周平", "证件无效"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("verify page lacks %q: %s", want, r.Body[strings.Index(r.Body, "<main"):])
		}
	}
	if strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") {
		t.Error("the public page names the enterprise")
	}
	if !strings.Contains(r.Body, "/complaints/new?type=illegal_inspection&amp;code=") {
		t.Error("no one-step report link")
	}
	forged := out["code"].(string)
	forged = forged[:10] + map[bool]string{true: "1", false: "2"}[forged[10] != '1'] + forged[11:]
	if r := b.do("GET", "/v/"+forged, nil); r.Status != 404 || !strings.Contains(r.Body, "不是本平台签发") {
		t.Fatalf("forged code: %d", r.Status)
	}
	if r := b.do("GET", "/v/nonsense", nil); r.Status != 404 || !strings.Contains(r.Body, "查无此码") {
		t.Fatalf("malformed code: %d", r.Status)
	}
	if r := b.do("GET", page+"/qr.png", nil); r.Status != 200 || !strings.HasPrefix(r.Body, "\x89PNG") {
		t.Fatalf("QR PNG: %d", r.Status)
	}
	if r := b.do("GET", page+"/qr.svg", nil); r.Status != 200 || !strings.Contains(r.Body, "<svg") {
		t.Fatalf("QR SVG: %d", r.Status)
	}
	// The grid worker among the inspectors is a SUBJ-2 clue for the liaisons.
	_, list := e.api("GET", "/api/v1/clues", e.token("liaison-lc"), nil) // clues wait for review apart from the complaints
	items := list["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("clues in the 鹿城 queue: %d, want the SUBJ-2 one", len(items))
	}
	// Moving it on is for its body's officers only, along the allowed path; a cancelled code says so.
	st := "/api/v1/inspections/" + fmt.Sprint(out["id"]) + "/status"
	if code, _ := e.api("POST", st, e.token("ent-a"), map[string]any{"status": "done"}); code != 403 {
		t.Fatalf("an enterprise moves the inspection: %d", code)
	}
	if code, _ := e.api("POST", st, off, map[string]any{"status": "done"}); code != 409 {
		t.Fatalf("scheduled straight to done: %d", code)
	}
	if code, _ := e.api("POST", st, off, map[string]any{"status": "cancelled"}); code != 200 {
		t.Fatalf("cancel: %d", code)
	}
	if r := b.do("GET", page, nil); !strings.Contains(r.Body, "已撤销") {
		t.Fatal("a cancelled inspection's code is not shown as revoked")
	}
	e.clk.Advance(40 * 24 * time.Hour)
	if r := b.do("GET", page, nil); !strings.Contains(r.Body, "已撤销") {
		t.Fatal("a revoked code 40 days on must still read as revoked")
	}
}

func TestInspectionCSVImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off := e.token("officer-scj")
	ent, _ := e.st.Enterprise(t.Context(), 2)
	csv := "\ufeffexternal_id,kind,enterprise_uscc,body_ids,item_ids,inspector_ids,scheduled_at,place,notice_delivered_at\n" +
		"csv-1,triggered," + ent.USCC + ",1,1;2,1,2026-03-20 09:30,瑞安市某厂,2026-03-10 10:00\n" +
		"csv-2,planned,91330000MA0000000X,1,1,1,2026-03-21 09:30,,\n" + // bad credit code
		"csv-3,weekly," + ent.USCC + ",1,1,1,someday,,\n" + // bad kind and time
		"csv-4,triggered," + ent.USCC + ",2,,,2026-03-22 09:30,,\n" + // another body's inspection
		"csv-1,triggered," + ent.USCC + ",1,1;2,1,2026-03-20 09:30,瑞安市某厂,2026-03-10 10:00\n" // a repeat
	req := httptest.NewRequest("POST", "/api/v1/inspections/import", strings.NewReader(csv))
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+off)
	res, err := e.srv.App().Test(req, 20000)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Imported int
		Rows     []struct {
			Row    int
			OK     bool
			New    bool
			Errors map[string]string
		}
	}
	json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != 200 || out.Imported != 1 || len(out.Rows) != 5 {
		t.Fatalf("import: %d %+v", res.StatusCode, out)
	}
	want := []struct {
		ok     bool
		fields []string
	}{{true, nil}, {false, []string{"enterprise_uscc"}}, {false, []string{"kind", "scheduled_at"}}, {false, []string{"body_ids"}}, {true, nil}}
	for i, w := range want {
		r := out.Rows[i]
		if r.OK != w.ok || r.Row != i+2 {
			t.Errorf("row %d: %+v", i+2, r)
		}
		for _, f := range w.fields {
			if r.Errors[f] == "" {
				t.Errorf("row %d: no error for %s: %v", i+2, f, r.Errors)
			}
		}
	}
	if out.Rows[4].New {
		t.Error("the repeated row was imported again")
	}
	list, _ := e.st.Inspections(t.Context(), store.InspectionFilter{All: true})
	if len(list) != 1 {
		t.Fatalf("%d inspections stored, want 1", len(list))
	}
}

func TestBodyMasterDataAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off, other := e.token("officer-scj"), e.token("ent-a")
	code, out := e.api("POST", "/api/v1/bodies/1/inspectors", off, map[string]any{"name": "孙磊", "credential_no": "浙A3303009999", "valid_from": "2025-01-01", "valid_to": "2024-01-01", "staff": "on_post"})
	if code != 422 || fields(out)["valid_to"] == nil {
		t.Fatalf("validity ending before it starts: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/bodies/1/inspectors", off, map[string]any{"name": "孙磊", "credential_no": "浙A3303009999", "valid_from": "2025-01-01", "valid_to": "2028-01-01", "staff": "on_post"}); code != 201 {
		t.Fatalf("add inspector: %d %v", code, out)
	}
	if code, _ := e.api("POST", "/api/v1/bodies/4/inspectors", off, map[string]any{"name": "x", "credential_no": "y", "valid_from": "2025-01-01", "valid_to": "2028-01-01", "staff": "on_post"}); code != 403 {
		t.Fatalf("officer adds to another body: %d", code)
	}
	if code, _ := e.api("POST", "/api/v1/bodies/1/items", other, map[string]any{"name": "x", "legal_basis": "y"}); code != 403 {
		t.Fatalf("an enterprise edits an item list: %d", code)
	}
	if code, out := e.api("POST", "/api/v1/bodies/1/items", off, map[string]any{"name": "消防通道检查", "legal_basis": "《消防法》", "published_on": "2026-01-10"}); code != 201 {
		t.Fatalf("add item: %d %v", code, out)
	}
	_, list := e.api("GET", "/api/v1/bodies/1/items", other, nil)
	if n := len(list["items"].([]any)); n != 4 {
		t.Fatalf("items of body 1: %d, want 4", n)
	}
	// Answers are snake_case like the rest of the API.
	if it := list["items"].([]any)[3].(map[string]any); it["name"] != "消防通道检查" || it["body_id"] != float64(1) || it["legal_basis"] != "《消防法》" || it["ID"] != nil {
		t.Fatalf("an item as answered: %v", it)
	}
	_, people := e.api("GET", "/api/v1/bodies/1/inspectors", other, nil)
	if p := people["items"].([]any)[0].(map[string]any); p["credential_no"] == nil || p["body_id"] != float64(1) || p["active"] == nil || p["CredentialNo"] != nil {
		t.Fatalf("an inspector as answered: %v", p)
	}
	// A published plan that changes is recorded as changed (PLAN-1).
	_, p := e.api("POST", "/api/v1/bodies/1/plans", off, map[string]any{"year": 2026, "title": "调整后的计划", "published_on": "2026-02-20"})
	if p["changed_at"] == nil {
		t.Fatalf("changing a published plan is not recorded: %v", p)
	}
	if code, _ := e.api("GET", "/api/v1/bodies/999/items", other, nil); code != 404 {
		t.Fatalf("unknown body: %d", code)
	}
}
