package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"qijian/portal"
)

// registerAt registers an inspection of ent-a (enterprise 1) through the API as token, scheduled
// the given working days ahead with its notice delivered now, and answers status and body.
func registerAt(t *testing.T, e *env, token, ext, kind string, bodies []int, days int) (int, map[string]any) {
	t.Helper()
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), days)
	body := map[string]any{"kind": kind, "enterprise_id": 1, "body_ids": bodies, "item_ids": []int{1}, "inspector_ids": []int{1, 2},
		"scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339), "place": "鹿城区工业园"}
	if ext != "" {
		body["external_id"] = ext
	}
	return e.api("POST", "/api/v1/inspections", token, body)
}

// The source platform's id is one body's own: another body that uses it first, or after, gets
// an inspection of its own and never the other's id, code or enterprise; the same body sending
// its id again gets its first inspection back (idempotent per body).
func TestAttackExternalIDOfAnotherBody(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	scj, sthj := e.token("officer-scj"), e.token("officer-sthj")

	// Body 2 claims body 1's next id in advance; body 1's real push still makes its own.
	code, squat := registerAt(t, e, sthj, "SCJ-2026-0001", "triggered", []int{2}, 5)
	if code != 201 {
		t.Fatalf("squat: %d %v", code, squat)
	}
	code, real := registerAt(t, e, scj, "SCJ-2026-0001", "triggered", []int{1}, 6)
	if code != 201 || real["id"] == squat["id"] || real["code"] == squat["code"] {
		t.Fatalf("body 1's push answered %d with %v; the squatter's is %v", code, real, squat)
	}
	if code, got := e.api("GET", "/api/v1/inspections/"+idPath(real["id"]), scj, nil); code != 200 || fmt.Sprint(got["bodies"]) == fmt.Sprint(squatBodies(t, e, sthj, squat)) {
		t.Fatalf("body 1's inspection: %d %v", code, got)
	}

	// Body 2 re-sends an id body 1 already used: it is not handed body 1's inspection and code.
	code, first := registerAt(t, e, scj, "SCJ-2026-0002", "triggered", []int{1}, 7)
	if code != 201 {
		t.Fatalf("body 1: %d %v", code, first)
	}
	code, probe := registerAt(t, e, sthj, "SCJ-2026-0002", "triggered", []int{2}, 8)
	if code == 200 || probe["id"] == first["id"] || probe["code"] == first["code"] {
		t.Fatalf("body 2 sending body 1's id got %d %v (body 1's: %v)", code, probe, first)
	}
	if code, got := e.api("GET", "/api/v1/inspections/"+idPath(first["id"]), sthj, nil); code != 404 {
		t.Fatalf("body 2 reads body 1's inspection: %d %v", code, got)
	}

	// The same body again: its own first inspection, nothing new.
	code, again := registerAt(t, e, scj, "SCJ-2026-0001", "triggered", []int{1}, 6)
	if code != 200 || again["id"] != real["id"] || again["code"] != real["code"] {
		t.Fatalf("body 1's repeat: %d %v, want 200 with %v", code, again, real)
	}
}

