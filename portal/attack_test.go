package portal_test

// The attack suite: what a hostile but logged-in user (or a forged page, or a careless proxy)
// tries against the portal. Each test fails when the protection it names breaks.

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// routeParams lists a route pattern's parameters (":id", ":eid", …) without their constraints.
func routeParams(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		for _, part := range strings.Split(seg, ".") {
			if strings.HasPrefix(part, ":") {
				name := strings.TrimPrefix(part, ":")
				if i := strings.IndexAny(name, "<?"); i >= 0 {
					name = name[:i]
				}
				out = append(out, name)
			}
		}
	}
	return out
}

// notObjectIDs are parameters that do not name someone's object: a language, a file extension,
// a document's part (its :id is checked), the public behaviour code (CODE-1: anyone may verify
// an inspection by its code, tested in verify_test), the calendar feed's secret (its :uid is).
var notObjectIDs = []string{"lang", "ext", "part", "code", "token"}

type tableRoute struct{ Method, Path string }

// tableRoutes walks the app's route table the same way TestEveryRouteIsGuarded does.
func tableRoutes(e *env) []tableRoute {
	seen := map[string]bool{}
	var out []tableRoute
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "USE" || strings.HasPrefix(r.Path, "/static") || strings.HasSuffix(r.Path, "*") {
			continue
		}
		if key := r.Method + " " + r.Path; !seen[key] {
			seen[key] = true
			out = append(out, tableRoute{r.Method, r.Path})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Method+out[i].Path < out[j].Method+out[j].Path })
	return out
}

func objectIDs(path string) []string {
	var ids []string
	for _, p := range routeParams(path) {
		if !slices.Contains(notObjectIDs, p) {
			ids = append(ids, p)
		}
	}
	return ids
}

// victimPath fills a route's parameters with ent-a's (or body 1's, or provider-1's) objects. The
// object kind follows from the path, so a new route under a known object is checked without
// anyone touching this file; a route under an unknown object fails the suite until added here.
func victimPath(path string, v victims) (string, bool) {
	base := strings.TrimPrefix(path, "/api/v1")
	var id uint64
	switch {
	case strings.HasPrefix(base, "/complaints/:id"):
		id = v.Complaint
	case strings.HasPrefix(base, "/bookings/:id"):
		id = v.Booking
	case strings.HasPrefix(base, "/inspections/:id"):
		id = v.Inspection
	case strings.HasPrefix(base, "/appointments/:id"):
		id = v.Appointment
	case strings.HasPrefix(base, "/documents/:id"):
		id = v.Document
	case strings.HasPrefix(base, "/alerts/:id"):
		id = v.Alert
	case strings.HasPrefix(base, "/bodies/:id"), strings.HasPrefix(base, "/lists/:id"), strings.HasPrefix(base, "/admin/bodies/:id"):
		id = v.Body
	case strings.HasPrefix(base, "/services/:id"), strings.HasPrefix(base, "/provider/schedule/:id"), strings.HasPrefix(base, "/admin/services/:id"):
		id = v.Service
	case strings.HasPrefix(base, "/admin/users/:id"), strings.HasPrefix(base, "/ical/:uid"):
		id = v.EntAUser
	case strings.HasPrefix(base, "/admin/workflow/rules/:id"), strings.HasPrefix(base, "/admin/workflow/sla/:id"):
		id = 1
	default:
		return "", false
	}
	out := strings.NewReplacer(":id", fmt.Sprint(id), ":uid", fmt.Sprint(id), ":eid", fmt.Sprint(v.Evidence),
		":part", "decision.txt", ":token", "forged-feed-token").Replace(path)
	return out, !strings.Contains(out, ":")
}

