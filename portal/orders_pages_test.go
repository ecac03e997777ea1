package portal_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var orderLoc = regexp.MustCompile(`^/complaints/(\d+)(?:\?filed=1)?$`)

func TestComplaintJourneyByPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	// A bad filing comes back with the field named and nothing filed.
	r := ent.post("/complaints", "/complaints/new", url.Values{"type": {"illegal_inspection"}, "description": {"短"}})
	if r.Status != 422 || !strings.Contains(r.Body, "太短") {
		t.Fatalf("short description: %d", r.Status)
	}
	r = ent.post("/complaints", "/complaints/new", url.Values{"type": {"illegal_inspection"}, "reasons": {"NOTICE-1", "CODE-1"}, "body_id": {"1"},
		"description": {"检查人员未亮码，也未提前三个工作日通知"}, "anonymous": {"true"}})
	m := orderLoc.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != 303 || m == nil {
		t.Fatalf("file by page: %d %s", r.Status, r.Header.Get("Location"))
	}
	page := "/complaints/" + m[1]
	if r := ent.do("GET", page, nil); r.Status != 200 || !strings.Contains(r.Body, "已提交") || !strings.Contains(r.Body, "检查前未按时送达通知书") {
		t.Fatalf("enterprise's order page: %d", r.Status)
	}
	if r := e.browser(); true {
		r.login("ent-b", demoPassword)
		if got := r.do("GET", page, nil); got.Status != 404 {
			t.Fatalf("another enterprise opens it: %d", got.Status)
		}
	}
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	if r := li.do("GET", "/complaints", nil); !strings.Contains(r.Body, "匿名") || strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") || !regexp.MustCompile(`class="due"[^>]*>(还剩|今天|明天|\d+月\d+日)`).MatchString(r.Body) {
		t.Fatal("liaison queue lacks the order or its countdown")
	}
	for _, step := range []url.Values{{"action": {"accept"}}, {"action": {"dispatch"}, "unit_id": {"1"}}} {
		if r := li.post(page+"/act", page, step); r.Status != 303 {
			t.Fatalf("%v: %d", step, r.Status)
		}
	}
	if r := li.post(page+"/reveal", page+"/reveal", url.Values{"reason": {"核实是否重复反映"}}); r.Status != 200 || !strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") {
		t.Fatalf("liaison reveal by page: %d", r.Status)
	}
	if r := li.do("GET", page, nil); strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") {
		t.Fatal("a reveal stuck beyond its one page")
	}
	off := e.browser()
	off.login("officer-scj", demoPassword)
	r = off.do("GET", page, nil)
	if r.Status != 200 || strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") || !strings.Contains(r.Body, "匿名") {
		t.Fatalf("officer's view of an anonymous order: %d", r.Status)
	}
	if r := off.do("GET", "/complaints", nil); strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") {
		t.Fatal("officer's list names the anonymous reporter")
	}
	if r := off.post(page+"/act", page, url.Values{"action": {"reply"}, "note": {"已约谈检查人员并整改"}}); r.Status != 303 {
		t.Fatalf("officer reply: %d", r.Status)
	}
	li.post(page+"/act", page, url.Values{"action": {"follow_up"}})
	ent.post(page+"/act", page, url.Values{"action": {"rate"}, "rating": {"5"}})
	if r := li.post(page+"/act", page, url.Values{"action": {"close"}}); r.Status != 409 {
		t.Fatalf("close before the follow-up's answer: %d, want 409", r.Status)
	}
	if r := li.post(page+"/act", page, url.Values{"action": {"record_follow_up"}, "solved": {"yes"}, "satisfied": {"yes"}}); r.Status != 303 {
		t.Fatalf("record the follow-up: %d", r.Status)
	}
	// Closing cannot be undone: the page asks once more, and only the confirmation closes.
	if r := li.post(page+"/act", page, url.Values{"action": {"close"}}); r.Status != 200 || !strings.Contains(r.Body, `data-testid="confirm-step"`) || !strings.Contains(r.Body, `name="confirm" value="yes"`) {
		t.Fatalf("close asks first: %d", r.Status)
	}
	if r := li.do("GET", page, nil); !strings.Contains(r.Body, `data-testid="order-status">回访`) && !strings.Contains(r.Body, "s-follow_up") {
		t.Fatal("asking to close closed the order")
	}
	if r := li.post(page+"/act", page, url.Values{"action": {"close"}, "confirm": {"yes"}}); r.Status != 303 {
		t.Fatalf("close: %d", r.Status)
	}
	r = ent.do("GET", page, nil)
	for _, want := range []string{"已办结", "已约谈检查人员并整改", "受理", "派单", "答复", "评价"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("closed order's page lacks %q", want)
		}
	}
	// Late filter: a fresh order is late once its accept deadline has passed.
	if r := ent.post("/complaints", "/complaints/new", url.Values{"type": {"conduct"}, "description": {"检查期间要求停产"}}); r.Status != 303 {
		t.Fatalf("second filing: %d", r.Status)
	}
	if r := li.do("GET", "/complaints?late=1", nil); strings.Contains(r.Body, ">执法作风问题</td>") {
		t.Fatal("a fresh order is listed as late")
	}
	e.clk.Advance(24 * time.Hour) // filed at 17:00 Wenzhou time: accept was due 10:00 next morning
	li = e.browser()              // the old session idled out
	li.login("liaison-lc", demoPassword)
	if r := li.do("GET", "/complaints?late=1", nil); !strings.Contains(r.Body, ">执法作风问题</td>") || !strings.Contains(r.Body, "已超时") {
		t.Fatal("an order past its accept deadline is not listed as late")
	}
}

func TestQueueExportFollowsTheFilterAndScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, u := range []string{"ent-a", "ent-b"} {
		b := e.browser()
		b.login(u, demoPassword)
		for _, typ := range []string{"conduct", "appeal"} {
			if r := b.post("/complaints", "/complaints/new", url.Values{"type": {typ}, "description": {"=HYPERLINK(\"x\") 说明文字"}}); r.Status != 303 {
				t.Fatalf("%s files %s: %d", u, typ, r.Status)
			}
		}
	}
	rows := func(user, query string) [][]string {
		b := e.browser()
		b.login(user, demoPassword)
		r := b.do("GET", "/complaints/export.xlsx?"+query, nil)
		if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("%s export: %d %s", user, r.Status, r.Header.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		all, err := x.GetRows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		return all[1:]
	}
	if got := rows("liaison-city", ""); len(got) != 4 {
		t.Fatalf("city liaison exports %d rows, want 4", len(got))
	}
	lc := rows("liaison-lc", "")
	if len(lc) != 2 || lc[0][5] != "鹿城区" || lc[0][4] != "正常" {
		t.Fatalf("the export shows county %q and level %q, want names", lc[0][5], lc[0][4])
	}
	if len(lc) != 2 || lc[0][6] != "温州鹿城新锐鞋业有限公司" {
		t.Fatalf("county liaison exports %v, want ent-a's 2 orders", lc)
	}
	if got := rows("liaison-city", "type=appeal&channel=12345"); len(got) != 2 || got[0][1] != "诉求" {
		t.Fatalf("filtered export: %v", got)
	}
	b := e.browser()
	b.login("ent-a", demoPassword)
	if r := b.do("GET", "/complaints/export.xlsx", nil); r.Status != 403 {
		t.Fatalf("an enterprise exports: %d", r.Status)
	}
}

func TestLiaisonReroutesAndBulkAssigns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	var pages []string
	for i := 0; i < 3; i++ {
		r := ent.post("/complaints", "/complaints/new", url.Values{"type": {"appeal"}, "description": {"希望简化审批流程"}})
		pages = append(pages, strings.TrimSuffix(r.Header.Get("Location"), "?filed=1")) // the confirmation view of the order
	}
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	// A route override needs a reason; with one, the channel changes and the timeline says why.
	if r := li.post(pages[0]+"/act", pages[0], url.Values{"action": {"route"}, "channel": {"12348"}}); r.Status != 422 {
		t.Fatalf("reroute without a reason: %d", r.Status)
	}
	if r := li.post(pages[0]+"/act", pages[0], url.Values{"action": {"route"}, "channel": {"12348"}, "reason": {"涉及执法行为"}}); r.Status != 303 {
		t.Fatalf("reroute: %d", r.Status)
	}
	if r := li.do("GET", pages[0], nil); !strings.Contains(r.Body, "12345 → 12348: 涉及执法行为") {
		t.Fatal("the timeline does not record the override and its reason")
	}
	// Bulk assign to the city liaison; an id from nowhere is skipped, not an error.
	city, _ := e.st.UserByUsername(t.Context(), "liaison-city")
	form := url.Values{"assignee_id": {itoa(city.ID)}}
	for _, p := range pages {
		form.Add("ids", strings.TrimPrefix(p, "/complaints/"))
	}
	form.Add("ids", "99999")
	r := li.post("/complaints/assign", "/complaints", form)
	if r.Status != 303 || r.Header.Get("Location") != "/complaints?assigned=3" {
		t.Fatalf("bulk assign: %d %s", r.Status, r.Header.Get("Location"))
	}
	// An enterprise cannot be made the assignee.
	entUser, _ := e.st.UserByUsername(t.Context(), "ent-a")
	if r := li.post("/complaints/assign", "/complaints", url.Values{"assignee_id": {itoa(entUser.ID)}, "ids": {strings.TrimPrefix(pages[0], "/complaints/")}}); r.Status != 422 {
		t.Fatalf("assigning to an enterprise: %d", r.Status)
	}
}

func TestObservationPointSeesMonthlyFigures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	obs := e.browser()
	obs.login("obs-chamber", demoPassword)
	for i := 0; i < 2; i++ {
		if r := obs.post("/complaints", "/complaints/new", url.Values{"type": {"conduct"}, "description": {"检查时要求停产整顿"}, "enterprise_id": {"1"}, "consent": {"true"}}); r.Status != 303 {
			t.Fatalf("filing for a member: %d", r.Status)
		}
	}
	if r := obs.post("/complaints", "/complaints/new", url.Values{"type": {"conduct"}, "description": {"检查时要求停产整顿"}, "enterprise_id": {"1"}}); r.Status != 422 || !strings.Contains(r.Body, "须经成员企业同意") {
		t.Fatalf("filing without consent: %d", r.Status)
	}
	r := obs.do("GET", "/", nil)
	if !strings.Contains(r.Body, `data-testid="member-figures"`) || !strings.Contains(r.Body, "<td>温州鹿城新锐鞋业有限公司</td><td>2</td><td>2</td><td>0</td>") {
		t.Fatal("the observation point's home lacks this month's figures for its member")
	}
	if r := obs.do("GET", "/complaints", nil); strings.Count(r.Body, "执法作风问题</td>") != 2 {
		t.Fatal("the observation point does not list what it filed")
	}
}
