package portal_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIMatchesRoutes: the generated document is valid OpenAPI 3, every /api/v1 route is
// documented and every documented operation exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(e.srv.OpenAPI())
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid: %v", err)
	}
	var raw struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(e.srv.OpenAPI(), &raw); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(raw.OpenAPI, "3.") {
		t.Fatalf("not OpenAPI 3: %q", raw.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range raw.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range e.srv.App().GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == "HEAD" || r.Method == "USE" {
			continue
		}
		p := strings.TrimPrefix(r.Path, "/api/v1")
		parts := strings.Split(p, "/")
		for i, s := range parts {
			if strings.HasPrefix(s, ":") {
				parts[i] = "{" + s[1:] + "}"
			}
		}
		routed[r.Method+" "+strings.Join(parts, "/")] = true
	}
	var missing, extra []string
	for k := range routed {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("undocumented routes %v; documented but not routed %v", missing, extra)
	}
	// Every JSON answer is typed: its schema comes from the response type the handler returns
	// (the document itself, /openapi.json, is the one JSON answer described as a whole file).
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code, r := range op.Responses.Map() {
				if code == "default" || r.Value == nil {
					continue
				}
				mt := r.Value.Content.Get("application/json")
				if mt == nil {
					continue // 204, a file, a calendar
				}
				if path != "/openapi.json" && (mt.Schema == nil || mt.Schema.Value == nil || mt.Schema.Value.Type == nil) {
					t.Errorf("%s %s answers %s JSON without a typed schema", method, path, code)
				}
			}
		}
	}
	if code, out := e.api("GET", "/api/v1/openapi.json", "", nil); code != 200 || out["openapi"] == nil {
		t.Fatalf("served document: %d", code)
	}
}
