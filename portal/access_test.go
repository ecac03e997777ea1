package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// routeClass says who may reach a route. Every route in the table must be classified here, so a
// new route cannot be added without deciding its access.
var routeClass = map[string]string{
	"GET /healthz":                               "public",
	"GET /readyz":                                "public",
	"GET /metrics":                               "public",
	"GET /":                                      "public",
	"POST /lang/:lang":                           "public",
	"GET /v":                                     "public",
	"GET /v/:code":                               "public",
	"GET /v/:code/qr.:ext<regex(png|svg)>":       "public",
	"POST /api/v1/inspections":                   "login",
	"GET /api/v1/inspections":                    "login",
	"GET /api/v1/inspections/:id":                "login",
	"POST /api/v1/inspections/:id/ack":           "login",
	"POST /api/v1/complaints/:id/reveal":         "login",
	"POST /complaints/:id/reveal":                "login",
	"GET /complaints/:id/reveal":                 "login",
	"GET /api/v1/bodies/:id/inspectors":          "login",
	"POST /api/v1/bodies/:id/inspectors":         "login",
	"GET /api/v1/bodies/:id/items":               "login",
	"POST /api/v1/bodies/:id/items":              "login",
	"POST /api/v1/bodies/:id/plans":              "login",
	"POST /api/v1/inspections/import":            "login",
	"POST /api/v1/inspections/:id/status":        "login",
	"POST /api/v1/inspections/:id/rating":        "login",
	"GET /inspections":                           "login",
	"GET /inspections/:id":                       "login",
	"POST /inspections/:id/ack":                  "login",
	"POST /inspections/:id/rate":                 "login",
	"GET /api/v1/joint-inspections":              "login",
	"POST /api/v1/joint-inspections/:id/answer":  "login",
	"POST /inspections/:id/joint":                "login",
	"GET /login":                                 "public",
	"POST /login":                                "public",
	"GET /register":                              "public",
	"POST /register":                             "public",
	"GET /api/v1/openapi.json":                   "public",
	"POST /api/v1/auth/token":                    "public",
	"POST /api/v1/auth/register":                 "public",
	"GET /api/v1/me":                             "login",
	"GET /api/v1/notifications":                  "login",
	"DELETE /api/v1/auth/token":                  "login",
	"POST /api/v1/complaints":                    "login",
	"POST /api/v1/intake/orders":                 "login", // hotline operators (account.TakeCalls); intake_test holds who else is refused
	"GET /intake":                                "login",
	"POST /intake":                               "login",
	"GET /api/v1/complaints":                     "login",
	"GET /api/v1/complaints/:id":                 "login",
	"POST /api/v1/complaints/:id/actions":        "login",
	"POST /logout":                               "login", // anonymous: nothing to end, sent to /login
	"GET /complaints":                            "login",
	"GET /complaints/export.xlsx":                "login",
	"POST /complaints/assign":                    "login",
	"GET /complaints/new":                        "login",
	"POST /complaints":                           "login",
	"GET /complaints/:id":                        "login",
	"POST /complaints/:id/act":                   "login",
	"POST /complaints/:id/evidence":              "login",
	"GET /complaints/:id/evidence/:eid":          "login",
	"POST /api/v1/complaints/:id/evidence":       "login",
	"GET /api/v1/complaints/:id/evidence/:eid":   "login",
	"GET /inbox":                                 "login",
	"GET /inbox/:id":                             "login",
	"POST /inbox/read":                           "login",
	"GET /admin/users":                           "admin",
	"GET /admin/users/new":                       "admin",
	"POST /admin/users":                          "admin",
	"POST /admin/users/:id/disabled":             "admin",
	"GET /admin/bodies":                          "admin",
	"GET /admin/bodies/new":                      "admin",
	"GET /admin/bodies/:id":                      "admin",
	"POST /admin/bodies":                         "admin",
	"POST /admin/bodies/:id":                     "admin",
	"GET /admin/workflow":                        "admin",
	"GET /admin/calendar":                        "admin",
	"POST /admin/calendar":                       "admin",
	"POST /admin/calendar/delete":                "admin",
	"POST /admin/calendar/import":                "admin",
	"POST /admin/workflow/rules":                 "admin",
	"POST /admin/workflow/rules/:id/delete":      "admin",
	"POST /admin/workflow/sla/:id":               "admin",
	"POST /admin/workflow/sla":                   "admin",
	"POST /admin/workflow/sla/:id/delete":        "admin",
	"GET /api/v1/time-limits":                    "admin",
	"POST /api/v1/time-limits":                   "admin",
	"PUT /api/v1/time-limits/:id":                "admin",
	"DELETE /api/v1/time-limits/:id":             "admin",
	"GET /clues":                                 "login", // liaisons and admins; the county scope is tested in clues_test
	"POST /clues/:id/review":                     "login",
	"GET /api/v1/clues":                          "login",
	"POST /api/v1/clues/:id/review":              "login",
	"GET /admin/counties":                        "admin",
	"GET /admin/outbox":                          "admin",
	"POST /admin/outbox/reveal":                  "admin",
	"GET /admin/tasks":                           "admin",
	"POST /admin/tasks/:id/retry":                "admin",
	"POST /bookings/feed":                        "login",
	"GET /ical/:uid/:token":                      "public", // the token is the key; tested in bookings_test
	"GET /services":                              "public",
	"GET /services/:id":                          "public",
	"GET /services/:id/book":                     "login",
	"POST /bookings":                             "login",
	"GET /bookings":                              "login",
	"GET /bookings/:id":                          "login",
	"GET /bookings/:id/calendar.ics":             "login",
	"POST /bookings/:id/act":                     "login",
	"POST /bookings/:id/reschedule":              "login",
	"POST /bookings/:id/complete":                "login",
	"GET /provider/schedule":                     "login",
	"POST /provider/schedule/:id":                "login",
	"POST /provider/schedule/:id/exception":      "login",
	"GET /admin/services":                        "admin",
	"GET /admin/services/new":                    "admin",
	"GET /admin/services/:id":                    "admin",
	"POST /admin/services":                       "admin",
	"POST /admin/services/:id":                   "admin",
	"GET /api/v1/services":                       "public",
	"POST /api/v1/services":                      "admin",
	"PUT /api/v1/services/:id":                   "admin",
	"GET /api/v1/services/:id/slots":             "public",
	"PUT /api/v1/services/:id/schedule":          "login",
	"POST /api/v1/services/:id/exceptions":       "login",
	"GET /api/v1/slots":                          "public",
	"POST /api/v1/bookings":                      "login",
	"GET /api/v1/bookings":                       "login",
	"GET /api/v1/bookings/:id":                   "login",
	"GET /api/v1/bookings/:id/calendar.ics":      "login",
	"POST /api/v1/bookings/:id/reschedule":       "login",
	"POST /api/v1/bookings/:id/cancel":           "login",
	"POST /api/v1/bookings/:id/actions":          "login",
	"POST /api/v1/bookings/:id/report":           "login",
	"GET /api/v1/bookings/:id/report":            "login",
	"GET /appointments":                          "login",
	"POST /appointments":                         "login",
	"GET /appointments/:id":                      "login",
	"POST /appointments/:id/act":                 "login",
	"GET /alerts":                                "login",
	"POST /alerts":                               "login",
	"GET /alerts/:id":                            "login",
	"GET /lists":                                 "public",
	"GET /lists/:id":                             "public",
	"POST /lists/:id/penalties":                  "login",
	"GET /documents":                             "login",
	"POST /documents":                            "login",
	"GET /documents/:id":                         "login",
	"GET /documents/:id/:part":                   "login",
	"GET /api/v1/appointments":                   "login",
	"POST /api/v1/appointments":                  "login",
	"GET /api/v1/appointments/:id":               "login",
	"POST /api/v1/appointments/:id/actions":      "login",
	"GET /api/v1/alerts":                         "login",
	"POST /api/v1/alerts":                        "login",
	"GET /api/v1/bodies/:id/penalties":           "public",
	"POST /api/v1/bodies/:id/penalties":          "login",
	"POST /api/v1/documents":                     "login",
	"GET /api/v1/documents/:id":                  "login",
	"GET /settings/notifications":                "login",
	"POST /settings/notifications":               "login",
	"GET /api/v1/me/notification-settings":       "login",
	"PUT /api/v1/me/notification-settings":       "login",
	"GET /api/v1/enterprises/:id/grades":         "login",
	"POST /api/v1/enterprises/:id/grades":        "login",
	"POST /api/v1/grades/import":                 "login",
	"GET /manage/enterprises/:id/grades":         "login",
	"POST /manage/enterprises/:id/grades":        "login",
	"POST /manage/enterprises/:id/grades/import": "login",
	// Officers (own body) and admins; masterdata_pages_test holds who else is refused.
	"GET /manage/masterdata":                  "login",
	"GET /manage/bodies/:id/inspector":        "login",
	"POST /manage/bodies/:id/inspector":       "login",
	"GET /manage/bodies/:id/item":             "login",
	"POST /manage/bodies/:id/item":            "login",
	"GET /manage/bodies/:id/plan":             "login",
	"POST /manage/bodies/:id/plan":            "login",
	"GET /manage/inspections/new":             "login",
	"POST /manage/inspections":                "login",
	"GET /manage/inspections/:id/records/new": "login",
	"POST /manage/inspections/:id/records":    "login",
	"POST /manage/inspections/:id/status":     "login",
	"GET /records/:id/file":                   "login",
	// Replies and notes: the reply's files (who may reply uploads; who sees the order downloads,
	// replies_test holds the rest) and the admin's reply templates.
	"POST /complaints/:id/reply-files":            "login",
	"GET /complaints/:id/reply-files/:fid":        "login",
	"POST /api/v1/complaints/:id/reply-files":     "login",
	"GET /api/v1/complaints/:id/reply-files/:fid": "login",
	"GET /api/v1/reply-templates":                 "login",
	"POST /api/v1/reply-templates":                "admin",
	"PUT /api/v1/reply-templates/:id":             "admin",
	"POST /api/v1/reply-templates/:id/retire":     "admin",
	"GET /admin/reply-templates":                  "admin",
	"GET /admin/reply-templates/new":              "admin",
	"GET /admin/reply-templates/:id":              "admin",
	"POST /admin/reply-templates":                 "admin",
	"POST /admin/reply-templates/:id":             "admin",
	"POST /admin/reply-templates/:id/retire":      "admin",

	// Supervision (issue 19 item 6): documents, rates, concentrated complaints, settings.
	"GET /api/v1/complaints/:id/documents/:docid": "login",
	"GET /complaints/:id/documents/:docid":        "login",
	"GET /api/v1/rates":                           "login",
	"GET /rates":                                  "login",
	"GET /api/v1/supervision":                     "login",
	"POST /api/v1/supervision/:id/handle":         "login",
	"GET /supervision":                            "login",
	"POST /supervision/:id/handle":                "login",
	"GET /api/v1/supervision/settings":            "admin",
	"PUT /api/v1/supervision/settings":            "admin",
	"GET /admin/supervision":                      "admin",
	"POST /admin/supervision":                     "admin",
}

