package portal_test

// The attack suite: what a hostile but logged-in user (or a forged page, or a careless proxy)
// tries against the portal. Each test fails when the protection it names breaks.

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qijian/internal/demo"
	"qijian/portal"
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
	case strings.HasPrefix(base, "/inspections/:id"), strings.HasPrefix(base, "/manage/inspections/:id"), strings.HasPrefix(base, "/joint-inspections/:id"):
		id = v.Inspection
	case strings.HasPrefix(base, "/records/:id"):
		id = v.Record
	case strings.HasPrefix(base, "/appointments/:id"):
		id = v.Appointment
	case strings.HasPrefix(base, "/documents/:id"):
		id = v.Document
	case strings.HasPrefix(base, "/alerts/:id"):
		id = v.Alert
	case strings.HasPrefix(base, "/inbox/:id"):
		id = v.Message
	case strings.HasPrefix(base, "/bodies/:id"), strings.HasPrefix(base, "/lists/:id"), strings.HasPrefix(base, "/admin/bodies/:id"), strings.HasPrefix(base, "/manage/bodies/:id"):
		id = v.Body
	case strings.HasPrefix(base, "/services/:id"), strings.HasPrefix(base, "/provider/schedule/:id"), strings.HasPrefix(base, "/admin/services/:id"):
		id = v.Service
	case strings.HasPrefix(base, "/admin/users/:id"), strings.HasPrefix(base, "/ical/:uid"):
		id = v.EntAUser
	case strings.HasPrefix(base, "/clues/:id"):
		id = v.Clue
	case strings.HasPrefix(base, "/admin/workflow/rules/:id"), strings.HasPrefix(base, "/admin/workflow/sla/:id"), strings.HasPrefix(base, "/admin/tasks/:id"), strings.HasPrefix(base, "/time-limits/:id"):
		id = 1
	case base == "/lang/:lang":
	case strings.HasPrefix(base, "/claims/:id"), strings.HasPrefix(base, "/review/claims/:id"):
		id = v.Claim
	case strings.HasPrefix(base, "/enterprises/:id"), strings.HasPrefix(base, "/manage/enterprises/:id"):
		id = v.Enterprise
	case strings.HasPrefix(base, "/reply-templates/:id"), strings.HasPrefix(base, "/admin/reply-templates/:id"):
		id = v.Template
	case strings.HasPrefix(base, "/supervision/:id"):
		id = v.SupervisionItem
	default:
		return "", false
	}
	out := strings.NewReplacer(":id", fmt.Sprint(id), ":uid", fmt.Sprint(id), ":eid", fmt.Sprint(v.Evidence), ":fid", fmt.Sprint(v.ReplyFile),
		":docid", fmt.Sprint(v.OrderDoc), ":part", "decision.txt", ":lang", "en", ":token", "forged-feed-token").Replace(path)
	return out, !strings.Contains(out, ":")
}

