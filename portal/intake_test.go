package portal_test

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qijian/internal/demo"
)

var entAUSCC = demo.USCC("330302", 1)

func callBody(uscc, mobile string) map[string]any {
	return map[string]any{"uscc": uscc, "mobile": mobile, "type": "illegal_inspection", "reasons": []string{"NOTICE-1"}, "body_id": 1,
		"description": "来电反映：检查前未提前送达检查通知书"}
}

// The hotline operator records a call by API: 201 with the number to read back, a mismatch names
// the field and creates nothing, a repeat with the same Idempotency-Key answers the first order,
// and no other role may record calls.
func TestIntakeAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	op := e.token("operator-12345")
	if code, me := e.api("GET", "/api/v1/me", op, nil); code != 200 || me["role"] != "operator" {
		t.Fatalf("/me for the operator: %d %v", code, me)
	}
	orders := func() int64 {
		var n int64
		e.st.Gorm().Raw("SELECT COUNT(*) FROM work_orders").Scan(&n)
		return n
	}
	for _, c := range []struct {
		name, uscc, mobile, field string
	}{
		{"wrong mobile", entAUSCC, "13905770002", "mobile"},
		{"unknown credit code", demo.USCC("330302", 77), "13805770001", "uscc"},
		{"malformed credit code", "9133", "13805770001", "uscc"},
		{"malformed mobile", entAUSCC, "12345", "mobile"},
	} {
		code, out := e.api("POST", "/api/v1/intake/orders", op, callBody(c.uscc, c.mobile))
		if code != 422 || fields(out)[c.field] == nil {
			t.Errorf("%s: %d %v, want 422 naming %s", c.name, code, out, c.field)
		}
	}
	if n := orders(); n != 0 {
		t.Fatalf("%d orders after refused calls", n)
	}
	code, out := e.api("POST", "/api/v1/intake/orders", op, callBody(entAUSCC, "+86 138 0577 0001"), "Idempotency-Key", "call-7")
	if code != 201 || out["source"] != "phone" || out["enterprise"] != "温州鹿城新锐鞋业有限公司" || out["number"] == "" {
		t.Fatalf("take call: %d %v", code, out)
	}
	again, out2 := e.api("POST", "/api/v1/intake/orders", op, callBody(entAUSCC, "13805770001"), "Idempotency-Key", "call-7")
	if again != 201 || out2["number"] != out["number"] || orders() != 1 {
		t.Fatalf("repeat: %d %v, want the first order %v (orders %d)", again, out2, out["number"], orders())
	}
	for _, user := range []string{"ent-a", "liaison-lc", "admin", "obs-chamber", "officer-scj"} {
		if code, _ := e.api("POST", "/api/v1/intake/orders", e.token(user), callBody(entAUSCC, "13805770001")); code != 403 {
			t.Errorf("%s records a call: %d, want 403", user, code)
		}
	}
	// Shown as 电话 in the order's answer, to the operator and the queue's liaison alike.
	id := itoa(uint(out["id"].(float64)))
	for _, user := range []string{"operator-12345", "liaison-lc"} {
		code, d := e.api("GET", "/api/v1/complaints/"+id, e.token(user), nil)
		if code != 200 || d["source"] != "phone" {
			t.Errorf("%s reads the phone order: %d %v", user, code, d["source"])
		}
	}
}

