package portal_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"qijian/internal/demo"
)

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/me/application":          "login",
		"POST /api/v1/me/application/licence": "login",
		"GET /api/v1/claims":                  "login",
		"GET /api/v1/claims/:id":              "login",
		"POST /api/v1/claims/:id/decision":    "login",
		"GET /account/application":            "login",
		"POST /account/application/licence":   "login",
		"GET /review/claims":                  "login",
		"GET /review/claims/:id":              "login",
		"GET /review/claims/:id/licence":      "login",
		"POST /review/claims/:id/decision":    "login",
	} {
		routeClass[k] = v
	}
	// The object matrix (attack_test.go): an application is its county's liaisons' and the
	// city's, and admins', to review; everyone else is refused.
	reviewers := []string{"admin", "liaison-lc", "liaison-city"}
	for _, k := range []string{"GET /api/v1/claims/:id", "POST /api/v1/claims/:id/decision", "GET /review/claims/:id", "GET /review/claims/:id/licence", "POST /review/claims/:id/decision"} {
		legitimate[k] = reviewers
	}
	attackBodies["POST /api/v1/claims/:id/decision"] = map[string]any{"approve": false, "reason": "伪造的驳回"}
	attackBodies["POST /review/claims/:id/decision"] = map[string]any{"approve": "false", "reason": "伪造的驳回"}
}