// A joint inspection names its coordinator, the registering body; any other body it names takes
// part only once an officer of that body confirms. Until then the other body's caps do not count
// it, it is no participant on the public verify page, its officers cannot open it, and the
// coordinator or a third body cannot answer for it.
func TestAttackJointInspectionAgainstAnotherBodysCap(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	scj, sthj := e.token("officer-scj"), e.token("officer-sthj")
	b1, err := e.st.Body(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}

	// Body 2 registers two joint inspections of ent-a naming body 1 (which agreed to nothing).
	var joint []map[string]any
	for i, d := range []int{5, 10} {
		code, out := registerAt(t, e, sthj, fmt.Sprintf("STHJ-J-%d", i), "joint", []int{1, 2}, d)
		if code != 201 {
			t.Fatalf("joint %d: %d %v", i, code, out)
		}
		joint = append(joint, out)
	}
	// Body 1's own planned inspection later in the year is its first with ent-a (credit grade
	// A: a cap of one a year, FREQ-2): no frequency clue.
	code, own := registerAt(t, e, scj, "SCJ-P-1", "planned", []int{1}, 15)
	if code != 201 {
		t.Fatalf("own: %d %v", code, own)
	}
	freq := func(id any) bool {
		t.Helper()
		cs, err := e.st.Clues(t.Context(), uint64(id.(float64)))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if (c.Rule == "FREQ-1" || c.Rule == "FREQ-2") && c.WithdrawnAt == nil {
				return true
			}
		}
		return false
	}
	if freq(own["id"]) {
		t.Fatal("body 2's joint inspections naming body 1 counted against body 1's cap")
	}
	for i, j := range joint {
		if fmt.Sprint(j["pending_body_ids"]) != "[1]" {
			t.Fatalf("joint %d: body 1 not answered as pending: %v", i, j)
		}
	}
	// Not a participant on the public page, not visible to body 1's officers, while pending.
	br := e.browser()
	if r := br.do("GET", "/v/"+joint[0]["code"].(string), nil); r.Status != 200 || strings.Contains(r.Body, b1.NameZh) {
		t.Fatalf("verify page names body 1 before it confirmed (%d)", r.Status)
	}
	if code, got := e.api("GET", "/api/v1/inspections/"+idPath(joint[0]["id"]), scj, nil); code != 404 {
		t.Fatalf("body 1 opens a pending joint inspection: %d %v", code, got)
	}
	// Body 1's officer is told its answer is awaited, once per inspection.
	u, err := e.st.UserByUsername(t.Context(), "officer-scj")
	if err != nil {
		t.Fatal(err)
	}
	ns, err := e.st.Notifications(t.Context(), u.ID, 20)
	asked := 0
	for _, n := range ns {
		if n.Kind == "inspection.joint" {
			asked++
		}
	}
	if err != nil || asked != 2 {
		t.Fatalf("body 1's officer was asked %d times (%v), want 2", asked, err)
	}
	// The coordinator sees who has yet to confirm.
	if code, got := e.api("GET", "/api/v1/inspections/"+idPath(joint[0]["id"]), sthj, nil); code != 200 || fmt.Sprint(got["pending_bodies"]) != "["+b1.NameZh+"]" {
		t.Fatalf("the coordinator's view: %d %v", code, got)
	}
	sb := e.browser()
	sb.login("officer-sthj", demoPassword)
	if r := sb.do("GET", "/inspections/"+idPath(joint[0]["id"]), nil); r.Status != 200 || !strings.Contains(r.Body, `data-testid="pending-bodies"`) {
		t.Fatalf("the coordinator's page does not list the pending body (%d)", r.Status)
	}
	// Body 1's officers see both requests; the coordinator and a third party cannot answer them.
	code, reqs := e.api("GET", "/api/v1/joint-inspections", scj, nil)
	if items, _ := reqs["items"].([]any); code != 200 || len(items) != 2 {
		t.Fatalf("body 1's joint requests: %d %v", code, reqs)
	}
	if code, reqs := e.api("GET", "/api/v1/joint-inspections", sthj, nil); code != 200 || len(reqs["items"].([]any)) != 0 {
		t.Fatalf("the coordinator's own requests: %d %v", code, reqs)
	}
	for _, who := range []string{"officer-sthj", "admin", "ent-a", "liaison-city"} {
		if code, out := e.api("POST", "/api/v1/joint-inspections/"+idPath(joint[0]["id"])+"/answer", e.token(who), map[string]any{"answer": "confirm"}); code != 404 && code != 403 {
			t.Fatalf("%s answered for body 1: %d %v", who, code, out)
		}
	}

	// Body 1 confirms the first by API: now a participant, and counted: body 1's own planned
	// inspection becomes its second of the year with ent-a, over the cap.
	if code, out := e.api("POST", "/api/v1/joint-inspections/"+idPath(joint[0]["id"])+"/answer", scj, map[string]any{"answer": "confirm"}); code != 200 || out["state"] != "confirmed" {
		t.Fatalf("confirm: %d %v", code, out)
	}
	if r := br.do("GET", "/v/"+joint[0]["code"].(string), nil); !strings.Contains(r.Body, b1.NameZh) {
		t.Fatal("verify page does not name body 1 after it confirmed")
	}
	if code, got := e.api("GET", "/api/v1/inspections/"+idPath(joint[0]["id"]), scj, nil); code != 200 {
		t.Fatalf("body 1 cannot open the joint inspection it confirmed: %d %v", code, got)
	}
	if !freq(own["id"]) {
		t.Fatal("a confirmed joint inspection does not count toward body 1's cap")
	}
	if code, out := e.api("POST", "/api/v1/joint-inspections/"+idPath(joint[0]["id"])+"/answer", scj, map[string]any{"answer": "decline"}); code != 404 {
		t.Fatalf("a confirmed part answered again: %d %v", code, out)
	}

	// The second on the officer's page: listed on the home page with its buttons, confirmed by form.
	ob := e.browser()
	ob.login("officer-scj", demoPassword)
	home := ob.do("GET", "/", nil)
	if !strings.Contains(home.Body, `data-testid="joint-`+idPath(joint[1]["id"])+`"`) || strings.Contains(home.Body, `data-testid="joint-`+idPath(joint[0]["id"])+`"`) {
		t.Fatalf("officer home: want only the second pending request listed")
	}
	if r := ob.post("/inspections/"+idPath(joint[1]["id"])+"/joint", "/inspections", url.Values{"answer": {"confirm"}}); r.Status != 303 {
		t.Fatalf("confirm by page: %d %s", r.Status, r.Body)
	}
	if r := br.do("GET", "/v/"+joint[1]["code"].(string), nil); !strings.Contains(r.Body, b1.NameZh) {
		t.Fatal("verify page does not name body 1 after it confirmed by the page")
	}
	if r := ob.do("GET", "/inspections?joint=confirmed", nil); r.Status != 200 || strings.Contains(r.Body, `data-testid="joint-requests"`) {
		t.Fatalf("inspections page after answering: %d", r.Status)
	}
}