// attackBodies is what an attacker sends to each state-changing object route: a request that
// would succeed for the owner, so the answer shows the access check and not a validation error.
// Every POST/PUT/DELETE route with an object id needs an entry (the suite says which is missing).
var attackBodies = map[string]map[string]any{
	"POST /api/v1/bodies/:id/inspectors":  {"name": "王五", "credential_no": "浙A33030099999", "valid_from": "2025-01-01", "valid_to": "2028-01-01", "staff": "on_post"},
	"POST /api/v1/bodies/:id/items":       {"name": "非法事项", "legal_basis": "无"},
	"POST /api/v1/bodies/:id/plans":       {"year": 2026, "title": "篡改的计划"},
	"POST /api/v1/bodies/:id/penalties":   {"category": "none", "title": "伪造条目", "basis": "无", "published_on": "2026-01-01"},
	"POST /lists/:id/penalties":           {"category": "none", "title": "伪造条目", "basis": "无", "published_on": "2026-01-01"},
	"POST /api/v1/inspections/:id/ack":    {},
	"POST /inspections/:id/ack":           {},
	"POST /api/v1/inspections/:id/status": {"status": "cancelled"},
	"POST /api/v1/inspections/:id/rating": {"score": 1, "comment": "伪造的评价"},
	"POST /inspections/:id/rate":          {"score": "1", "comment": "伪造的评价"},
	// Answering a joint inspection's part: body 1's inspection names no other body, so no one
	// may answer for a part (the coordinator and admins neither).
	"POST /api/v1/joint-inspections/:id/answer":  {"answer": "confirm"},
	"POST /inspections/:id/joint":                {"answer": "confirm"},
	"POST /api/v1/complaints/:id/actions":        {"action": "message", "note": "伪造的留言"},
	"POST /complaints/:id/act":                   {"action": "message", "note": "伪造的留言"},
	"POST /api/v1/complaints/:id/evidence":       {"file": nil}, // filled with a real photo
	"POST /complaints/:id/evidence":              {"file": nil},
	"POST /api/v1/complaints/:id/reply-files":    {"file": nil},
	"POST /complaints/:id/reply-files":           {"file": nil},
	"PUT /api/v1/reply-templates/:id":            {"type": "conduct", "title_zh": "篡改", "title_en": "Tampered", "body_zh": "篡改", "body_en": "Tampered"},
	"POST /api/v1/reply-templates/:id/retire":    {},
	"POST /admin/reply-templates/:id":            {"type": "conduct", "title_zh": "篡改", "title_en": "Tampered", "body_zh": "篡改", "body_en": "Tampered"},
	"POST /admin/reply-templates/:id/retire":     {},
	"POST /api/v1/complaints/:id/reveal":         {"reason": "核实"},
	"POST /complaints/:id/reveal":                {"reason": "核实"},
	"POST /api/v1/supervision/:id/handle":        {"note": "伪造的处理情况"},
	"POST /supervision/:id/handle":               {"note": "伪造的处理情况"},
	"PUT /api/v1/services/:id":                   {"code": "checkup", "kind": "checkup", "name_zh": "篡改", "name_en": "Tampered", "minutes": 60, "mode": "online", "provider_id": 7},
	"PUT /api/v1/services/:id/schedule":          {"rules": []map[string]any{{"weekday": 1, "start": "03:00", "capacity": 1}}},
	"POST /api/v1/services/:id/exceptions":       {"day": "2026-03-04", "closed": true},
	"POST /provider/schedule/:id":                {"times1": "03:00", "cap1": "1"},
	"POST /provider/schedule/:id/exception":      {"day": "2026-03-04", "closed": "true"},
	"POST /api/v1/bookings/:id/reschedule":       {"slot_id": 2},
	"POST /bookings/:id/reschedule":              {"slot_id": "2"},
	"POST /api/v1/bookings/:id/cancel":           {},
	"POST /api/v1/bookings/:id/actions":          {"action": "confirm"},
	"POST /bookings/:id/act":                     {"action": "cancel", "confirm": "yes"},
	"POST /api/v1/bookings/:id/report":           {"findings": "伪造", "advice": "伪造"},
	"POST /bookings/:id/complete":                {"findings": "伪造", "advice": "伪造"},
	"POST /api/v1/appointments/:id/actions":      {"action": "cancel"},
	"POST /appointments/:id/act":                 {"action": "cancel"},
	"POST /admin/users/:id/disabled":             {"disabled": "1"},
	"POST /manage/inspections/:id/status":        {"status": "cancelled"},
	"POST /manage/bodies/:id/inspector":          {"name": "王五", "credential_no": "浙A33030099999", "valid_from": "2025-01-01", "valid_to": "2028-01-01", "staff": "on_post", "active": "true"},
	"POST /manage/bodies/:id/item":               {"name": "非法事项", "legal_basis": "无"},
	"POST /manage/bodies/:id/plan":               {"year": "2026", "title": "篡改的计划"},
	"POST /manage/inspections/:id/records":       {"kind": "notice", "number": "伪造〔2026〕1号", "issued_on": "2026-03-02", "summary": "伪造的文书"},
	"POST /admin/bodies/:id":                     {"name_zh": "篡改的执法主体", "qualified": "true"},
	"POST /admin/services/:id":                   {"code": "checkup", "kind": "checkup", "name_zh": "篡改", "name_en": "Tampered", "minutes": "60", "mode": "online"},
	"POST /admin/workflow/rules/:id/delete":      {},
	"POST /admin/tasks/:id/retry":                {},
	"POST /admin/workflow/sla/:id":               {"amount": "1", "unit": "hours"},
	"POST /admin/workflow/sla/:id/delete":        {},
	"PUT /api/v1/time-limits/:id":                {"amount": 1, "unit": "hours"},
	"DELETE /api/v1/time-limits/:id":             {},
	"POST /api/v1/clues/:id/review":              {"action": "dismiss", "reason": "伪造的排除"},
	"POST /clues/:id/review":                     {"action": "dismiss", "reason": "伪造的排除"},
	"POST /api/v1/enterprises/:id/grades":        {"kind": "credit", "grade": "D", "valid_from": "2026-03-01"},
	"POST /manage/enterprises/:id/grades":        {"kind": "credit", "grade": "D", "valid_from": "2026-03-01"},
	"POST /manage/enterprises/:id/grades/import": {"csv": ""},
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
	"GET /manage/bodies/:id/inspector":   {"officer-scj", "admin"},
	"POST /manage/bodies/:id/inspector":  {"officer-scj", "admin"},
	"GET /manage/bodies/:id/item":        {"officer-scj", "admin"},
	"POST /manage/bodies/:id/item":       {"officer-scj", "admin"},
	"GET /manage/bodies/:id/plan":        {"officer-scj", "admin"},
	"POST /manage/bodies/:id/plan":       {"officer-scj", "admin"},
	// An order of ent-a (鹿城区), dispatched to body 1: the filer's observation point (a member
	// with consent), the county's and the city's liaisons, the handling unit, admins.
	"GET /api/v1/complaints/:id":               orderReaders,
	"GET /complaints/:id":                      orderReaders,
	"POST /api/v1/complaints/:id/actions":      orderReaders,
	"POST /complaints/:id/act":                 orderReaders,
	"GET /api/v1/complaints/:id/evidence/:eid": orderReaders,
	"GET /complaints/:id/evidence/:eid":        orderReaders,
	// A file waiting for the unit's reply: the order's handlers read it (account.ReadNotes); who
	// may reply now (the unit's officer, the liaisons) adds to it. Reply templates: admins.
	"GET /api/v1/complaints/:id/reply-files/:fid": orderHandlers,
	"GET /complaints/:id/reply-files/:fid":        orderHandlers,
	"POST /api/v1/complaints/:id/reply-files":     {"liaison-lc", "liaison-city", "officer-scj"},
	"POST /complaints/:id/reply-files":            {"liaison-lc", "liaison-city", "officer-scj"},
	"PUT /api/v1/reply-templates/:id":             {"admin"},
	"POST /api/v1/reply-templates/:id/retire":     {"admin"},
	// Its supervision documents: staff and the handling unit, not the observation point.
	"GET /api/v1/complaints/:id/documents/:docid": {"liaison-lc", "liaison-city", "officer-scj", "admin"},
	"GET /complaints/:id/documents/:docid":        {"liaison-lc", "liaison-city", "officer-scj", "admin"},
	// A concentrated-complaint item about body 1: the city level handles it.
	"POST /api/v1/supervision/:id/handle": {"liaison-city", "admin"},
	"POST /supervision/:id/handle":        {"liaison-city", "admin"},
	// An inspection of ent-a by body 1: same circle (inspections.Visible).
	"GET /api/v1/inspections/:id":         inspectionReaders,
	"GET /inspections/:id":                inspectionReaders,
	"POST /api/v1/inspections/:id/status": {"officer-scj", "admin"},
	"POST /api/v1/inspections/:id/ack":    inspectionReaders,
	"POST /inspections/:id/ack":           inspectionReaders,
	"POST /api/v1/inspections/:id/rating": inspectionReaders,
	"POST /inspections/:id/rate":          inspectionReaders,
	// Its case file (RECORD-1): the inspecting body adds to it; the enterprise, liaisons and
	// admins read it; observation points do not.
	"GET /manage/inspections/:id/records/new": {"officer-scj", "admin"},
	"POST /manage/inspections/:id/records":    {"officer-scj", "admin"},
	"POST /manage/inspections/:id/status":     {"officer-scj", "admin"},
	"GET /records/:id/file":                   {"liaison-lc", "liaison-city", "officer-scj", "admin"},
	"POST /api/v1/complaints/:id/reveal":      {"liaison-lc", "liaison-city", "admin"},
	"POST /complaints/:id/reveal":             {"liaison-lc", "liaison-city", "admin"},
	// A clue of ent-a's (鹿城区): reviewed by the county's liaisons, the city's, admins.
	"POST /api/v1/clues/:id/review":         {"liaison-lc", "liaison-city", "admin"},
	"POST /clues/:id/review":                {"liaison-lc", "liaison-city", "admin"},
	"GET /api/v1/bookings/:id":              bookingParties,
	"GET /bookings/:id":                     bookingParties,
	"GET /inbox/:id":                        {"ent-a"}, // one's own messages only
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
	// ent-a's grades (FREQ-2): whoever may see the enterprise reads them; officers and admins keep
	// them (the import names enterprises by credit code, the path only leads back).
	"GET /api/v1/enterprises/:id/grades":         {"obs-chamber", "liaison-lc", "liaison-city", "officer-scj", "officer-sthj", "admin"},
	"POST /api/v1/enterprises/:id/grades":        {"officer-scj", "officer-sthj", "admin"},
	"GET /manage/enterprises/:id/grades":         {"officer-scj", "officer-sthj", "admin"},
	"POST /manage/enterprises/:id/grades":        {"officer-scj", "officer-sthj", "admin"},
	"POST /manage/enterprises/:id/grades/import": {"officer-scj", "officer-sthj", "admin"},
	// A risk alert is readable by every officer and admin; enterprises only when targeted.
	"GET /alerts/:id": {"officer-scj", "officer-sthj", "admin"},
}

