package portal_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// pathVariants are spellings of an API path that a case-insensitive or lax router would take
// for the same route: the prefix or the whole path in other cases, a trailing slash, doubled
// slashes, a percent-encoded letter.
func pathVariants(p string) []string {
	rest := strings.TrimPrefix(p, "/api/v1")
	return []string{
		"/API/v1" + rest,
		"/Api/v1" + rest,
		"/api/V1" + rest,
		strings.ToUpper(p),
		p + "/",
		"/API/v1" + rest + "/",
		"//api/v1" + rest,
		"/api//v1" + rest,
		"/%61pi/v1" + rest,
		"/%41PI/v1" + rest,
	}
}

// Finding 2: a cookie session never authenticates an API route, whatever the path's case or
// spelling; a cookie write without the CSRF token changes nothing anywhere. Every state-changing
// API route is tried, as the owner of the objects (ent-a), their provider, their liaison and an
// admin, with a JSON body that would succeed with the owner's bearer token.
func TestAttackPerimeterCSRFThroughThePathsSpelling(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	users := []string{"ent-a", "provider-1", "liaison-lc", "officer-scj", "admin"}
	sessions := map[string]*session{}
	for _, u := range users {
		s := e.session(u)
		sessions[u] = &session{b: s.b} // the cookie, but no token
	}
	n := 0
	before := fingerprint(t, e)
	for _, r := range tableRoutes(e) {
		if r.Method == "GET" || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		key := r.Method + " " + r.Path
		path := r.Path
		if len(routeParams(path)) > 0 {
			var ok bool
			if path, ok = victimPath(path, v); !ok {
				continue
			}
		}
		body, ok := attackBodies[key]
		if !ok || body["file"] != nil {
			body = map[string]any{}
		}
		raw, _ := json.Marshal(body)
		for _, u := range users {
			for _, p := range pathVariants(path) {
				n++
				res := e.sendRaw(r.Method, p, sessions[u], "", string(raw), "Content-Type", "application/json")
				if res.Status < 400 || res.Status >= 500 {
					t.Errorf("%s %s as %s by cookie, no token: %d %.120s", r.Method, p, u, res.Status, res.Body)
				}
			}
		}
	}
	if fingerprint(t, e) != before {
		t.Fatal("a cookie request to a respelled API path changed the database")
	}
	if n < 500 {
		t.Fatalf("only %d respelled requests ran; the route walk is broken", n)
	}
	t.Logf("%d respelled cookie writes refused", n)
}

// No handler panics on a missing or odd Authorization header: DELETE /API/v1/auth/token with a
// cookie (which once sliced an absent "Bearer " prefix), and every odd header on the API.
func TestAttackPerimeterOddAuthorizationNeverPanics(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	s := e.session("ent-a")
	cookie := &session{b: s.b}
	for _, p := range append([]string{"/api/v1/auth/token"}, pathVariants("/api/v1/auth/token")...) {
		res := e.sendRaw("DELETE", p, cookie, "", "")
		if res.Status < 400 || res.Status >= 500 {
			t.Errorf("DELETE %s with a cookie: %d %.200s", p, res.Status, res.Body)
		}
	}
	for _, h := range []string{"", "Bearer", "Bearer ", "bearer", "B", "Bearer\t", "Basic Zm9vOmJhcg==", "Bearer \x00", "Bearer " + strings.Repeat("a", 3000), "Token x", "  Bearer  x  "} {
		for _, m := range []string{"DELETE", "GET"} {
			p := "/api/v1/auth/token"
			if m == "GET" {
				p = "/api/v1/me"
			}
			res := e.sendRaw(m, p, cookie, "", "", "Authorization", h)
			if res.Status != 401 {
				t.Errorf("%s %s with Authorization %q: %d, want 401 (%.120s)", m, p, h, res.Status, res.Body)
			}
		}
	}
	// The session still works and was not ended by any of it.
	if r := s.b.do("GET", "/inbox", nil); r.Status != 200 {
		t.Fatalf("the session after the odd requests: %d", r.Status)
	}
}
