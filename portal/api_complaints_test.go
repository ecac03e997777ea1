package portal_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func (e *env) raw(method, path, token, body string) (int, string) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.srv.App().Test(req, 10000)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestComplaintByAPIRoutedWorkedAndPrivate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent, other, liaison, officer := e.token("ent-a"), e.token("ent-b"), e.token("liaison-lc"), e.token("officer-scj")
	filing := map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1", "CODE-1"}, "description": "检查人员未出示行政行为码，也未提前通知", "body_id": 1, "anonymous": true}
	code, first := e.api("POST", "/api/v1/complaints", ent, filing, "Idempotency-Key", "k-1")
	if code != 201 || first["channel"] != "12348" || first["status"] != "submitted" || !strings.HasPrefix(first["number"].(string), "QJ") {
		t.Fatalf("file: %d %v", code, first)
	}
	code, again := e.api("POST", "/api/v1/complaints", ent, filing, "Idempotency-Key", "k-1")
	if code != 201 || fmt.Sprint(again) != fmt.Sprint(first) {
		t.Fatalf("repeat with the same key: %d %v, want the first answer %v", code, again, first)
	}
	id := fmt.Sprintf("%.0f", first["id"]) // an anonymous order's reference is above 2^52: no exponent
	path := "/api/v1/complaints/" + id
	if code, _ := e.api("GET", path, other, nil); code != 404 {
		t.Fatalf("another enterprise reads it: %d, want 404", code)
	}
	if code, _ := e.api("GET", path, officer, nil); code != 404 {
		t.Fatalf("the body reads it before dispatch: %d, want 404", code)
	}
	_, list := e.api("GET", "/api/v1/complaints", other, nil)
	if items := list["items"].([]any); len(items) != 0 {
		t.Fatalf("another enterprise lists %d orders", len(items))
	}
	for _, a := range []map[string]any{{"action": "accept"}, {"action": "dispatch", "unit_id": 1}} {
		if code, out := e.api("POST", path+"/actions", liaison, a); code != 200 {
			t.Fatalf("%v: %d %v", a, code, out)
		}
	}
	// The handling unit sees the order but never who filed it: not in the order, the list or the timeline.
	code, body := e.raw("GET", path, officer, "")
	if code != 200 {
		t.Fatalf("officer reads the dispatched order: %d", code)
	}
	_, listBody := e.raw("GET", "/api/v1/complaints", officer, "")
	for _, leak := range []string{"温州鹿城新锐鞋业有限公司", "ent-a", "91330302", `"enterprise":{`, "陈晓东"} {
		if strings.Contains(body, leak) || strings.Contains(listBody, leak) {
			t.Errorf("an anonymous report shows %q to the reported body", leak)
		}
	}
	var seen map[string]any
	json.Unmarshal([]byte(body), &seen)
	if acts := fmt.Sprint(seen["allowed_actions"]); !strings.Contains(acts, "start") || !strings.Contains(acts, "return") {
		t.Errorf("officer's actions: %s", acts)
	}
	// The enterprise sees itself; a liaison sees it only by an audited reveal, which the body cannot make.
	_, own := e.raw("GET", path, ent, "")
	_, li := e.raw("GET", path, liaison, "")
	if !strings.Contains(own, "温州鹿城新锐鞋业有限公司") || strings.Contains(li, "温州鹿城新锐鞋业有限公司") {
		t.Error("the filer does not see itself, or the liaison sees the anonymous reporter without revealing")
	}
	_, n0, _ := e.st.VerifyAudit(t.Context())
	if code, _ := e.api("POST", path+"/reveal", officer, map[string]any{"reason": "核实"}); code != 403 {
		t.Fatalf("the reported body reveals the reporter: %d", code)
	}
	code, rv := e.api("POST", path+"/reveal", liaison, map[string]any{"reason": "核实"})
	if code != 200 || rv["enterprise"].(map[string]any)["name"] != "温州鹿城新锐鞋业有限公司" {
		t.Fatalf("liaison reveal: %d %v", code, rv)
	}
	bad, n1, _ := e.st.VerifyAudit(t.Context())
	if bad != 0 || n1 != n0+1 {
		t.Fatalf("the reveal was not audited: %d -> %d entries", n0, n1)
	}
	// A move the state does not allow is refused and changes nothing.
	if code, _ := e.api("POST", path+"/actions", ent, map[string]any{"action": "close"}); code != 409 {
		t.Fatalf("enterprise closing: %d, want 409", code)
	}
	if code, out := e.api("POST", path+"/actions", officer, map[string]any{"action": "return"}); code != 422 {
		t.Fatalf("return without a reason: %d %v", code, out)
	}
	_, after := e.api("GET", path, liaison, nil)
	if after["status"] != "dispatched" {
		t.Fatalf("status after refused moves: %v", after["status"])
	}
}

func TestComplaintBadInputNamesTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.token("ent-a")
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no type", map[string]any{"description": "足够长的说明文字"}, "type"},
		{"unknown type", map[string]any{"type": "praise", "description": "足够长的说明文字"}, "type"},
		{"no description", map[string]any{"type": "conduct"}, "description"},
		{"unknown reason", map[string]any{"type": "illegal_inspection", "reasons": []string{"FREQ-9"}, "description": "足够长的说明文字"}, "reasons[0]"},
		{"reasons on a consultation", map[string]any{"type": "consultation", "reasons": []string{"FREQ-1"}, "description": "足够长的说明文字"}, "reasons"},
		{"unknown body", map[string]any{"type": "conduct", "description": "足够长的说明文字", "body_id": 999}, "body_id"},
		{"someone else's enterprise", map[string]any{"type": "conduct", "description": "足够长的说明文字", "enterprise_id": 2}, "enterprise_id"},
		// PostgreSQL cannot store a NUL byte in text: refused up front on either database.
		{"NUL in the description", map[string]any{"type": "conduct", "description": "足够长的\u0000说明文字"}, "description"},
		{"NUL in the code", map[string]any{"type": "conduct", "description": "足够长的说明文字", "inspection_code": "QJ\u0000"}, "inspection_code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := e.api("POST", "/api/v1/complaints", ent, tc.body)
			if code != 422 || fields(out)[tc.field] == nil {
				t.Fatalf("%d %v, want 422 naming %s", code, out, tc.field)
			}
		})
	}
	_, list := e.api("GET", "/api/v1/complaints", ent, nil)
	if n := len(list["items"].([]any)); n != 0 {
		t.Fatalf("refused filings created %d orders", n)
	}
	if code, _ := e.api("GET", "/api/v1/complaints", e.token("provider-1"), nil); code != 403 {
		t.Fatalf("a provider lists orders: %d", code)
	}
	if code, _ := e.api("POST", "/api/v1/complaints", e.token("officer-scj"), map[string]any{"type": "conduct", "description": "足够长的说明文字"}); code != 403 {
		t.Fatalf("an officer files: %d", code)
	}
}

func TestLiaisonClassifies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent, li := e.token("ent-a"), e.token("liaison-lc")
	_, o := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "illegal_inspection", "reasons": []string{"FREQ-1"}, "description": "一年内第三次检查"})
	path := fmt.Sprintf("/api/v1/complaints/%v/actions", o["id"])
	if code, _ := e.api("POST", path, li, map[string]any{"action": "classify", "type": "praise"}); code != 422 {
		t.Fatalf("unknown type: %d", code)
	}
	if code, _ := e.api("POST", path, ent, map[string]any{"action": "classify", "type": "appeal"}); code != 409 {
		t.Fatalf("the enterprise reclassifies: %d", code)
	}
	code, out := e.api("POST", path, li, map[string]any{"action": "classify", "type": "conduct"})
	if code != 200 || out["type"] != "conduct" || len(out["reasons"].([]any)) != 0 {
		t.Fatalf("classify: %d %v", code, out)
	}
}

// A filing is routed by its enterprise's county, which comes with the session read: a change of
// county applies to the very next filing.
func TestFilingUsesTheEnterprisesCurrentCounty(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	tok := e.token("ent-a")
	u, err := e.st.UserByUsername(ctx, "ent-a")
	if err != nil {
		t.Fatal(err)
	}
	ent, err := e.st.Enterprise(ctx, *u.EnterpriseID)
	if err != nil {
		t.Fatal(err)
	}
	filing := map[string]any{"type": "conduct", "description": "检查人员态度粗暴，干扰生产"}
	countyOf := func() string {
		t.Helper()
		code, out := e.api("POST", "/api/v1/complaints", tok, filing)
		if code != 201 {
			t.Fatalf("file: %d %v", code, out)
		}
		o, err := e.st.Order(ctx, uint64(out["id"].(float64)), false)
		if err != nil {
			t.Fatal(err)
		}
		return o.CountyCode
	}
	if got := countyOf(); got != ent.CountyCode {
		t.Fatalf("order county %q, enterprise's %q", got, ent.CountyCode)
	}
	if err := e.st.Gorm().Exec("UPDATE enterprises SET county_code = '330381' WHERE id = ?", ent.ID).Error; err != nil {
		t.Fatal(err)
	}
	if got := countyOf(); got != "330381" {
		t.Fatalf("after the enterprise moved to 330381 the order went to %q", got)
	}
}

// Every complaints route is typed: the OpenAPI document gives each operation its success status
// and, for the JSON answers, their schema (an untyped route has only a "default" answer).
func TestComplaintRoutesAreTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Schema json.RawMessage `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(e.srv.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for path, ops := range doc.Paths {
		if !strings.HasPrefix(path, "/complaints") {
			continue
		}
		for method, op := range ops {
			seen++
			typed := false
			for status, r := range op.Responses {
				if status == "default" {
					continue
				}
				for ctype, c := range r.Content {
					typed = typed || len(c.Schema) > 0 && (ctype == "application/json" || strings.HasSuffix(path, "{eid}") || strings.HasSuffix(path, "{fid}"))
				}
			}
			if !typed {
				t.Errorf("%s %s has no typed success answer", strings.ToUpper(method), path)
			}
		}
	}
	if seen != 10 { // 7, the reply's files (upload and download), the supervision document
		t.Errorf("%d complaints operations documented, want 10", seen)
	}
}