var (
	orderReaders      = []string{"obs-chamber", "liaison-lc", "liaison-city", "officer-scj", "admin"}
	orderHandlers     = []string{"liaison-lc", "liaison-city", "officer-scj", "admin"}
	inspectionReaders = []string{"obs-chamber", "liaison-lc", "liaison-city", "officer-scj", "admin"}
	// Check-up results are not part of any enforcement procedure (§2.8 一): only the provider.
	bookingParties = []string{"provider-1"}
)

// adminRoute: the admin pages are admin-only; an admin reaching an object there is its job.
func legitFor(key string) []string {
	if strings.Contains(key, " /admin/") || strings.Contains(key, " /api/v1/time-limits/") || key == "PUT /api/v1/services/:id" {
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
	t.Parallel()
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
		// One fingerprint around each route's refused attempts (not each attempt): reading every
		// table is the slow part, and a change still names the route.
		before := ""
		if write {
			before = fingerprint(t, e)
		}
		for _, u := range attackers {
			if slices.Contains(allowed, u) || slices.Contains(allowed, "*") {
				skipped++
				continue
			}
			checked++
			var res resp
			if api {
				res = e.send(r.Method, path, nil, tokens[u], body)
			} else {
				res = e.send(r.Method, path, sessions[u], "", body)
			}
			if res.Status != 403 && res.Status != 404 {
				t.Errorf("%s as %s (%s): %d, want 403 or 404", key, u, path, res.Status)
			}
		}
		if write && fingerprint(t, e) != before {
			t.Errorf("%s: a refused request changed the database", key)
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
	t.Parallel()
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

// csrfBodies are requests to cookie routes without an object id that would succeed with a token.
func csrfBodies(t *testing.T, e *env) map[string]map[string]any {
	sl := slotOf(t, e, "legal", time.Date(2026, 3, 6, 9, 0, 0, 0, wz))
	reg := map[string]any{}
	for k, v := range validRegistration(7) {
		reg[k] = v
	}
	return map[string]map[string]any{
		"POST /login":                  {"username": "ent-a", "password": demoPassword},
		"POST /register":               reg,
		"POST /complaints":             {"type": "conduct", "description": "检查期间要求停产停业"},
		"POST /complaints/assign":      {"ids": "1", "assignee_id": "1"},
		"POST /bookings":               {"slot_id": fmt.Sprint(sl.ID), "mode": "online"},
		"POST /appointments":           {"body_id": "1", "topic": "反映重复检查"},
		"POST /alerts":                 {"title": "伪造提示", "body": "伪造"},
		"POST /documents":              {"enterprise_uscc": demo.USCC("330302", 1), "decision": "a", "advice": "b", "credit_repair": "c"},
		"POST /settings/notifications": {"lang": "en"},
		"POST /admin/users":            {"username": "evil-admin", "password": "a-long-password", "role": "admin"},
		"POST /admin/bodies":           {"name_zh": "伪造的执法局"},
		"POST /admin/services":         {"code": "evil", "kind": "legal", "name_zh": "伪造", "name_en": "Fake", "minutes": "60", "mode": "online"},
		"POST /admin/calendar":         {"day": "2026-03-09", "name": "伪造假日"},
		"POST /admin/calendar/delete":  {"day": "2026-03-09"},
		"POST /admin/workflow/rules":   {"channel": "12348", "type": "appeal"},
	}
}

// CSRF: every POST/PUT/DELETE cookie route, as anyone from a visitor to an admin, is refused
// with 403 without the form's token, with a forged one, or with another session's — and nothing
// in the database changes. Generated from the route table.
func TestAttackCSRFOnEveryCookieWrite(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	bodies := csrfBodies(t, e)
	anon := e.browser()
	anon.do("GET", "/login", nil)
	users := []string{"ent-a", "officer-scj", "provider-1", "liaison-lc", "admin"}
	real := map[string]*session{"": {b: anon}}
	for _, u := range users {
		real[u] = e.session(u)
	}
	other := e.session("ent-b")
	n := 0
	for _, r := range tableRoutes(e) {
		if r.Method == "GET" || strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		key := r.Method + " " + r.Path
		path := r.Path
		if len(routeParams(path)) > 0 {
			var ok bool
			if path, ok = victimPath(path, v); !ok {
				t.Errorf("%s: no object to aim at; add it to victimPath", key)
				continue
			}
		}
		body, ok := attackBody(t, key)
		if !ok {
			body = bodies[key]
		}
		if body == nil {
			body = map[string]any{"note": "x"}
		}
		before := fingerprint(t, e) // around the route's attempts, as in TestAttackSomeoneElsesObject
		for _, u := range append([]string{""}, users...) {
			tokens := map[string]string{"none": "", "forged": "forged-token"}
			if u != "" {
				tokens["another session's"] = other.csrf
			}
			for what, tok := range tokens {
				n++
				s := &session{b: real[u].b, csrf: tok}
				res := e.send(r.Method, path, s, "", body)
				if res.Status != 403 {
					t.Errorf("%s as %q with %s token: %d, want 403", key, u, what, res.Status)
				}
				if sc := strings.Join(res.Header.Values("Set-Cookie"), "; "); strings.Contains(sc, "qj_session=") && !strings.Contains(sc, "qj_session=;") {
					t.Errorf("%s as %q with %s token set a session cookie", key, u, what)
				}
			}
		}
		if fingerprint(t, e) != before {
			t.Errorf("%s: a request without a valid token changed the database", key)
		}
	}
	// The sessions survived the refusals and the real token still works.
	if r := e.send("POST", "/logout", real["ent-a"], "", map[string]any{}); r.Status != 303 {
		t.Errorf("logout with the real token: %d", r.Status)
	}
	t.Logf("%d refused cookie writes", n)
	if n < 300 {
		t.Fatalf("only %d CSRF checks ran; the route walk is broken", n)
	}
}

// Session fixation: an id planted before login — made up, or the attacker's own live session —
// is never the one after login, and the planted one is not logged in as the victim afterwards.
func TestAttackSessionFixation(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	attacker := e.browser()
	attacker.login("ent-b", demoPassword)
	live := attacker.cookies["qj_session"]
	for name, planted := range map[string]string{"made-up id": "attacker-chosen-session-id-0123456789", "attacker's live session": live} {
		t.Run(name, func(t *testing.T) {
			victim := e.browser()
			victim.do("GET", "/login", nil)
			victim.cookies["qj_session"] = planted
			from := "/login"
			if planted == live {
				from = "/" // the planted session is logged in, so its form token is bound to it
			}
			r := victim.post("/login", from, url.Values{"username": {"ent-a"}, "password": {demoPassword}})
			if r.Status != 303 {
				t.Fatalf("login: %d", r.Status)
			}
			got := victim.cookies["qj_session"]
			if got == "" || got == planted {
				t.Fatalf("session id after login %q, planted %q: not rotated", got, planted)
			}
			sc := strings.Join(r.Header.Values("Set-Cookie"), "\n")
			for _, attr := range []string{"httponly", "samesite=lax", "path=/"} {
				if !strings.Contains(strings.ToLower(sc), attr) {
					t.Errorf("session cookie lacks %s: %s", attr, sc)
				}
			}
			if _, ok := victim.cookies["qj_anon"]; ok {
				t.Error("the pre-login cookie survived the login")
			}
			old := e.browser()
			old.cookies["qj_session"] = planted
			if r := old.do("GET", "/inbox", nil); r.Status != 302 {
				t.Fatalf("the planted id is logged in after the victim's login: %d", r.Status)
			}
			if r := victim.do("GET", "/", nil); !strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") || strings.Contains(r.Body, "瑞安市恒泰汽摩配件有限公司") {
				t.Fatal("the victim is not logged in as itself")
			}
		})
	}
}

// Brute force: failures count per account whichever door they come through (page or API); the
// 5th locks it, and the right password is refused while locked — no session, no token.
func TestAttackLoginBruteForceMeetsTheLockout(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	b := e.browser()
	for i := 0; i < 4; i++ {
		if i%2 == 0 {
			if code, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": fmt.Sprintf("guess-%d-password", i)}); code != 401 {
				t.Fatalf("API guess %d: %d, want 401", i+1, code)
			}
		} else if r := b.login("ent-b", fmt.Sprintf("guess-%d-password", i)); r.Status != 401 {
			t.Fatalf("page guess %d: %d, want 401", i+1, r.Status)
		}
	}
	if r := b.login("ent-b", "guess-5-password"); r.Status != 429 || !strings.Contains(r.Body, "临时锁定") {
		t.Fatalf("5th failure: %d, want 429 locked", r.Status)
	}
	if r := b.login("ent-b", demoPassword); r.Status != 429 || b.cookies["qj_session"] != "" {
		t.Fatalf("right password while locked, by page: %d (session %q), want 429 and no session", r.Status, b.cookies["qj_session"])
	}
	if code, out := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": demoPassword}); code != 429 || out["token"] != nil {
		t.Fatalf("right password while locked, by API: %d %v", code, out)
	}
	// The lock is the account's, not everyone's.
	if r := e.browser().login("ent-a", demoPassword); r.Status != 303 {
		t.Fatalf("another account while ent-b is locked: %d", r.Status)
	}
}