// A declined part never counts and leaves the coordinator's inspection as it was.
func TestAttackJointInspectionDeclined(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	scj, sthj := e.token("officer-scj"), e.token("officer-sthj")
	code, j := registerAt(t, e, sthj, "STHJ-D", "joint", []int{2, 1}, 5)
	if code != 201 {
		t.Fatalf("joint: %d %v", code, j)
	}
	if code, out := e.api("POST", "/api/v1/joint-inspections/"+idPath(j["id"])+"/answer", scj, map[string]any{"answer": "decline"}); code != 200 || out["state"] != "declined" {
		t.Fatalf("decline: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/joint-inspections/"+idPath(j["id"])+"/answer", scj, map[string]any{"answer": "confirm"}); code != 404 {
		t.Fatalf("confirm after declining: %d %v", code, out)
	}
	if code, got := e.api("GET", "/api/v1/inspections/"+idPath(j["id"]), scj, nil); code != 404 {
		t.Fatalf("body 1 opens a joint inspection it declined: %d %v", code, got)
	}
	if code, got := e.api("GET", "/api/v1/inspections/"+idPath(j["id"]), sthj, nil); code != 200 || len(got["bodies"].([]any)) != 1 {
		t.Fatalf("the coordinator's inspection: %d %v", code, got)
	}
}

// squatBodies reads the bodies of an inspection as its registrant sees them.
func squatBodies(t *testing.T, e *env, token string, in map[string]any) any {
	t.Helper()
	code, got := e.api("GET", "/api/v1/inspections/"+idPath(in["id"]), token, nil)
	if code != 200 {
		t.Fatalf("read back: %d %v", code, got)
	}
	return got["bodies"]
}

// Signed-in work that had no budget has one per account and kind: reveals (an anonymous
// reporter's name, the outbox's personal data), inspection registrations (four times the
// ordinary budget: the provincial platform pushes in runs), document bundles and alerts. Every
// request counts, refused ones too, so probing ids spends the budget; one kind spent leaves the
// others, and another account, untouched.
func TestAttackBudgetsForRevealsInspectionsDocumentsAlerts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.SubmitPerMinute = 2 })
	li, li2, off, adm := e.token("liaison-city"), e.token("liaison-lc"), e.token("officer-scj"), e.token("admin")
	spend := func(what, path, tok string, body any, n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			if code, out := e.api("POST", path, tok, body); code == 429 {
				t.Fatalf("%s %d of %d: 429 before the budget is spent (%v)", what, i+1, n, out)
			}
		}
		if code, out := e.api("POST", path, tok, body); code != 429 {
			t.Fatalf("%s beyond the budget: %d %v, want 429", what, code, out)
		}
	}
	spend("reveal", "/api/v1/complaints/999999/reveal", li, map[string]any{"reason": "核查"}, 2)
	if code, _ := e.api("POST", "/api/v1/complaints/999999/reveal", li2, map[string]any{"reason": "核查"}); code == 429 {
		t.Fatal("another liaison's reveal shares the first one's budget")
	}
	spend("alert", "/api/v1/alerts", off, map[string]any{}, 2)
	spend("documents", "/api/v1/documents", off, map[string]any{}, 2)
	spend("inspection", "/api/v1/inspections", off, map[string]any{}, 8)
	if code, _ := e.api("POST", "/api/v1/alerts", adm, map[string]any{}); code == 429 {
		t.Fatal("the admin's alert shares the officer's budget")
	}
	if code, _ := e.api("POST", "/api/v1/joint-inspections/999999/answer", off, map[string]any{"answer": "confirm"}); code == 429 {
		t.Fatal("a joint answer shares the spent budgets of other kinds")
	}
	// The page twin shares the kind's budget.
	b := e.browser()
	b.login("liaison-city", demoPassword)
	if r := b.post("/complaints/999999/reveal", "/", url.Values{"reason": {"核查"}}); r.Status != 429 {
		t.Fatalf("page reveal after the API spent the budget: %d", r.Status)
	}
}