// makeClaim is a pending application with its licence, in Lucheng, for the object matrix.
func makeClaim(t *testing.T, e *env) uint64 {
	t.Helper()
	r := validRegistration(25)
	r["county"], r["username"] = "330302", "victim-co"
	if code, out := e.api("POST", "/api/v1/auth/register", "", r); code != 202 {
		t.Fatalf("application: %d %v", code, out)
	}
	if code, out := e.upload("/api/v1/me/application/licence", e.tokenFor("victim-co", "a-long-password"), smallPNG(t)); code != 200 {
		t.Fatalf("licence: %d %s", code, out)
	}
	u, err := e.st.UserByUsername(t.Context(), "victim-co")
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.st.ClaimOfUser(t.Context(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// squatterRegistration applies for ent-a's real credit code, in ent-a's county.
func squatterRegistration(username string) map[string]string {
	r := validRegistration(20)
	r["uscc"], r["county"], r["username"], r["name"] = demo.USCC("330302", 1), "330302", username, "温州鹿城新锐鞋业有限公司"
	return r
}

// noItems tells whether a list answer holds nothing: refused, or empty.
func noItems(code int, out map[string]any) bool {
	if code != 200 {
		return code == 403 || code == 404
	}
	items, _ := out["items"].([]any)
	return len(items) == 0
}

// Finding 5: a squatter registers a real enterprise's credit code. The answer is the same as for
// any code (nothing says the code is taken), and until a reviewer approves the application the
// squatter gets nothing addressed to the code by any channel: the three documents, inspections
// and their notices, orders, bookings, appointments, alerts, evidence, the enterprise's record.
func TestAttackSquatterGetsNothingAddressedToTheCode(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	fresh := validRegistration(21)
	fresh["county"] = "330302"
	c1, a1 := e.api("POST", "/api/v1/auth/register", "", fresh)
	c2, a2 := e.api("POST", "/api/v1/auth/register", "", squatterRegistration("squatter"))
	if c1 != 202 || c2 != c1 || fmt.Sprint(a1) != fmt.Sprint(a2) {
		t.Fatalf("a fresh code answered %d %v, a taken one %d %v: the answer tells the code is taken", c1, a1, c2, a2)
	}
	sq := e.tokenFor("squatter", "a-long-password")
	v := makeVictims(t, e, "机密")
	if code, me := e.api("GET", "/api/v1/me", sq, nil); code != 200 || me["enterprise"] != nil || me["applicant"] != true {
		t.Fatalf("/me: %d %v", code, me)
	}
	for _, path := range []string{
		fmt.Sprintf("/api/v1/documents/%d", v.Document),
		fmt.Sprintf("/api/v1/inspections/%d", v.Inspection),
		fmt.Sprintf("/api/v1/complaints/%d", v.Complaint),
		fmt.Sprintf("/api/v1/complaints/%d/evidence/%d", v.Complaint, v.Evidence),
		fmt.Sprintf("/api/v1/bookings/%d", v.Booking),
		fmt.Sprintf("/api/v1/appointments/%d", v.Appointment),
	} {
		if code, out := e.api("GET", path, sq, nil); code != 404 && code != 403 {
			t.Errorf("squatter GET %s: %d %v", path, code, out)
		}
	}
	for _, path := range []string{"/api/v1/inspections", "/api/v1/complaints", "/api/v1/bookings", "/api/v1/appointments", "/api/v1/alerts"} {
		if code, out := e.api("GET", path, sq, nil); !noItems(code, out) {
			t.Errorf("squatter lists %s: %d %v", path, code, out)
		}
	}
	_, inbox := e.api("GET", "/api/v1/notifications", sq, nil)
	if items, _ := inbox["items"].([]any); len(items) != 1 || items[0].(map[string]any)["kind"] != "welcome" {
		t.Errorf("squatter's inbox: %v, want the welcome alone", inbox)
	}
	// Acting in the enterprise's name is refused too.
	if code, out := e.api("POST", "/api/v1/complaints", sq, map[string]any{"type": "conduct", "body_id": 1, "description": "以该企业名义投诉"}); code < 400 {
		t.Errorf("squatter files for the code: %d %v", code, out)
	}
	sl := slotOf(t, e, "legal", time.Date(2026, 3, 6, 9, 0, 0, 0, wz))
	if code, out := e.api("POST", "/api/v1/bookings", sq, map[string]any{"slot_id": sl.ID, "mode": "online"}); code < 400 {
		t.Errorf("squatter books in the enterprise's name: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/appointments", sq, map[string]any{"body_id": 1, "topic": "以该企业名义约见", "preferred_at": "2026-03-10T15:00"}); code < 400 {
		t.Errorf("squatter asks for an appointment in the enterprise's name: %d %v", code, out)
	}
	// By page: the home is the application, and the bundle does not exist.
	b := e.browser()
	b.login("squatter", "a-long-password")
	if r := b.do("GET", "/", nil); r.Status != 303 || r.Header.Get("Location") != "/account/application" {
		t.Errorf("squatter's home: %d %s", r.Status, r.Header.Get("Location"))
	}
	for _, path := range []string{fmt.Sprintf("/documents/%d", v.Document), fmt.Sprintf("/inspections/%d", v.Inspection), fmt.Sprintf("/complaints/%d", v.Complaint), "/documents", "/inspections"} {
		r := b.do("GET", path, nil)
		if r.Status == 200 && (strings.Contains(r.Body, "机密") || strings.Contains(r.Body, "决定：警告")) {
			t.Errorf("squatter's page %s shows the enterprise's records", path)
		}
	}
	// The real enterprise keeps everything.
	if code, _ := e.api("GET", fmt.Sprintf("/api/v1/documents/%d", v.Document), e.token("ent-a"), nil); code != 200 {
		t.Fatalf("ent-a's own bundle: %d", code)
	}
}

// Finding 7: what registration answers does not tell who exists. A taken username, a taken
// credit code and a fresh one get byte-identical answers; bad input is refused naming the field
// whatever exists.
func TestAttackRegistrationDoesNotEnumerate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	answers := map[string]string{}
	for name, r := range map[string]map[string]string{
		"fresh":      validRegistration(22),
		"taken code": squatterRegistration("probe-code"),
		"taken user": func() map[string]string { r := validRegistration(23); r["username"] = "ent-a"; return r }(),
		"both taken": func() map[string]string { r := squatterRegistration("ent-b"); return r }(),
	} {
		code, out := e.api("POST", "/api/v1/auth/register", "", r)
		answers[name] = fmt.Sprint(code, out)
	}
	for name, a := range answers {
		if a != answers["fresh"] {
			t.Errorf("%s answered %s, a fresh registration %s", name, a, answers["fresh"])
		}
	}
	// By page too: every case redirects to the same place.
	for _, r := range []map[string]string{validRegistration(24), squatterRegistration("probe-page")} {
		b := e.browser()
		form := map[string][]string{}
		for k, v := range r {
			form[k] = []string{v}
		}
		res := b.post("/register", "/register", form)
		if res.Status != 303 || res.Header.Get("Location") != "/login?applied=1" {
			t.Errorf("page registration: %d %s", res.Status, res.Header.Get("Location"))
		}
	}
}