// The per-address limit is one budget across the login and registration doors, and a forged
// X-Forwarded-For does not buy a fresh one (no proxy is trusted by default).
func TestAttackLoginRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.LoginPerMinute = 4 })
	b := e.browser()
	tries := []func(ip string) int{
		func(ip string) int {
			c, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-a", "password": "guess-password"}, "X-Forwarded-For", ip)
			return c
		},
		func(ip string) int {
			tok := b.csrf("/login")
			return b.do("POST", "/login", url.Values{"username": {"ent-b"}, "password": {"guess-password"}, "_csrf": {tok}}, "X-Forwarded-For", ip).Status
		},
		func(ip string) int {
			c, _ := e.api("POST", "/api/v1/auth/register", "", map[string]string{"username": "x"}, "X-Forwarded-For", ip)
			return c
		},
		func(ip string) int {
			tok := b.csrf("/register")
			return b.do("POST", "/register", url.Values{"username": {"x"}, "_csrf": {tok}}, "X-Forwarded-For", ip).Status
		},
	}
	for i, try := range tries {
		if code := try(fmt.Sprintf("203.0.113.%d", i)); code == 429 {
			t.Fatalf("attempt %d refused early", i+1)
		}
	}
	for i, try := range tries {
		if code := try(fmt.Sprintf("198.51.100.%d", i)); code != 429 {
			t.Errorf("door %d after the budget is spent, from a new forwarded address: %d, want 429", i+1, code)
		}
	}
}

