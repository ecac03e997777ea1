package portal_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"qijian/internal/store"
)

// The queue's export link carries the page's filters as a query string (not escaped into the
// path), and the button says what it does.
func TestQueueExportLinkKeepsTheFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("liaison-city", demoPassword)
	p := b.do("GET", "/complaints?type=appeal&channel=12345&late=1", nil)
	m := regexp.MustCompile(`href="([^"]*)" data-testid="export"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no export link: %d", p.Status)
	}
	u, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil || u.Path != "/complaints/export.xlsx" || u.Query().Get("type") != "appeal" || u.Query().Get("channel") != "12345" || u.Query().Get("late") != "1" {
		t.Fatalf("export link %q loses the filters", m[1])
	}
	if !strings.Contains(p.Body, "导出表格") || strings.Contains(p.Body, ">XLSX<") {
		t.Error("the export button is not named in words")
	}
	if r := b.do("GET", u.String(), nil); r.Status != 200 {
		t.Fatalf("the export link answers %d", r.Status)
	}
	// The language switch stays on this page, filters and all.
	if !strings.Contains(p.Body, `name="next" value="/complaints?type=appeal&amp;channel=12345&amp;late=1"`) {
		t.Error("the language switch does not return to the filtered queue")
	}
	tok := csrfRe.FindStringSubmatch(p.Body)[1]
	if r := b.do("POST", "/lang/en", url.Values{"_csrf": {tok}, "next": {"/complaints?type=appeal&channel=12345&late=1"}}); r.Status != 303 || r.Header.Get("Location") != "/complaints?type=appeal&channel=12345&late=1" {
		t.Errorf("language switch: %d %q", r.Status, r.Header.Get("Location"))
	}
}

// "一键反映问题" from the verify page keeps the code through the login, and only roles that may
// file see it.
func TestVerifyReportKeepsTheCodeThroughLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	page := b.do("GET", "/v/nonsense", nil)
	m := regexp.MustCompile(`href="([^"]*)" data-testid="report"`).FindStringSubmatch(page.Body)
	if m == nil {
		t.Fatalf("a visitor sees no report link on an unknown code: %d", page.Status)
	}
	link := html.UnescapeString(m[1])
	r := b.do("GET", link, nil)
	loc := r.Header.Get("Location")
	lu, err := url.Parse(loc)
	if r.Status/100 != 3 || err != nil || lu.Path != "/login" || lu.Query().Get("next") != link {
		t.Fatalf("to the form as a visitor: %d %q, want next=%q", r.Status, loc, link)
	}
	login := b.do("GET", loc, nil)
	if !strings.Contains(login.Body, `name="next" value="`+html.EscapeString(link)+`"`) && !strings.Contains(login.Body, `name="next" value="`+strings.ReplaceAll(link, "&", "&amp;")+`"`) {
		t.Fatalf("the login form does not carry %q", link)
	}
	tok := csrfRe.FindStringSubmatch(login.Body)[1]
	r = b.do("POST", "/login", url.Values{"_csrf": {tok}, "username": {"ent-a"}, "password": {demoPassword}, "next": {lu.Query().Get("next")}})
	if r.Status != 303 || r.Header.Get("Location") != link {
		t.Fatalf("after login: %d %q, want %q", r.Status, r.Header.Get("Location"), link)
	}
	form := b.do("GET", link, nil)
	if form.Status != 200 || !strings.Contains(form.Body, `value="NONSENSE"`) && !strings.Contains(form.Body, `value="nonsense"`) {
		t.Fatalf("the form lost the code: %d", form.Status)
	}
	for _, u := range []string{"officer-scj", "liaison-lc", "provider-1", "admin"} {
		o := e.browser()
		o.login(u, demoPassword)
		if p := o.do("GET", "/v/nonsense", nil); strings.Contains(p.Body, `data-testid="report"`) {
			t.Errorf("%s is offered a report it cannot file", u)
		}
	}
	obs := e.browser()
	obs.login("obs-chamber", demoPassword)
	if p := obs.do("GET", "/v/nonsense", nil); !strings.Contains(p.Body, `data-testid="report"`) {
		t.Error("an observation point is not offered the report")
	}
}