func TestEveryRouteIsGuarded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seen := map[string]bool{}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "USE" || strings.HasPrefix(r.Path, "/static") || strings.HasSuffix(r.Path, "*") {
			continue
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		class, ok := routeClass[key]
		if !ok {
			t.Errorf("route %s is not classified in routeClass: decide who may reach it", key)
			continue
		}
		if class == "public" {
			continue
		}
		path := strings.NewReplacer(":id", "1", ":lang", "en", ":eid", "1", ":part", "decision.txt").Replace(r.Path)
		api := strings.HasPrefix(path, "/api/")
		t.Run(key, func(t *testing.T) {
			// Nobody logged in.
			if api {
				if code, _ := e.api(r.Method, path, "", nil); code != 401 {
					t.Errorf("anonymous: %d, want 401", code)
				}
			} else {
				b := e.browser()
				var res resp
				if r.Method == "GET" {
					res = b.do("GET", path, nil)
				} else {
					res = b.post(path, "/login", url.Values{})
				}
				if (res.Status != 302 && res.Status != 303) || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
					t.Errorf("anonymous: %d %s, want a redirect to /login", res.Status, res.Header.Get("Location"))
				}
			}
			if class != "admin" {
				return
			}
			for _, user := range []string{"ent-a", "obs-chamber", "liaison-lc", "liaison-city", "officer-scj", "provider-1", "operator-12345"} {
				if api {
					if code, _ := e.api(r.Method, path, e.token(user), map[string]any{}); code != 403 {
						t.Errorf("%s: %d, want 403", user, code)
					}
					continue
				}
				b := e.browser()
				b.login(user, demoPassword)
				var res resp
				if r.Method == "GET" {
					res = b.do("GET", path, nil)
				} else {
					res = b.post(path, "/", url.Values{})
				}
				if res.Status != 403 {
					t.Errorf("%s: %d, want 403", user, res.Status)
				}
			}
		})
	}
}

func TestAdminManagesBodiesAndUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("admin", demoPassword)
	for _, p := range []string{"/admin/users", "/admin/users/new", "/admin/bodies", "/admin/bodies/new", "/admin/bodies/1", "/admin/counties"} {
		if r := b.do("GET", p, nil); r.Status != 200 {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
	if r := b.do("GET", "/admin/counties", nil); !strings.Contains(r.Body, "龙港市") || !strings.Contains(r.Body, "330383") {
		t.Error("counties page lacks 龙港市")
	}
	if r := b.do("GET", "/admin/bodies/9999", nil); r.Status != 404 {
		t.Errorf("missing body: %d", r.Status)
	}
	// Bad input: named field, nothing saved.
	r := b.post("/admin/bodies", "/admin/bodies/new", url.Values{"name_zh": {""}, "county": {"999999"}})
	if r.Status != 422 || !strings.Contains(r.Body, "此项必填") || !strings.Contains(r.Body, "请选择温州市的区县") {
		t.Fatalf("bad body: %d", r.Status)
	}
	r = b.post("/admin/bodies", "/admin/bodies/new", url.Values{"name_zh": {"龙湾区市场监督管理局"}, "county": {"330303"}, "qualified": {"true"}, "announced_on": {"2025-03-01"}})
	if r.Status != 303 {
		t.Fatalf("create body: %d", r.Status)
	}
	if list := b.do("GET", "/admin/bodies", nil); !strings.Contains(list.Body, "龙湾区市场监督管理局") {
		t.Fatal("new body not listed")
	}
	// Users: an officer needs a body; then one is created and can log in.
	r = b.post("/admin/users", "/admin/users/new", url.Values{"username": {"officer-2"}, "password": {"a-long-password"}, "role": {"officer"}})
	if r.Status != 422 {
		t.Fatalf("officer without body: %d", r.Status)
	}
	r = b.post("/admin/users", "/admin/users/new", url.Values{"username": {"officer-2"}, "password": {"a-long-password"}, "role": {"officer"}, "body_id": {"1"}})
	if r.Status != 303 {
		t.Fatalf("create officer: %d", r.Status)
	}
	r = b.post("/admin/users", "/admin/users/new", url.Values{"username": {"officer-2"}, "password": {"a-long-password"}, "role": {"provider"}})
	if r.Status != 409 || !strings.Contains(r.Body, "该用户名已被使用") {
		t.Fatalf("duplicate username: %d", r.Status)
	}
	o := e.browser()
	if r := o.login("officer-2", "a-long-password"); r.Status != 303 {
		t.Fatalf("new officer login: %d", r.Status)
	}
	// Disabling a user ends its sessions.
	u, err := e.st.UserByUsername(t.Context(), "officer-2")
	if err != nil {
		t.Fatal(err)
	}
	if r := b.post("/admin/users/"+itoa(u.ID)+"/disabled", "/admin/users", url.Values{"disabled": {"1"}}); r.Status != 303 {
		t.Fatalf("disable: %d", r.Status)
	}
	if r := o.do("GET", "/inbox", nil); r.Status != 302 {
		t.Fatalf("disabled user's session still works: %d", r.Status)
	}
	if r := o.login("officer-2", "a-long-password"); r.Status != 401 {
		t.Fatalf("disabled user logs in: %d", r.Status)
	}
	// An admin cannot disable their own login, and is told why.
	self, err := e.st.UserByUsername(t.Context(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	if r := b.post("/admin/users/"+itoa(self.ID)+"/disabled", "/admin/users", url.Values{"disabled": {"1"}}); r.Status != 403 || !strings.Contains(r.Body, "不能停用自己的账号") {
		t.Fatalf("self-disable: %d", r.Status)
	}
	// body.save, user.create, user.disable: each on the audit chain, which verifies.
	bad, n, err := e.st.VerifyAudit(t.Context())
	if err != nil || bad != 0 || n != 3 {
		t.Fatalf("audit: bad %d, %d entries (want 3), %v", bad, n, err)
	}
}

func itoa(n uint) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

func TestAdminEditsRoutingAndDeadlines(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	adm := e.browser()
	adm.login("admin", demoPassword)
	if r := adm.do("GET", "/admin/workflow", nil); r.Status != 200 || !strings.Contains(r.Body, "12348") {
		t.Fatalf("workflow page: %d", r.Status)
	}
	if r := adm.post("/admin/workflow/rules", "/admin/workflow", url.Values{"type": {"appeal"}, "county": {"330302"}, "channel": {"12349"}}); r.Status != 422 {
		t.Fatalf("bad channel: %d", r.Status)
	}
	// Appeals from 鹿城区 now go to 12348 (type and county beat the default type rule).
	if r := adm.post("/admin/workflow/rules", "/admin/workflow", url.Values{"type": {"appeal"}, "county": {"330302"}, "channel": {"12348"}, "position": {"10"}}); r.Status != 303 {
		t.Fatalf("add rule: %d", r.Status)
	}
	// The table names the county, not its code.
	if r := adm.do("GET", "/admin/workflow", nil); !strings.Contains(r.Body, "<td>鹿城区</td>") || strings.Contains(r.Body, "<td>330302</td>") {
		t.Fatal("the routing table does not name the rule's county")
	}
	// 12345 accept: 1 working day -> 3 working hours.
	sla, _ := e.st.SLAPolicies(t.Context())
	var id uint
	for _, p := range sla {
		if p.Channel == "12345" && p.Type == "*" && p.Stage == "accept" && !p.Urgent { // the fallback row, not the urgent one
			id = p.ID
		}
	}
	if r := adm.post("/admin/workflow/sla/"+itoa(id), "/admin/workflow", url.Values{"amount": {"0"}, "unit": {"hours"}}); r.Status != 422 {
		t.Fatalf("zero allowance: %d", r.Status)
	}
	if r := adm.post("/admin/workflow/sla/"+itoa(id), "/admin/workflow", url.Values{"amount": {"3"}, "unit": {"hours"}}); r.Status != 303 {
		t.Fatalf("set allowance: %d", r.Status)
	}
	ent, other := e.token("ent-a"), e.token("ent-b")
	_, a := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "appeal", "description": "希望简化审批流程"})
	_, b := e.api("POST", "/api/v1/complaints", other, map[string]any{"type": "consultation", "description": "想了解检查计划公示"})
	if a["channel"] != "12348" || b["channel"] != "12345" {
		t.Fatalf("routing: 鹿城 appeal %v, 瑞安 consultation %v", a["channel"], b["channel"])
	}
	_, bo := e.api("GET", "/api/v1/complaints/"+fmt.Sprint(b["id"]), other, nil)
	for _, d := range bo["deadlines"].([]any) {
		dm := d.(map[string]any)
		if dm["stage"] == "accept" {
			due, _ := time.Parse(time.RFC3339, dm["due_at"].(string))
			if got := e.srv.Services().Calendar.WorkingDuration(e.clk.Now(), due); got != 3*time.Hour {
				t.Fatalf("accept allowance after the edit: %v of working time, want 3h", got)
			}
		}
	}
	if bad, n, _ := e.st.VerifyAudit(t.Context()); bad != 0 || n < 2 {
		t.Fatalf("audit of the edits: bad %d, %d entries", bad, n)
	}
}

func TestAdminCalendarOverride(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	adm := e.browser()
	adm.login("admin", demoPassword)
	monday := time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)
	if !e.srv.Services().Calendar.IsWorkingDay(monday) {
		t.Fatal("2026-03-09 should be an ordinary working Monday")
	}
	if r := adm.post("/admin/calendar", "/admin/calendar", url.Values{"day": {"2026-03-40"}}); r.Status != 422 {
		t.Fatalf("bad date: %d", r.Status)
	}
	if r := adm.post("/admin/calendar", "/admin/calendar", url.Values{"day": {"2026-03-09"}, "name": {"台风停工"}}); r.Status != 303 {
		t.Fatalf("save: %d", r.Status)
	}
	if e.srv.Services().Calendar.IsWorkingDay(monday) {
		t.Fatal("the override did not make 2026-03-09 a day off")
	}
	if r := adm.do("GET", "/admin/calendar", nil); !strings.Contains(r.Body, "台风停工") {
		t.Fatal("override not listed")
	}
	if r := adm.post("/admin/calendar/delete", "/admin/calendar", url.Values{"day": {"2026-03-09"}}); r.Status != 303 || !e.srv.Services().Calendar.IsWorkingDay(monday) {
		t.Fatalf("delete: %d", r.Status)
	}
}