// attackBodies is what an attacker sends to each state-changing object route: a request that
// would succeed for the owner, so the answer shows the access check and not a validation error.
// Every POST/PUT/DELETE route with an object id needs an entry (the suite says which is missing).
var attackBodies = map[string]map[string]any{
	"POST /api/v1/bodies/:id/inspectors":    {"name": "王五", "credential_no": "浙A33030099999", "valid_from": "2025-01-01", "valid_to": "2028-01-01", "staff": "on_post"},
	"POST /api/v1/bodies/:id/items":         {"name": "非法事项", "legal_basis": "无"},
	"POST /api/v1/bodies/:id/plans":         {"year": 2026, "title": "篡改的计划"},
	"POST /api/v1/bodies/:id/penalties":     {"category": "none", "title": "伪造条目", "basis": "无", "published_on": "2026-01-01"},
	"POST /lists/:id/penalties":             {"category": "none", "title": "伪造条目", "basis": "无", "published_on": "2026-01-01"},
	"POST /api/v1/inspections/:id/ack":      {},
	"POST /inspections/:id/ack":             {},
	"POST /api/v1/inspections/:id/status":   {"status": "cancelled"},
	"POST /api/v1/inspections/:id/rating":   {"score": 1, "comment": "伪造的评价"},
	"POST /inspections/:id/rate":            {"score": "1", "comment": "伪造的评价"},
	"POST /api/v1/complaints/:id/actions":   {"action": "message", "note": "伪造的留言"},
	"POST /complaints/:id/act":              {"action": "message", "note": "伪造的留言"},
	"POST /api/v1/complaints/:id/evidence":  {"file": nil}, // filled with a real photo
	"POST /complaints/:id/evidence":         {"file": nil},
	"POST /api/v1/complaints/:id/reveal":    {},
	"POST /complaints/:id/reveal":           {},
	"PUT /api/v1/services/:id":              {"code": "checkup", "kind": "checkup", "name_zh": "篡改", "name_en": "Tampered", "minutes": 60, "mode": "online", "provider_id": 7},
	"PUT /api/v1/services/:id/schedule":     {"rules": []map[string]any{{"weekday": 1, "start": "03:00", "capacity": 1}}},
	"POST /api/v1/services/:id/exceptions":  {"day": "2026-03-04", "closed": true},
	"POST /provider/schedule/:id":           {"times1": "03:00", "cap1": "1"},
	"POST /provider/schedule/:id/exception": {"day": "2026-03-04", "closed": "true"},
	"POST /api/v1/bookings/:id/reschedule":  {"slot_id": 2},
	"POST /bookings/:id/reschedule":         {"slot_id": "2"},
	"POST /api/v1/bookings/:id/cancel":      {},
	"POST /api/v1/bookings/:id/actions":     {"action": "confirm"},
	"POST /bookings/:id/act":                {"action": "cancel"},
	"POST /api/v1/bookings/:id/report":      {"findings": "伪造", "advice": "伪造"},
	"POST /bookings/:id/complete":           {"findings": "伪造", "advice": "伪造"},
	"POST /api/v1/appointments/:id/actions": {"action": "cancel"},
	"POST /appointments/:id/act":            {"action": "cancel"},
	"POST /admin/users/:id/disabled":        {"disabled": "1"},
	"POST /admin/bodies/:id":                {"name_zh": "篡改的执法主体", "qualified": "true"},
	"POST /admin/services/:id":              {"code": "checkup", "kind": "checkup", "name_zh": "篡改", "name_en": "Tampered", "minutes": "60", "mode": "online"},
	"POST /admin/workflow/rules/:id/delete": {},
	"POST /admin/workflow/sla/:id":          {"amount": "1", "unit": "hours"},
}

// Everyone: objects that are public by design. No owner, nothing to steal.
var everyone = []string{"*"}