// Opening a message in the inbox marks it read and follows its link; another user's message
// is not theirs to open.
func TestOpeningAMessageMarksItRead(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n := store.Notification{UserID: userID(t, e, "ent-a"), Kind: "test", Title: "一条消息", Body: "正文", Link: "/bookings", CreatedAt: e.clk.Now()}
	if err := e.st.CreateNotification(t.Context(), &n); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	b.login("ent-a", demoPassword)
	open := fmt.Sprintf("/inbox/%d", n.ID)
	if p := b.do("GET", "/inbox", nil); !strings.Contains(p.Body, `href="`+open+`"`) || !strings.Contains(p.Body, "未读") {
		t.Fatalf("the inbox does not lead through %s", open)
	}
	other := e.browser()
	other.login("ent-b", demoPassword)
	if r := other.do("GET", open, nil); r.Status != 404 {
		t.Fatalf("another user opens the message: %d", r.Status)
	}
	if r := b.do("GET", open, nil); r.Status != 303 || r.Header.Get("Location") != "/bookings" {
		t.Fatalf("open: %d %q", r.Status, r.Header.Get("Location"))
	}
	var got store.Notification
	if err := e.st.Gorm().First(&got, n.ID).Error; err != nil || got.ReadAt == nil {
		t.Fatalf("opened message not read: %v %+v", err, got)
	}
}

