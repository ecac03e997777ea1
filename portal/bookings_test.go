package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/store"
	"qijian/portal"
)

// slotOf finds a demo service's slot at a Wenzhou time.
func slotOf(t *testing.T, e *env, code string, at time.Time) store.Slot {
	t.Helper()
	var sv store.Service
	if err := e.st.Gorm().Where("code = ?", code).First(&sv).Error; err != nil {
		t.Fatal(err)
	}
	var sl store.Slot
	if err := e.st.Gorm().Where("service_id = ? AND starts_at = ?", sv.ID, at).First(&sl).Error; err != nil {
		t.Fatalf("slot %s %v: %v", code, at, err)
	}
	return sl
}

var wz = calendar.Location()

func TestCatalogueShowsTheEnterprisesIndustryFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if r := e.browser().do("GET", "/services", nil); r.Status != 200 || !strings.Contains(r.Body, "企业合规体检") {
		t.Fatalf("public catalogue: %d", r.Status)
	}
	b := e.browser()
	b.login("ent-b", demoPassword) // 汽摩配
	body := b.do("GET", "/services", nil).Body
	if i, j := strings.Index(body, "汽摩配行业合规服务包"), strings.Index(body, "企业合规体检"); i < 0 || j < 0 || i > j {
		t.Fatalf("the enterprise's industry menu is not first (%d, %d)", i, j)
	}
	if strings.Contains(body, "鞋革行业合规服务包") {
		t.Fatal("another industry's menu is offered to ent-b")
	}
	code, out := e.api("GET", "/api/v1/services?industry=footwear", "", nil)
	if code != 200 || out["items"].([]any)[0].(map[string]any)["code"] != "menu-footwear" {
		t.Fatalf("API catalogue for footwear: %d %v", code, out)
	}
	if code, out := e.api("GET", "/api/v1/services?industry=nonsense", "", nil); code != 422 || fields(out)["industry"] == nil {
		t.Fatalf("bad industry: %d %v", code, out)
	}
}

// Browse → pick a time → book → see it, download it, and get the full-slot message when late.
func TestBookByPageInTwoClicks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 14, 0, 0, 0, wz)) // capacity 1
	b := e.browser()
	b.login("ent-a", demoPassword)
	page := b.do("GET", fmt.Sprintf("/services/%d", sl.ServiceID), nil)
	link := fmt.Sprintf("/services/%d/book?slot=%d", sl.ServiceID, sl.ID)
	if page.Status != 200 || !strings.Contains(page.Body, strings.ReplaceAll(link, "&", "&amp;")) && !strings.Contains(page.Body, link) {
		t.Fatalf("service page has no link to the slot: %d", page.Status)
	}
	r := b.post("/bookings", link, url.Values{"slot_id": {fmt.Sprint(sl.ID)}, "mode": {"onsite"}, "address": {"鹿城区车站大道 1 号"}, "topic": {"消防和产品质量"}})
	if r.Status != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/bookings/") {
		t.Fatalf("book: %d %s", r.Status, r.Header.Get("Location"))
	}
	loc := strings.TrimSuffix(r.Header.Get("Location"), "?done=booked")
	if p := b.do("GET", loc, nil); p.Status != 200 || !strings.Contains(p.Body, "已预约") || !strings.Contains(p.Body, "2026-03-04 14:00") {
		t.Fatalf("booking page: %d", p.Status)
	}
	ics := b.do("GET", loc+"/calendar.ics", nil)
	if ics.Status != 200 || !strings.HasPrefix(ics.Header.Get("Content-Type"), "text/calendar") || !strings.Contains(ics.Body, "DTSTART:20260304T060000Z") {
		t.Fatalf("ics: %d %s\n%s", ics.Status, ics.Header.Get("Content-Type"), ics.Body)
	}
	// The seat is gone: the next enterprise is told so in plain words, and nothing is created.
	other := e.browser()
	other.login("ent-b", demoPassword)
	r = other.post("/bookings", link, url.Values{"slot_id": {fmt.Sprint(sl.ID)}, "mode": {"online"}})
	if r.Status != 409 || !strings.Contains(r.Body, "该时段已约满") {
		t.Fatalf("full slot: %d", r.Status)
	}
	// On-site without an address names the field.
	sl2 := slotOf(t, e, "checkup", time.Date(2026, 3, 5, 9, 0, 0, 0, wz))
	r = other.post("/bookings", link, url.Values{"slot_id": {fmt.Sprint(sl2.ID)}, "mode": {"onsite"}})
	if r.Status != 422 || !strings.Contains(r.Body, `class="field bad"><label for="address"`) {
		t.Fatalf("missing address: %d", r.Status)
	}
	var n int64
	e.st.Gorm().Model(&store.Booking{}).Count(&n)
	if n != 1 {
		t.Fatalf("refusals created bookings: %d", n)
	}
}