// Hostile bodies: too big, too deep, the wrong type, unknown fields, trailing data, a page that
// is not a photo. Each gets a 4xx naming the problem, quickly, and changes nothing.
func TestAttackHostileBodies(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	ent, s := e.token("ent-a"), e.session("ent-a")
	deep := strings.Repeat("[", 60000) // under the 64 KB a signed-in caller may send
	complaint := fmt.Sprintf("/complaints/%d", v.Complaint)
	valid := `{"type":"conduct","description":"检查期间要求停产停业"}`
	cases := []struct {
		name, method, path, ctype, body string
		page                            bool
		want                            []int
		code                            string // the API error code naming the problem
	}{
		{"60000 levels of [", "POST", "/api/v1/complaints", "application/json", deep, false, []int{400}, "bad_request"},
		{"60000 levels inside a field", "POST", "/api/v1/complaints", "application/json", `{"type":"conduct","description":` + deep, false, []int{400}, "bad_request"},
		{"60000 levels to a booking", "POST", "/api/v1/bookings", "application/json", deep, false, []int{400}, "bad_request"},
		{"60000 levels to a page form", "POST", "/complaints", "application/json", deep, true, []int{400, 415}, ""},
		{"text/plain to a JSON endpoint", "POST", "/api/v1/complaints", "text/plain", valid, false, []int{415}, "unsupported_media_type"},
		{"a form to a JSON endpoint", "POST", "/api/v1/complaints", "application/x-www-form-urlencoded", "type=conduct&description=abcdefgh", false, []int{415}, "unsupported_media_type"},
		{"no Content-Type", "POST", "/api/v1/complaints", "", valid, false, []int{415}, "unsupported_media_type"},
		{"XML to a JSON endpoint", "POST", "/api/v1/appointments", "application/xml", `<a><body_id>1</body_id><topic>x</topic></a>`, false, []int{415}, "unsupported_media_type"},
		{"an unknown field", "POST", "/api/v1/complaints", "application/json", `{"type":"conduct","description":"检查期间要求停产停业","status":"closed"}`, false, []int{400}, "bad_request"},
		{"an unknown field on an action", "POST", fmt.Sprintf("/api/v1/complaints/%d/actions", v.Complaint), "application/json", `{"action":"message","note":"x","actor_id":1}`, false, []int{400}, "bad_request"},
		{"two objects", "POST", "/api/v1/complaints", "application/json", valid + valid, false, []int{400}, "bad_request"},
		{"a string for a number", "POST", "/api/v1/bookings", "application/json", `{"slot_id":"1 OR 1=1","mode":"online"}`, false, []int{400}, "bad_request"},
		{"a negative id", "POST", "/api/v1/bookings", "application/json", `{"slot_id":-1,"mode":"online"}`, false, []int{400}, "bad_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := fingerprint(t, e)
			start := time.Now()
			var res resp
			hdr := []string{"Content-Type", tc.ctype}
			if tc.page {
				res = e.sendRaw(tc.method, tc.path, s, "", tc.body, append(hdr, "X-CSRF-Token", s.csrf)...)
			} else {
				res = e.sendRaw(tc.method, tc.path, nil, ent, tc.body, hdr...)
			}
			if !slices.Contains(tc.want, res.Status) {
				t.Errorf("%d, want one of %v: %.200s", res.Status, tc.want, res.Body)
			}
			if tc.code != "" && !strings.Contains(res.Body, `"code":"`+tc.code+`"`) {
				t.Errorf("the answer does not name the problem (%s): %.300s", tc.code, res.Body)
			}
			if tc.code == "unsupported_media_type" && !strings.Contains(res.Body, "application/json") {
				t.Errorf("the answer does not say what to send: %.300s", res.Body)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if fingerprint(t, e) != before {
				t.Error("the refused request changed the database")
			}
		})
	}
	// Beyond the body limit, over a real connection (the server refuses before any handler runs).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.App().Listener(ln)
	defer e.srv.App().Shutdown()
	for _, path := range []string{"/api/v1/complaints", "/complaints"} {
		before := fingerprint(t, e)
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		// Announce 15 MB, send the start: the server answers without waiting for the rest.
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n{\"type\":\"conduct\",\"description\":\"", path, ent, 15<<20)
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		res.Body.Close()
		conn.Close()
		if res.StatusCode != 413 {
			t.Errorf("%s with 15 MB of JSON: %d, want 413", path, res.StatusCode)
		}
		if fingerprint(t, e) != before {
			t.Errorf("%s: the refused body changed the database", path)
		}
	}
	// Uploads: a page of HTML named photo.png, by API and by page; one byte over 10 MB by page.
	before := fingerprint(t, e)
	html := []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
	if code, out := e.upload(fmt.Sprintf("/api/v1/complaints/%d/evidence", v.Complaint), ent, html); code != 415 || !strings.Contains(out, `"file"`) {
		t.Errorf("HTML named .png by API: %d %s", code, out)
	}
	if r := e.send("POST", complaint+"/evidence", s, "", map[string]any{"file": html}); r.Status != 415 {
		t.Errorf("HTML named .png by page: %d", r.Status)
	}
	if r := e.send("POST", complaint+"/evidence", s, "", map[string]any{"file": append([]byte("\xFF\xD8\xFF"), make([]byte, 10<<20)...)}); r.Status != 413 {
		t.Errorf("10 MB + 3 bytes by page: %d, want 413", r.Status)
	}
	if fingerprint(t, e) != before {
		t.Error("refused uploads changed the database")
	}
	// The portal still serves after all that.
	if code, _ := e.api("GET", "/api/v1/me", ent, nil); code != 200 {
		t.Fatalf("after the hostile bodies /me answers %d", code)
	}
}