// The call page: phone first, kept input and field errors on failure, a confirmation naming the
// number; then the operator sees the orders it took, as the queue shows every channel, and may
// act on none of them.
func TestIntakePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// Someone else's order, filed on the web.
	ent := e.token("ent-a")
	if code, out := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "appeal", "description": "网上提交的诉求，不是来电"}); code != 201 {
		t.Fatalf("web filing: %d %v", code, out)
	}
	b := e.browser()
	b.login("operator-12345", demoPassword)
	home := b.do("GET", "/", nil)
	if home.Status != 200 || !strings.Contains(home.Body, `href="/intake"`) || !strings.Contains(home.Body, "今日受理来电") {
		t.Fatalf("operator's home: %d", home.Status)
	}
	page := b.do("GET", "/intake", nil)
	if page.Status != 200 || !strings.Contains(page.Body, `name="uscc"`) || strings.Index(page.Body, `name="mobile"`) > strings.Index(page.Body, `name="description"`) {
		t.Fatalf("call page: %d", page.Status)
	}
	form := url.Values{"uscc": {entAUSCC}, "mobile": {"13905770002"}, "type": {"conduct"}, "description": {"执法人员态度粗暴，来电反映"}, "anonymous": {"true"}}
	r := b.post("/intake", "/intake", form)
	if r.Status != 422 || !strings.Contains(r.Body, "手机号与该企业登记的手机号不一致") || !strings.Contains(r.Body, `value="`+entAUSCC+`"`) ||
		!strings.Contains(r.Body, "执法人员态度粗暴，来电反映") || !strings.Contains(r.Body, `id="anonymous" name="anonymous" type="checkbox" value="true" checked`) {
		t.Fatalf("mismatched mobile: %d, want 422 with the field's message and the input kept\n%s", r.Status, r.Body)
	}
	form.Set("mobile", "138-0577-0001")
	r = b.post("/intake", "/intake", form)
	m := regexp.MustCompile(`data-testid="intake-number"><strong>([^<]+)</strong>`).FindStringSubmatch(r.Body)
	if r.Status != 200 || m == nil || strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") {
		t.Fatalf("confirmation: %d, want the number and no name of the anonymous caller\n%s", r.Status, r.Body)
	}
	number := m[1]
	// The operator's list holds its call only, named by the number read back, shown as 电话.
	list := b.do("GET", "/complaints", nil)
	if list.Status != 200 || !strings.Contains(list.Body, number) || strings.Count(list.Body, `<td class="num"`) != 1 || !strings.Contains(list.Body, "电话") {
		t.Fatalf("operator's list: %d\n%s", list.Status, list.Body)
	}
	link := regexp.MustCompile(`href="/complaints/(\d+)">` + regexp.QuoteMeta(number)).FindStringSubmatch(list.Body)
	if link == nil {
		t.Fatal("no link to the call's order")
	}
	o := b.do("GET", "/complaints/"+link[1], nil)
	if o.Status != 200 || !strings.Contains(o.Body, `data-testid="order-intake"`) || strings.Contains(o.Body, `data-testid="act-form"`) ||
		!strings.Contains(o.Body, "接线员 12345 话务员 李静") || strings.Contains(o.Body, "温州鹿城新锐鞋业有限公司") {
		t.Fatalf("operator's view of its call: %d\n%s", o.Status, o.Body)
	}
	if r := b.post("/complaints/"+link[1]+"/act", "/complaints/"+link[1], url.Values{"action": {"accept"}}); r.Status < 400 {
		t.Errorf("operator accepts an order: %d", r.Status)
	}
	if r := b.do("GET", "/complaints/export.xlsx", nil); r.Status != 403 {
		t.Errorf("operator exports: %d", r.Status)
	}
	// Through the API too: its list holds its call only; another's order is not there to open.
	op := e.token("operator-12345")
	code, out := e.api("GET", "/api/v1/complaints", op, nil)
	if items, _ := out["items"].([]any); code != 200 || len(items) != 1 {
		t.Fatalf("operator's API list: %d %v", code, out)
	}
	if code, _ := e.api("GET", "/api/v1/complaints/1", op, nil); code != 404 {
		t.Errorf("operator opens a web filing: %d, want 404", code)
	}
	if code, _ := e.api("POST", "/api/v1/complaints/"+link[1]+"/actions", op, map[string]any{"action": "message", "note": "补充"}); code < 400 {
		t.Errorf("operator acts by API: %d", code)
	}
	// The liaison's queue holds both channels, the call marked as such.
	lb := e.browser()
	lb.login("liaison-lc", demoPassword)
	q := lb.do("GET", "/complaints", nil)
	if strings.Count(q.Body, `<td class="num"`) != 2 || !strings.Contains(q.Body, "12345 · 电话") && !strings.Contains(q.Body, "12348 · 电话") {
		t.Fatalf("liaison's queue lacks a channel:\n%s", q.Body)
	}
	// And in its export, in the column of how each order came in.
	x := lb.do("GET", "/complaints/export.xlsx", nil)
	sheet, err := excelize.OpenReader(strings.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := sheet.GetRows("Sheet1")
	if err != nil || len(rows) != 3 {
		t.Fatalf("export: %d rows %v", len(rows), err)
	}
	var sources []string
	for _, r := range rows[1:] {
		sources = append(sources, r[len(r)-1])
	}
	if rows[0][len(rows[0])-1] != "受理方式" || !slices.Contains(sources, "电话") || !slices.Contains(sources, "网上（企业）") {
		t.Fatalf("export's intake column: %q %v", rows[0][len(rows[0])-1], sources)
	}
	// The operator's home counts its calls: today's by the Wenzhou day (17:00 there now; at 01:00
	// the next day, still the same day in UTC, none is today's), and those still open.
	figRe := regexp.MustCompile(`data-testid="fig-(fig\.[a-z_]+)"><strong>(\d+)</strong>`)
	figs := func() map[string]string {
		out := map[string]string{}
		h := e.browser() // a new session: the clock moves past the idle limit
		h.login("operator-12345", demoPassword)
		for _, m := range figRe.FindAllStringSubmatch(h.do("GET", "/", nil).Body, -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	if f := figs(); f["fig.calls_today"] != "1" || f["fig.calls_open"] != "1" {
		t.Errorf("operator's figures %v, want 1 today and 1 open", f)
	}
	e.clk.Advance(8 * time.Hour)
	if f := figs(); f["fig.calls_today"] != "0" || f["fig.calls_open"] != "1" {
		t.Errorf("operator's figures the next Wenzhou day %v, want 0 today and 1 open", f)
	}
	// Other roles have no call page.
	eb := e.browser()
	eb.login("ent-a", demoPassword)
	if r := eb.do("GET", "/intake", nil); r.Status != 403 {
		t.Errorf("an enterprise opens the call page: %d", r.Status)
	}
}

// Admins create operators on the users page.
func TestAdminCreatesAnOperator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("admin", demoPassword)
	if r := b.do("GET", "/admin/users/new", nil); !strings.Contains(r.Body, `value="operator"`) {
		t.Fatal("the users page offers no operator role")
	}
	r := b.post("/admin/users", "/admin/users/new", url.Values{"username": {"operator-12348"}, "password": {"a-long-password"}, "role": {"operator"}, "display_name": {"12348 话务员"}})
	if r.Status != 303 {
		t.Fatalf("create operator: %d\n%s", r.Status, r.Body)
	}
	o := e.browser()
	o.login("operator-12348", "a-long-password")
	if r := o.do("GET", "/intake", nil); r.Status != 200 {
		t.Fatalf("the new operator's call page: %d", r.Status)
	}
}