// Fifty concurrent HTTP requests for the last seat: one 201, forty-nine 409 slot_full.
func TestLastSeatOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.SubmitPerMinute = 1000 })
	sl := slotOf(t, e, "legal", time.Date(2026, 3, 6, 14, 0, 0, 0, wz))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.App().Listener(ln)
	defer e.srv.App().Shutdown()
	base := "http://" + ln.Addr().String()
	toks := []string{e.token("ent-a"), e.token("ent-b")}
	body, _ := json.Marshal(map[string]any{"slot_id": sl.ID, "mode": "online", "topic": "合同审查"})
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	start := make(chan struct{})
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest("POST", base+"/api/v1/bookings", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+toks[i%2])
			res, err := http.DefaultClient.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				codes[-1]++
				return
			}
			res.Body.Close()
			codes[res.StatusCode]++
		}()
	}
	close(start)
	wg.Wait()
	if codes[201] != 1 || codes[409] != 49 {
		t.Fatalf("answers %v, want one 201 and 49 409", codes)
	}
}

// The report: the enterprise and its provider read it; every other role gets 404, by page and API.
func TestCheckupReportOnlyForEnterpriseAndProvider(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
	ent, prov := e.token("ent-a"), e.token("provider-1")
	code, out := e.api("POST", "/api/v1/bookings", ent, map[string]any{"slot_id": sl.ID, "mode": "online", "topic": "消防"})
	if code != 201 {
		t.Fatalf("book: %d %v", code, out)
	}
	id := fmt.Sprint(out["id"])
	e.clk.Set(sl.StartsAt.Add(-10 * time.Minute)) // a booking is started when its time comes
	prov = e.token("provider-1")
	for _, a := range []string{"confirm", "start"} {
		if code, out := e.api("POST", "/api/v1/bookings/"+id+"/actions", prov, map[string]any{"action": a}); code != 200 {
			t.Fatalf("%s: %d %v", a, code, out)
		}
	}
	if code, out := e.api("POST", "/api/v1/bookings/"+id+"/report", prov, map[string]any{"findings": "<script>alert(1)</script>灭火器过期", "advice": "一周内更换"}); code != 200 {
		t.Fatalf("report: %d %v", code, out)
	}
	for _, who := range []string{"ent-a", "provider-1"} {
		code, out := e.api("GET", "/api/v1/bookings/"+id+"/report", e.token(who), nil)
		if code != 200 || !strings.Contains(fmt.Sprint(out["findings"]), "灭火器过期") {
			t.Errorf("%s: %d", who, code)
		}
		b := e.browser()
		b.login(who, demoPassword)
		p := b.do("GET", "/bookings/"+id, nil)
		if p.Status != 200 || !strings.Contains(p.Body, "灭火器过期") || strings.Contains(p.Body, "<script>alert(1)") {
			t.Errorf("%s page: %d (report shown and escaped?)", who, p.Status)
		}
	}
	for _, who := range []string{"ent-b", "officer-scj", "liaison-lc", "liaison-city", "obs-chamber", "admin"} {
		tok := e.token(who)
		for _, path := range []string{"/api/v1/bookings/" + id + "/report", "/api/v1/bookings/" + id, "/api/v1/bookings/" + id + "/calendar.ics"} {
			if code, _ := e.api("GET", path, tok, nil); code != 404 {
				t.Errorf("%s GET %s: %d, want 404", who, path, code)
			}
		}
		b := e.browser()
		b.login(who, demoPassword)
		if p := b.do("GET", "/bookings/"+id, nil); p.Status != 404 {
			t.Errorf("%s page: %d, want 404", who, p.Status)
		}
		// Nor through lists.
		if code, out := e.api("GET", "/api/v1/bookings", tok, nil); code == 200 && strings.Contains(fmt.Sprint(out), "灭火器") {
			t.Errorf("%s lists the report", who)
		}
	}
}

func TestPrivateCalendarFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
	if code, out := e.api("POST", "/api/v1/bookings", e.token("ent-a"), map[string]any{"slot_id": sl.ID, "mode": "online"}); code != 201 {
		t.Fatalf("book: %d %v", code, out)
	}
	for _, who := range []string{"ent-a", "provider-1"} {
		b := e.browser()
		b.login(who, demoPassword)
		page := b.do("GET", "/bookings?date=2026-03-04", nil).Body
		m := regexp.MustCompile(`href="(/ical/[0-9]+/[0-9a-f]+\.ics)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no feed link", who)
		}
		feed := e.browser().do("GET", m[1], nil) // a calendar app: no session
		if feed.Status != 200 || !strings.Contains(feed.Body, "BEGIN:VEVENT") || !strings.Contains(feed.Body, "DTSTART:20260304T010000Z") {
			t.Fatalf("%s feed: %d\n%s", who, feed.Status, feed.Body)
		}
		bad := regexp.MustCompile(`[0-9a-f]{32}`).ReplaceAllString(m[1], strings.Repeat("0", 32))
		if r := e.browser().do("GET", bad, nil); r.Status != 404 {
			t.Fatalf("forged feed token: %d", r.Status)
		}
	}
}

// A provider publishes its week; a public holiday opens nothing and the API shows the new times.
func TestProviderPublishesSchedule(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	prov := e.browser()
	prov.login("provider-1", demoPassword)
	sl := slotOf(t, e, "risk", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
	sid := fmt.Sprint(sl.ServiceID)
	r := prov.post("/provider/schedule/"+sid, "/provider/schedule", url.Values{"times3": {"10:30, 15:00"}, "cap3": {"3"}})
	if r.Status != 303 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	code, out := e.api("GET", "/api/v1/services/"+sid+"/slots?from=2026-03-09&days=7", "", nil)
	items := out["items"].([]any)
	if code != 200 || len(items) != 2 || items[0].(map[string]any)["free"] != float64(3) {
		t.Fatalf("slots after publishing: %d %v", code, out)
	}
	// The old Wednesday 09:00 slot is closed, not deleted.
	var old store.Slot
	e.st.Gorm().First(&old, sl.ID)
	if !old.Closed {
		t.Fatal("a time no longer in the schedule is still open")
	}
	if r := prov.post("/provider/schedule/"+sid, "/provider/schedule", url.Values{"times3": {"25:00"}, "cap3": {"3"}}); r.Status != 422 {
		t.Fatalf("bad time: %d", r.Status)
	}
	// Another provider's service is not this provider's to change.
	if code, _ := e.api("PUT", "/api/v1/services/"+sid+"/schedule", e.token("ent-a"), map[string]any{"rules": []any{}}); code != 403 {
		t.Fatalf("an enterprise changed a schedule: %d", code)
	}
}

func TestAdminEditsTheCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token("admin")
	prov, err := e.st.UserByUsername(context.Background(), "provider-1")
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]any{"code": "new-svc", "kind": "menu", "name_zh": "泵阀出口合规", "name_en": "Pump export compliance", "industries": []string{"pumps_valves", "nonsense"}, "minutes": 5, "mode": "both", "provider_id": prov.ID, "active": true}
	code, out := e.api("POST", "/api/v1/services", tok, bad)
	if code != 422 || fields(out)["minutes"] == nil || !hasFieldPrefix(fields(out), "industries") {
		t.Fatalf("bad service: %d %v", code, out)
	}
	bad["minutes"], bad["industries"] = 90, []string{"pumps_valves"}
	bad["provider_id"] = 1 // not a provider
	if code, out := e.api("POST", "/api/v1/services", tok, bad); code != 422 || fields(out)["provider_id"] == nil {
		t.Fatalf("non-provider: %d %v", code, out)
	}
	bad["provider_id"] = prov.ID
	code, out = e.api("POST", "/api/v1/services", tok, bad)
	if code != 201 {
		t.Fatalf("create: %d %v", code, out)
	}
	b := e.browser()
	b.login("admin", demoPassword)
	if p := b.do("GET", "/admin/services", nil); p.Status != 200 || !strings.Contains(p.Body, "泵阀出口合规") {
		t.Fatalf("admin list: %d", p.Status)
	}
	id := fmt.Sprint(out["id"])
	r := b.post("/admin/services/"+id, "/admin/services/"+id, url.Values{"code": {"new-svc"}, "kind": {"menu"}, "name_zh": {"泵阀出口合规（新版）"}, "name_en": {"Pump export"}, "minutes": {"60"}, "mode": {"online"}, "provider_id": {fmt.Sprint(prov.ID)}})
	if r.Status != 303 {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	// Unticked "active": the service leaves the public menu.
	if p := e.browser().do("GET", "/services", nil); strings.Contains(p.Body, "泵阀出口合规") {
		t.Fatal("an inactive service is still on the menu")
	}
}

// errCode is the stable code of an API error answer.
func errCode(out map[string]any) any {
	if e, ok := out["error"].(map[string]any); ok {
		return e["code"]
	}
	return nil
}

// The typed booking routes answer what the OpenAPI document says (e.api checks every answer
// against it), and each refusal keeps its own code and field.
func TestBookingAPIAnswersAsDocumented(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent, prov := e.token("ent-a"), e.token("provider-1")
	a := slotOf(t, e, "checkup", time.Date(2026, 3, 10, 9, 0, 0, 0, wz))
	b := slotOf(t, e, "checkup", time.Date(2026, 3, 11, 9, 0, 0, 0, wz))
	if code, out := e.api("GET", "/api/v1/slots?kind=menu&industry=footwear", "", nil); code != 200 || len(out["items"].([]any)) == 0 || out["items"].([]any)[0].(map[string]any)["name_zh"] != "鞋革行业合规服务包" {
		t.Fatalf("search: %d %v", code, out)
	}
	for _, c := range []struct{ path, field string }{
		{"/api/v1/slots?kind=gossip", "kind"},
		{"/api/v1/slots?industry=gossip", "industry"},
		{fmt.Sprintf("/api/v1/services/%d/slots?days=0", a.ServiceID), "days"},
		{fmt.Sprintf("/api/v1/services/%d/slots?from=tomorrow", a.ServiceID), "from"},
	} {
		if code, out := e.api("GET", c.path, "", nil); code != 422 || fields(out)[c.field] == nil {
			t.Errorf("%s: %d %v, want 422 naming %s", c.path, code, out, c.field)
		}
	}
	code, out := e.api("POST", "/api/v1/bookings", ent, map[string]any{"slot_id": a.ID, "mode": "online"})
	if code != 201 || !strings.Contains(fmt.Sprint(out["actions"]), "reschedule") {
		t.Fatalf("book: %d %v", code, out)
	}
	id := fmt.Sprint(out["id"])
	if code, out := e.api("GET", "/api/v1/bookings", ent, nil); code != 200 || len(out["items"].([]any)) != 1 {
		t.Fatalf("list: %d %v", code, out)
	}
	if code, out := e.api("GET", "/api/v1/bookings?date=2026-03-10", prov, nil); code != 200 || len(out["items"].([]any)) != 1 {
		t.Fatalf("the provider's day: %d %v", code, out)
	}
	if code, _ := e.api("GET", "/api/v1/bookings", e.token("officer-scj"), nil); code != 403 {
		t.Fatalf("an officer lists bookings: %d", code)
	}
	if code, out := e.api("POST", "/api/v1/bookings/"+id+"/reschedule", ent, map[string]any{"slot_id": a.ID}); code != 422 || fields(out)["slot_id"] == nil {
		t.Fatalf("to its own slot: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/bookings/"+id+"/reschedule", ent, map[string]any{"slot_id": b.ID}); code != 200 || out["slot_id"] != float64(b.ID) {
		t.Fatalf("reschedule: %d %v", code, out)
	}
	if code, out := e.api("GET", "/api/v1/bookings/"+id+"/report", ent, nil); code != 404 || errCode(out) != "no_report" {
		t.Fatalf("no report yet: %d %v", code, out)
	}
	sid := fmt.Sprint(a.ServiceID)
	if code, out := e.api("PUT", "/api/v1/services/"+sid+"/schedule", prov, map[string]any{"rules": []any{map[string]any{"weekday": 9, "start": "09:00", "capacity": 1}}}); code != 422 || fields(out)["rules[0].weekday"] == nil {
		t.Fatalf("a ninth weekday: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/services/"+sid+"/exceptions", prov, map[string]any{"day": "2026-03-12", "closed": true}); code != 200 || out["closed"] != true {
		t.Fatalf("exception: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/bookings/"+id+"/cancel", ent, nil); code != 200 || out["status"] != "cancelled" || len(out["actions"].([]any)) != 0 {
		t.Fatalf("cancel: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/bookings/"+id+"/cancel", ent, nil); code != 409 || errCode(out) != "not_allowed" {
		t.Fatalf("cancel twice: %d %v", code, out)
	}
}