// noRawPayload fails when a page carries an attacker's markup unescaped.
func noRawPayload(t *testing.T, where string, body string) {
	t.Helper()
	for _, raw := range []string{"<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>"} {
		if strings.Contains(body, raw) {
			t.Errorf("%s carries %q unescaped", where, raw)
		}
	}
}

// Stored XSS: the payloads go into every free-text field an enterprise, officer or provider sets —
// complaint description, messages and replies, booking topic and address, inspection place and
// rating comment (CODE-1 rating), appointment topic and place, documents, alert title and body,
// registration names — and come back escaped in every page that shows them, inert in the
// calendar file and in the XLSX export (no formula either).
func TestAttackStoredXSSIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	v := makeVictims(t, e, xssBoth)
	ent, off := e.token("ent-a"), e.token("officer-scj")
	c := fmt.Sprintf("/api/v1/complaints/%d/actions", v.Complaint)
	for _, step := range []struct {
		tok  string
		body map[string]any
	}{
		{ent, map[string]any{"action": "message", "note": "补充说明 " + xssBoth}},
		{off, map[string]any{"action": "start"}},
		{off, map[string]any{"action": "reply", "note": "已整改 " + xssBoth}},
	} {
		if code, out := e.api("POST", c, step.tok, step.body); code != 200 {
			t.Fatalf("%v: %d %v", step.body, code, out)
		}
	}
	if code, out := e.api("POST", fmt.Sprintf("/api/v1/appointments/%d/actions", v.Appointment), off, map[string]any{"action": "accept", "place": "会议室 " + xssBoth}); code != 200 {
		t.Fatalf("accept appointment: %d %v", code, out)
	}
	// A booking on site: the address too; and a topic that tries to add lines to the calendar file.
	sl := slotOf(t, e, "legal", time.Date(2026, 3, 5, 9, 0, 0, 0, wz))
	code, bk := e.api("POST", "/api/v1/bookings", ent, map[string]any{"slot_id": sl.ID, "mode": "onsite", "address": "车站大道 " + xssBoth, "topic": "合同\r\nATTENDEE:mailto:evil@example.com\r\nSUMMARY:evil"})
	if code != 201 {
		t.Fatalf("onsite booking: %d %v", code, bk)
	}
	// A registration whose names are markup and a formula, then a complaint from it.
	reg := validRegistration(3)
	reg["name"] = `=HYPERLINK("http://evil.example/","点击")` + xssScript
	reg["contact_name"] = "@SUM(1)" + xssImg
	if code, out := e.api("POST", "/api/v1/auth/register", "", reg); code != 202 {
		t.Fatalf("register: %d %v", code, out)
	}
	if u, err := e.st.UserByUsername(t.Context(), reg["username"]); err != nil || e.st.SetEnterpriseVerified(t.Context(), u.ID, true) != nil {
		t.Fatalf("approve the application: %v", err)
	}
	newco := e.tokenFor(reg["username"], reg["password"])
	code, nc := e.api("POST", "/api/v1/complaints", newco, map[string]any{"type": "appeal", "description": "+1-1 " + xssBoth})
	if code != 201 {
		t.Fatalf("newco files: %d %v", code, nc)
	}
	// The rating comment, once the inspection has taken place.
	in, err := e.st.InspectionByID(t.Context(), v.Inspection)
	if err != nil {
		t.Fatal(err)
	}
	e.clk.Set(in.ScheduledAt.Add(3 * time.Hour))
	if code, out := e.api("POST", fmt.Sprintf("/api/v1/inspections/%d/rating", v.Inspection), e.token("ent-a"), map[string]any{"score": 4, "code_shown": true, "credential_shown": true, "comment": "态度好 " + xssBoth}); code != 204 {
		t.Fatalf("rating: %d %v", code, out)
	}

	escaped := "&lt;script&gt;alert(1)&lt;/script&gt;"
	pages := map[string][]struct {
		path string
		show bool // the page must show the payload (escaped), proving the field was rendered
	}{
		"ent-a": {{"/", false}, {"/inbox", false}, {"/complaints", false}, {fmt.Sprintf("/complaints/%d", v.Complaint), true},
			{"/bookings", false}, {fmt.Sprintf("/bookings/%d", v.Booking), true}, {fmt.Sprintf("/bookings/%v", bk["id"]), true},
			{"/inspections", false}, {fmt.Sprintf("/inspections/%d", v.Inspection), true},
			{"/appointments", true}, {fmt.Sprintf("/appointments/%d", v.Appointment), true},
			{"/documents", false}, {fmt.Sprintf("/documents/%d", v.Document), false}, {"/alerts", true}, {fmt.Sprintf("/alerts/%d", v.Alert), true}},
		"officer-scj": {{"/", false}, {"/complaints", false}, {fmt.Sprintf("/complaints/%d", v.Complaint), true}, {"/appointments", true},
			{fmt.Sprintf("/appointments/%d", v.Appointment), true}, {fmt.Sprintf("/inspections/%d", v.Inspection), true}, {"/inspections", false},
			{"/documents", false}, {fmt.Sprintf("/documents/%d", v.Document), false}, {"/alerts", true}, {fmt.Sprintf("/alerts/%d", v.Alert), true}},
		"liaison-lc":   {{"/", false}, {"/complaints", false}, {fmt.Sprintf("/complaints/%d", v.Complaint), true}, {fmt.Sprintf("/inspections/%d", v.Inspection), true}},
		"liaison-city": {{"/", false}, {"/complaints", true}, {fmt.Sprintf("/complaints/%v", nc["id"]), true}},
		"provider-1":   {{"/", false}, {"/bookings", false}, {fmt.Sprintf("/bookings/%d", v.Booking), true}, {fmt.Sprintf("/bookings/%v", bk["id"]), true}},
		"admin":        {{"/admin/users", false}, {"/complaints", true}, {fmt.Sprintf("/complaints/%d", v.Complaint), true}},
		"obs-chamber":  {{"/", false}, {"/complaints", false}},
	}
	for user, list := range pages {
		b := e.browser()
		b.login(user, demoPassword)
		for _, p := range list {
			r := b.do("GET", p.path, nil)
			where := user + " " + p.path
			if r.Status != 200 {
				t.Errorf("%s: %d", where, r.Status)
				continue
			}
			noRawPayload(t, where, r.Body)
			if p.show && !strings.Contains(r.Body, escaped) && !strings.Contains(r.Body, "&lt;img src=x onerror=alert(1)&gt;") {
				t.Errorf("%s does not show the (escaped) payload: the check proves nothing", where)
			}
		}
	}
	// Document texts are downloads of plain text that a browser must not sniff into HTML.
	b := e.browser()
	b.login("ent-a", demoPassword)
	for _, part := range []string{"decision", "advice", "credit_repair"} {
		r := b.do("GET", fmt.Sprintf("/documents/%d/%s.txt", v.Document, part), nil)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") || r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s.txt: %d, %q, nosniff %q, %q", part, r.Status, r.Header.Get("Content-Type"), r.Header.Get("X-Content-Type-Options"), r.Header.Get("Content-Disposition"))
		}
	}
	// The calendar file: the topic stays one folded, escaped property, never new lines.
	ics := b.do("GET", fmt.Sprintf("/bookings/%v/calendar.ics", bk["id"]), nil)
	if ics.Status != 200 || strings.Contains(ics.Body, "\nATTENDEE") || strings.Contains(ics.Body, "\nSUMMARY:evil") {
		t.Errorf("calendar file: %d, the topic injected properties:\n%s", ics.Status, ics.Body)
	}
	// The export: every cell is text, and none starts like a formula.
	li := e.browser()
	li.login("liaison-city", demoPassword)
	r := li.do("GET", "/complaints/export.xlsx", nil)
	x, err := excelize.OpenReader(strings.NewReader(r.Body))
	if r.Status != 200 || err != nil {
		t.Fatalf("export: %d %v", r.Status, err)
	}
	rows, _ := x.GetRows("Sheet1")
	found := false
	for i, row := range rows {
		for j, cell := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if f, _ := x.GetCellFormula("Sheet1", ref); f != "" {
				t.Errorf("cell %s is a formula: %q", ref, f)
			}
			if cell != "" && strings.ContainsRune("=+-@\t\r\n", rune(cell[0])) {
				t.Errorf("cell %s starts like a formula: %q", ref, cell)
			}
			found = found || strings.Contains(cell, "HYPERLINK")
		}
	}
	if !found {
		t.Error("the export lacks the registered name: the check proves nothing")
	}
}