// legitimate is the allow-list: for each route, who may reach ent-a's object (or body 1's, or
// provider-1's) as a matter of policy. Those requests are skipped; every other attacker in
// attackers must be refused with 403 or 404. A route not listed here is checked for everybody.
var legitimate = map[string][]string{
	// Published lists and the public catalogue (§2.8 三, LIST-1; §2.8 一).
	"GET /api/v1/bodies/:id/penalties": everyone,
	"GET /lists/:id":                   everyone,
	"GET /services/:id":                everyone,
	"GET /api/v1/services/:id/slots":   everyone,
	// A body's item list and inspectors are master data every logged-in role reads (LIST-1, SUBJ-2).
	"GET /api/v1/bodies/:id/inspectors": everyone,
	"GET /api/v1/bodies/:id/items":      everyone,
	// Any enterprise may book any active service; the form is not someone's object.
	"GET /services/:id/book": everyone,
	// Master data of body 1: its own officer and admins write it.
	"POST /api/v1/bodies/:id/inspectors": {"officer-scj", "admin"},
	"POST /api/v1/bodies/:id/items":      {"officer-scj", "admin"},
	"POST /api/v1/bodies/:id/plans":      {"officer-scj", "admin"},
	"POST /api/v1/bodies/:id/penalties":  {"officer-scj", "admin"},
	"POST /lists/:id/penalties":          {"officer-scj", "admin"},
	// An order of ent-a (鹿城区), dispatched to body 1: the filer's observation point (a member
	// with consent), the county's and the city's liaisons, the handling unit, admins.
	"GET /api/v1/complaints/:id":               orderReaders,
	"GET /complaints/:id":                      orderReaders,
	"POST /api/v1/complaints/:id/actions":      orderReaders,
	"POST /complaints/:id/act":                 orderReaders,
	"GET /api/v1/complaints/:id/evidence/:eid": orderReaders,
	"GET /complaints/:id/evidence/:eid":        orderReaders,
	// An inspection of ent-a by body 1: same circle (inspections.Visible).
	"GET /api/v1/inspections/:id":           inspectionReaders,
	"GET /inspections/:id":                  inspectionReaders,
	"POST /api/v1/inspections/:id/status":   {"officer-scj", "admin"},
	"POST /api/v1/inspections/:id/ack":      inspectionReaders,
	"POST /inspections/:id/ack":             inspectionReaders,
	"POST /api/v1/inspections/:id/rating":   inspectionReaders,
	"POST /inspections/:id/rate":            inspectionReaders,
	"POST /api/v1/complaints/:id/reveal":    {"liaison-lc", "liaison-city", "admin"},
	"POST /complaints/:id/reveal":           {"liaison-lc", "liaison-city", "admin"},
	"GET /api/v1/bookings/:id":              bookingParties,
	"GET /bookings/:id":                     bookingParties,
	"GET /api/v1/bookings/:id/calendar.ics": bookingParties,
	"GET /bookings/:id/calendar.ics":        bookingParties,
	"GET /api/v1/bookings/:id/report":       bookingParties,
	"POST /api/v1/bookings/:id/actions":     bookingParties,
	"POST /bookings/:id/act":                bookingParties,
	"POST /api/v1/bookings/:id/report":      bookingParties,
	"POST /bookings/:id/complete":           bookingParties,
	"POST /api/v1/bookings/:id/cancel":      bookingParties,
	"POST /api/v1/bookings/:id/reschedule":  bookingParties,
	"POST /bookings/:id/reschedule":         bookingParties,
	// provider-1's service: its provider and admins manage its schedule.
	"PUT /api/v1/services/:id/schedule":     {"provider-1", "admin"},
	"POST /api/v1/services/:id/exceptions":  {"provider-1", "admin"},
	"POST /provider/schedule/:id":           {"provider-1"},
	"POST /provider/schedule/:id/exception": {"provider-1"},
	// ent-a's request to meet body 1's head (§2.9 一): the two sides, and admins who oversee it.
	// An admin stands on neither side, so its moves are refused by the meeting rules (409) and
	// change nothing; TestAttackAdminCannotActOnAppointments holds that.
	"GET /api/v1/appointments/:id":          {"officer-scj", "admin"},
	"GET /appointments/:id":                 {"officer-scj", "admin"},
	"POST /api/v1/appointments/:id/actions": {"officer-scj", "admin"},
	"POST /appointments/:id/act":            {"officer-scj", "admin"},
	// Documents body 1 sent ent-a (三书同达): the sending body and admins.
	"GET /api/v1/documents/:id": {"officer-scj", "admin"},
	"GET /documents/:id":        {"officer-scj", "admin"},
	"GET /documents/:id/:part":  {"officer-scj", "admin"},
	// A risk alert is readable by every officer and admin; enterprises only when targeted.
	"GET /alerts/:id": {"officer-scj", "officer-sthj", "admin"},
}

var (
	orderReaders      = []string{"obs-chamber", "liaison-lc", "liaison-city", "officer-scj", "admin"}
	inspectionReaders = []string{"obs-chamber", "liaison-lc", "liaison-city", "officer-scj", "admin"}
	// Check-up results are not part of any enforcement procedure (§2.8 一): only the provider.
	bookingParties = []string{"provider-1"}
)

// adminRoute: the admin pages are admin-only; an admin reaching an object there is its job.
func legitFor(key string) []string {
	if strings.Contains(key, " /admin/") || key == "PUT /api/v1/services/:id" {
		return []string{"admin"}
	}
	return legitimate[key]
}