func userID(t *testing.T, e *env, name string) uint {
	t.Helper()
	u, err := e.st.UserByUsername(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// The provider's schedule page saved without a change keeps every time's capacity (09:00 for
// two, 14:00 for one), and a time's own capacity can be typed as 14:00×3.
func TestScheduleSavedUnchangedKeepsCapacities(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 14, 0, 0, 0, wz))
	rules := func() string {
		var rs []store.AvailabilityRule
		e.st.Gorm().Where("service_id = ?", sl.ServiceID).Order("weekday, start").Find(&rs)
		var out []string
		for _, r := range rs {
			out = append(out, fmt.Sprintf("%d %s %d", r.Weekday, r.Start, r.Capacity))
		}
		return strings.Join(out, "; ")
	}
	before := rules()
	b := e.browser()
	b.login("provider-1", demoPassword)
	page := b.do("GET", "/provider/schedule", nil).Body
	action := fmt.Sprintf(`action="/provider/schedule/%d"`, sl.ServiceID)
	i := strings.Index(page, action)
	if i < 0 {
		t.Fatal("no schedule form for the check-up")
	}
	form := page[i : i+strings.Index(page[i:], "</form>")]
	vals := url.Values{}
	for _, m := range regexp.MustCompile(`name="((?:times|cap)\d)" (?:type="number" min="1" max="500" )?value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		vals.Set(m[1], html.UnescapeString(m[2]))
	}
	if len(vals) != 14 {
		t.Fatalf("read %d fields from the form: %v", len(vals), vals)
	}
	if r := b.post(fmt.Sprintf("/provider/schedule/%d", sl.ServiceID), "/provider/schedule", vals); r.Status != 303 {
		t.Fatalf("save: %d", r.Status)
	}
	if after := rules(); after != before {
		t.Fatalf("saved unchanged, the week changed:\n%s\n%s", before, after)
	}
	vals.Set("times3", "09:00, 14:00×3")
	vals.Set("cap3", "2")
	b.post(fmt.Sprintf("/provider/schedule/%d", sl.ServiceID), "/provider/schedule", vals)
	if after := rules(); !strings.Contains(after, "3 09:00 2; 3 14:00 3") {
		t.Fatalf("a time's own capacity: %s", after)
	}
}

// A booking's page promises only the reminders still to come; 开始服务 is offered only near the
// start; a finished booking is no longer listed as upcoming.
func TestBookingPromisesAndTimes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent, prov := e.browser(), e.browser()
	ent.login("ent-a", demoPassword)
	prov.login("provider-1", demoPassword)
	book := func(sl store.Slot) string {
		t.Helper()
		link := fmt.Sprintf("/services/%d/book?slot=%d", sl.ServiceID, sl.ID)
		r := ent.post("/bookings", link, url.Values{"slot_id": {fmt.Sprint(sl.ID)}, "mode": {"online"}, "topic": {"合规"}})
		if r.Status != 303 {
			t.Fatalf("book: %d", r.Status)
		}
		return r.Header.Get("Location")
	}
	// Two days ahead: both reminders, and no start yet for the provider.
	far := book(slotOf(t, e, "checkup", time.Date(2026, 3, 4, 14, 0, 0, 0, wz)))
	if p := ent.do("GET", far, nil); !strings.Contains(p.Body, "开始前 1 个工作日和 2 小时会提醒您") {
		t.Fatal("a booking two days ahead does not promise both reminders")
	}
	id := strings.TrimSuffix(far, "?done=booked")
	if p := prov.do("GET", id, nil); p.Status != 200 || strings.Contains(p.Body, `data-testid="act-start"`) || strings.Contains(p.Body, `data-testid="act-no_show"`) {
		t.Fatalf("start or no-show offered two days early: %d", p.Status)
	}
	if r := prov.post(id+"/act", id, url.Values{"action": {"start"}}); r.Status != 409 {
		t.Fatalf("started two days early: %d", r.Status)
	}
	// Twenty minutes ahead: no reminder promised; the provider may start.
	e.clk.Set(time.Date(2026, 3, 6, 13, 40, 0, 0, wz))
	ent.login("ent-a", demoPassword) // the sessions of two days ago have lapsed
	prov.login("provider-1", demoPassword)
	soon := book(slotOf(t, e, "legal", time.Date(2026, 3, 6, 14, 0, 0, 0, wz)))
	p := ent.do("GET", soon, nil)
	if strings.Contains(p.Body, "1 个工作日") || strings.Contains(p.Body, "2 小时会提醒") || !strings.Contains(p.Body, "服务即将开始") {
		t.Fatal("a booking twenty minutes away promises reminders")
	}
	sid := strings.TrimSuffix(soon, "?done=booked")
	if p := prov.do("GET", sid, nil); !strings.Contains(p.Body, `data-testid="act-start"`) {
		t.Fatal("start not offered twenty minutes before")
	}
	if r := prov.post(sid+"/act", sid, url.Values{"action": {"start"}}); r.Status != 303 {
		t.Fatalf("start: %d", r.Status)
	}
	if r := prov.post(sid+"/complete", sid, url.Values{"findings": {"无"}, "advice": {"无"}}); r.Status != 303 {
		t.Fatalf("complete: %d", r.Status)
	}
	number := regexp.MustCompile(`<span class="code">([^<]+)</span>`).FindStringSubmatch(ent.do("GET", sid, nil).Body)
	if number == nil {
		t.Fatal("no booking number")
	}
	home := ent.do("GET", "/", nil).Body
	if i := strings.Index(home, `data-testid="upcoming"`); i >= 0 && strings.Contains(home[i:i+strings.Index(home[i:], "</ul>")], number[1]) {
		t.Fatalf("the finished booking %s is listed as upcoming", number[1])
	}
}

// The inspection's rating form shows what the enterprise rated, so changing it starts there.
func TestInspectionRatingFormKeepsTheRating(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 5)
	notice := e.clk.Now()
	code, out := e.api("POST", "/api/v1/inspections", e.token("officer-scj"), map[string]any{"external_id": "rate-1", "kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": notice.Format(time.RFC3339)})
	if code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	e.clk.Set(at.Add(3 * time.Hour))
	page := fmt.Sprintf("/inspections/%v", out["id"])
	b := e.browser()
	b.login("ent-a", demoPassword)
	if r := b.post(page+"/rate", page, url.Values{"score": {"2"}, "data_demanded": {"true"}, "credential_shown": {"true"}, "comment": {"要求重复提供材料"}}); r.Status != 303 {
		t.Fatalf("rate: %d", r.Status)
	}
	p := b.do("GET", page, nil).Body
	for _, want := range []string{`<option value="2" selected>`, `id="data_demanded" name="data_demanded" type="checkbox" value="true" checked`, `id="credential_shown" name="credential_shown" type="checkbox" value="true" checked`, `>要求重复提供材料</textarea>`, `data-testid="rated"`} {
		if !strings.Contains(p, want) {
			t.Errorf("the rating form lacks %q", want)
		}
	}
	for _, not := range []string{`id="code_shown" name="code_shown" type="checkbox" value="true" checked`, `<option value="5" selected>`} {
		if strings.Contains(p, not) {
			t.Errorf("the rating form shows %q, which was not rated", not)
		}
	}
}

// The front door: / for a visitor and /v show the code box, the 12345/12348 numbers, what the
// portal does and the published lists; a typed or scanned code goes to its page; an unknown or
// forged code's page says what to do next.
func TestFrontDoor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	for _, p := range []string{"/", "/v"} {
		r := b.do("GET", p, nil)
		for _, want := range []string{`data-testid="code-box"`, `<form method="get" action="/v"`, `name="code"`, "12348", "12345", `href="/lists"`, "核验行政检查码", "预约合规体检"} {
			if r.Status != 200 || !strings.Contains(r.Body, want) {
				t.Errorf("%s (%d) lacks %q", p, r.Status, want)
			}
		}
	}
	for typed, want := range map[string]string{"qj0000 0000-44abc": "/v/QJ0000000044ABC", "https://qijian.example/v/QJ00000000044XYZ": "/v/QJ00000000044XYZ", "nonsense": "/v/NONSENSE"} {
		if r := b.do("GET", "/v?code="+url.QueryEscape(typed), nil); r.Status != 303 || r.Header.Get("Location") != want {
			t.Errorf("code %q: %d %q, want %q", typed, r.Status, r.Header.Get("Location"), want)
		}
	}
	for _, code := range []string{"nonsense", "QJ00000000044CRN9M30ZHDZPN48"} {
		r := b.do("GET", "/v/"+code, nil)
		if r.Status != 404 || !strings.Contains(r.Body, `data-testid="next-steps"`) || !strings.Contains(r.Body, `href="tel:12348"`) || !strings.Contains(r.Body, `data-testid="report"`) {
			t.Errorf("code %s: %d, no next steps", code, r.Status)
		}
	}
	if r := b.do("GET", "/en-not-a-page", nil); r.Status != 404 {
		t.Errorf("unknown page: %d", r.Status)
	}
	logged := e.browser()
	logged.login("ent-a", demoPassword)
	if r := logged.do("GET", "/", nil); strings.Contains(r.Body, `data-testid="code-box"`) {
		t.Error("a logged-in enterprise's home is the visitors' front door")
	}
}

// Each role's home leads with its live numbers: the liaison's open, due today, overdue and at
// risk orders, the officer's too with the inspections coming up, the enterprise's notices to
// sign, inspections and bookings coming up and complaints in progress.
func TestHomesLeadWithLiveNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedEveryState(t, e)
	figRe := regexp.MustCompile(`data-testid="fig-(fig\.[a-z_]+)"><strong>(\d+)</strong>`)
	figures := func(user string) map[string]string {
		t.Helper()
		b := e.browser()
		b.login(user, demoPassword)
		out := map[string]string{}
		for _, m := range figRe.FindAllStringSubmatch(b.do("GET", "/", nil).Body, -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	_, q := e.api("GET", "/api/v1/complaints", e.token("liaison-lc"), nil)
	open := fmt.Sprint(len(q["items"].([]any)))
	if f := figures("liaison-lc"); f["fig.open"] != open || f["fig.overdue"] != "0" || f["fig.due_today"] == "" || f["fig.at_risk"] == "" {
		t.Errorf("liaison's figures %v, want %s open and none overdue", f, open)
	}
	if f := figures("ent-a"); f["fig.to_sign"] != "1" || f["fig.upcoming_inspections"] != "1" || f["fig.upcoming_bookings"] != "1" || f["fig.open_complaints"] != "3" { // its two and the clue its inspection raised
		t.Errorf("enterprise's figures %v", f)
	}
	if f := figures("officer-scj"); f["fig.upcoming_inspections"] != "1" || f["fig.open"] == "" {
		t.Errorf("officer's figures %v", f)
	}
	// A month later every deadline has passed: the liaison sees them overdue, and the
	// most urgent orders listed with their lateness in words.
	e.clk.Advance(30 * 24 * time.Hour)
	b := e.browser()
	b.login("liaison-lc", demoPassword)
	home := b.do("GET", "/", nil).Body
	f := map[string]string{}
	for _, m := range figRe.FindAllStringSubmatch(home, -1) {
		f[m[1]] = m[2]
	}
	if f["fig.overdue"] == "0" || f["fig.overdue"] == "" || !strings.Contains(home, `data-testid="next-orders"`) || !strings.Contains(home, "已超时") {
		t.Errorf("a month later the liaison's home shows %v", f)
	}
	if strings.Contains(home, "会按截止时间排列在这里") {
		t.Error("the liaison's home still says the orders will appear here")
	}
}