// checkSecurityHeaders: CSP that forbids framing and inline script, nosniff, a referrer policy.
func checkSecurityHeaders(t *testing.T, where string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy %q", where, csp)
	}
	if !strings.Contains(csp, "frame-ancestors 'none'") && h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("%s: framing allowed (CSP %q, X-Frame-Options %q)", where, csp, h.Get("X-Frame-Options"))
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", where, h.Get("X-Content-Type-Options"))
	}
	if rp := h.Get("Referrer-Policy"); rp == "" || rp == "unsafe-url" || rp == "no-referrer-when-downgrade" {
		t.Errorf("%s: Referrer-Policy %q", where, rp)
	}
}

// Security headers on pages, API answers, errors and files; HSTS only when the request really came
// over TLS — a client cannot ask for it (or for Secure cookies, or for its own host in the QR
// codes) with X-Forwarded-* unless it is a configured trusted proxy.
func TestAttackSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	s := e.session("ent-a")
	tok := e.token("ent-a")
	for _, c := range []struct {
		name string
		r    resp
	}{
		{"login page", e.send("GET", "/login", nil, "", nil)},
		{"home page", e.send("GET", "/", s, "", nil)},
		{"a page's 404", e.send("GET", "/complaints/999999", s, "", nil)},
		{"a refused form", e.send("POST", "/logout", &session{b: s.b}, "", map[string]any{})},
		{"API answer", e.send("GET", "/api/v1/me", nil, tok, nil)},
		{"API 401", e.send("GET", "/api/v1/me", nil, "", nil)},
		{"API 404", e.send("GET", "/api/v1/nothing-here", nil, tok, nil)},
		{"health", e.send("GET", "/healthz", nil, "", nil)},
		{"public QR", e.send("GET", "/v/NOPE/qr.svg", nil, "", nil)},
	} {
		checkSecurityHeaders(t, c.name, c.r.Header)
		if hsts := c.r.Header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("%s over plain HTTP: Strict-Transport-Security %q", c.name, hsts)
		}
	}
	// A client's own X-Forwarded-Proto/-Ssl does not make a plain request https.
	for _, hdr := range [][]string{{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Ssl", "on"}, {"X-Url-Scheme", "https"}} {
		b := e.browser()
		r := b.do("GET", "/login", nil, hdr...)
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("untrusted %s: HSTS sent", hdr[0])
		}
		if strings.Contains(strings.ToLower(strings.Join(r.Header.Values("Set-Cookie"), ";")), "secure") {
			t.Errorf("untrusted %s: cookie marked Secure as if over TLS", hdr[0])
		}
	}
	// Nor does X-Forwarded-Host move the verification QR code (CODE-1) to another site: the QR of
	// a real code is the same with and without it (a shared cache keeps it for a day).
	in := makeVictims(t, e, "").Inspection
	got, err := e.st.InspectionByID(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	qr := "/v/" + got.Code + "/qr.svg"
	plain := e.send("GET", qr, nil, "", nil)
	forged := e.send("GET", qr, nil, "", nil, "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https")
	if plain.Status != 200 || plain.Body != forged.Body {
		t.Errorf("QR code: %d; X-Forwarded-Host from a client changed it", plain.Status)
	}

	// Behind a configured proxy (the test client's address is 0.0.0.0), its header counts.
	p := newEnv(t, func(d *portal.Deps) { d.TrustedProxies = []string{"0.0.0.0"} })
	r := p.browser().do("GET", "/login", nil, "X-Forwarded-Proto", "https")
	if !strings.HasPrefix(r.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("trusted proxy says https: HSTS %q", r.Header.Get("Strict-Transport-Security"))
	}
	if !strings.Contains(strings.ToLower(strings.Join(r.Header.Values("Set-Cookie"), ";")), "secure") {
		t.Error("trusted proxy says https: cookie not Secure")
	}
	if r := p.browser().do("GET", "/login", nil); r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("trusted proxy, plain http: HSTS sent")
	}

	// Over a real TLS connection: HSTS on pages and API.
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}})
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.App().Listener(ln)
	defer e.srv.App().Shutdown()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	for _, path := range []string{"/login", "/api/v1/openapi.json", "/api/v1/me"} {
		res, err := client.Get("https://" + ln.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("%s over TLS: HSTS %q", path, res.Header.Get("Strict-Transport-Security"))
		}
		checkSecurityHeaders(t, path+" over TLS", res.Header)
	}
}