func attackBody(t *testing.T, key string) (map[string]any, bool) {
	b, ok := attackBodies[key]
	if !ok {
		return nil, false
	}
	if _, isFile := b["file"]; isFile {
		return map[string]any{"file": jpegWithExif(t, "attacker")}, true
	}
	return b, true
}

// Someone else's object: for every route with an object id and every role, ent-a's object (or
// body 1's, provider-1's) is refused with 403 or 404 — never 2xx, never 500 — and a refused write
// changes nothing in the database. Generated from the route table.
func TestAttackSomeoneElsesObject(t *testing.T) {
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	sessions, tokens := map[string]*session{}, map[string]string{}
	for _, u := range attackers {
		sessions[u], tokens[u] = e.session(u), e.token(u)
	}
	routes := tableRoutes(e)
	keys := map[string]bool{}
	checked, skipped := 0, 0
	for _, r := range routes {
		key := r.Method + " " + r.Path
		keys[key] = true
		if len(objectIDs(r.Path)) == 0 {
			continue
		}
		path, ok := victimPath(r.Path, v)
		if !ok {
			t.Errorf("%s: no victim object for its id; add the kind to victimPath", key)
			continue
		}
		write := r.Method != "GET"
		var body map[string]any
		if write {
			if body, ok = attackBody(t, key); !ok {
				t.Errorf("%s: add an owner-valid request to attackBodies", key)
				continue
			}
		}
		allowed := legitFor(key)
		api := strings.HasPrefix(path, "/api/")
		for _, u := range attackers {
			if slices.Contains(allowed, u) || slices.Contains(allowed, "*") {
				skipped++
				continue
			}
			checked++
			before := ""
			if write {
				before = fingerprint(t, e)
			}
			var res resp
			if api {
				res = e.send(r.Method, path, nil, tokens[u], body)
			} else {
				res = e.send(r.Method, path, sessions[u], "", body)
			}
			if res.Status != 403 && res.Status != 404 {
				t.Errorf("%s as %s (%s): %d, want 403 or 404", key, u, path, res.Status)
			}
			if write && fingerprint(t, e) != before {
				t.Errorf("%s as %s: the refused request changed the database", key, u)
			}
		}
	}
	// The ids point at real objects: their owner reads each of them.
	owner := sessions["ent-a"]
	if owner == nil {
		owner = e.session("ent-a")
	}
	for _, p := range []string{"/complaints/%d", "/bookings/%d", "/inspections/%d", "/appointments/%d", "/documents/%d", "/alerts/%d"} {
		ids := map[string]uint64{"/complaints/%d": v.Complaint, "/bookings/%d": v.Booking, "/inspections/%d": v.Inspection, "/appointments/%d": v.Appointment, "/documents/%d": v.Document, "/alerts/%d": v.Alert}
		if r := e.send("GET", fmt.Sprintf(p, ids[p]), owner, "", nil); r.Status != 200 {
			t.Errorf("owner ent-a reads %s: %d, want 200", fmt.Sprintf(p, ids[p]), r.Status)
		}
	}
	for k := range legitimate {
		if !keys[k] {
			t.Errorf("allow-list entry %q is not a route (stale)", k)
		}
	}
	t.Logf("object routes x roles: %d checked, %d allowed by policy", checked, skipped)
	if checked < 300 {
		t.Fatalf("only %d route x role checks ran; the route walk is broken", checked)
	}
}

// An admin oversees appointments but speaks for neither side: every move is refused, nothing changes.
func TestAttackAdminCannotActOnAppointments(t *testing.T) {
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	adm, tok := e.session("admin"), e.token("admin")
	for _, action := range []string{"accept", "propose", "decline", "cancel", "record", "rate"} {
		body := map[string]any{"action": action, "meet_at": "2026-03-10T15:00", "note": "x", "score": 5}
		before := fingerprint(t, e)
		api := e.send("POST", fmt.Sprintf("/api/v1/appointments/%d/actions", v.Appointment), nil, tok, body)
		page := e.send("POST", fmt.Sprintf("/appointments/%d/act", v.Appointment), adm, "", body)
		if api.Status/100 == 2 || page.Status/100 == 2 || page.Status/100 == 3 || api.Status >= 500 || page.Status >= 500 {
			t.Errorf("admin %s: API %d, page %d", action, api.Status, page.Status)
		}
		if fingerprint(t, e) != before {
			t.Errorf("admin %s changed the appointment", action)
		}
	}
}

var _ = regexp.MustCompile
var _ = url.Values{}
