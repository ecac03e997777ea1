package portal_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// fileByPage files a complaint as user and answers its page's path.
func fileByPage(t *testing.T, b *browser, form url.Values) string {
	t.Helper()
	r := b.post("/complaints", "/complaints/new", form)
	m := orderLoc.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != 303 || m == nil {
		t.Fatalf("file by page: %d %s", r.Status, r.Header.Get("Location"))
	}
	return "/complaints/" + m[1]
}

// assertSummary checks a page re-rendered in place after a bad form: 422, the error summary
// linking to each field, each field marked invalid with its message, and what was typed kept.
func assertSummary(t *testing.T, what string, r resp, fieldIDs []string, kept ...string) {
	t.Helper()
	if r.Status != 422 {
		t.Fatalf("%s: %d, want 422 with the page", what, r.Status)
	}
	if !strings.Contains(r.Body, `data-testid="error-summary"`) || strings.Contains(r.Body, "出错了") {
		t.Fatalf("%s: no error summary, or the bare error page", what)
	}
	for _, id := range fieldIDs {
		if !strings.Contains(r.Body, `<a href="#`+id+`">`) {
			t.Errorf("%s: the summary does not link to #%s", what, id)
		}
		if !regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*aria-invalid="true" aria-describedby="(?:[^"]* )?` + regexp.QuoteMeta(id) + `-error"`).MatchString(r.Body) {
			t.Errorf("%s: field #%s is not marked invalid", what, id)
		}
		if !strings.Contains(r.Body, `id="`+id+`-error"`) {
			t.Errorf("%s: field #%s has no message", what, id)
		}
	}
	for _, k := range kept {
		if !strings.Contains(r.Body, k) {
			t.Errorf("%s: what was typed (%q) is lost", what, k)
		}
	}
}

// An action form missing a field comes back as the order page with the summary, the field
// marked and the input kept, for each role's forms; nothing is applied.
func TestActionFormErrorsReRenderInPlace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	page := fileByPage(t, ent, url.Values{"type": {"conduct"}, "body_id": {"1"}, "description": {"检查期间要求停产整顿，影响生产"}})
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	li.post(page+"/act", page, url.Values{"action": {"accept"}})

	r := li.post(page+"/act", page, url.Values{"action": {"dispatch"}, "note": {"请尽快核实处理"}})
	assertSummary(t, "dispatch without a unit", r, []string{"dispatch-unit_id"}, "请尽快核实处理", "承办单位：")
	if !strings.Contains(r.Body, `s-accepted`) {
		t.Error("the failed dispatch moved the order")
	}
	r = li.post(page+"/act", page, url.Values{"action": {"escalate"}})
	assertSummary(t, "escalate without a reason", r, []string{"escalate-reason"})
	if r := li.post(page+"/act", page, url.Values{"action": {"dispatch"}, "unit_id": {"1"}}); r.Status != 303 {
		t.Fatalf("dispatch: %d", r.Status)
	}
	off := e.browser()
	off.login("officer-scj", demoPassword)
	r = off.post(page+"/act", page, url.Values{"action": {"return"}, "return_code": {"not_our_duty"}})
	assertSummary(t, "return without a reason", r, []string{"return-reason"}, `value="not_our_duty" selected`)
	off.post(page+"/act", page, url.Values{"action": {"sign"}})
	r = off.post(page+"/act", page, url.Values{"action": {"ask_extension"}, "reason": {"需要现场复核"}})
	assertSummary(t, "extension without a date", r, []string{"ask_extension-until"}, `value="需要现场复核"`)
	r = off.post(page+"/act", page, url.Values{"action": {"reply"}})
	assertSummary(t, "reply without text", r, []string{"reply-note"})
	off.post(page+"/act", page, url.Values{"action": {"reply"}, "note": {"已核实并整改"}})
	li.post(page+"/act", page, url.Values{"action": {"follow_up"}})
	r = ent.post(page+"/act", page, url.Values{"action": {"rate"}, "note": {"处理较快"}})
	assertSummary(t, "rating without a score", r, []string{"rate-rating"}, "处理较快")
	// English speaks too.
	ent.post("/lang/en", page, url.Values{"next": {page}})
	r = ent.post(page+"/act", page, url.Values{"action": {"rate"}})
	if r.Status != 422 || !strings.Contains(r.Body, "There is a problem") || !strings.Contains(r.Body, "This field is required") {
		t.Fatalf("English summary: %d", r.Status)
	}
	// The rating given is shown, and not offered again.
	if r := ent.post(page+"/act", page, url.Values{"action": {"rate"}, "rating": {"4"}}); r.Status != 303 {
		t.Fatalf("rate: %d", r.Status)
	}
	r = ent.do("GET", page, nil)
	if !strings.Contains(r.Body, `data-testid="rating-given"`) || strings.Contains(r.Body, `data-testid="rate-form"`) {
		t.Fatal("the rating is not shown, or offered again")
	}
	if r := ent.post(page+"/act", page, url.Values{"action": {"rate"}, "rating": {"1"}}); r.Status != 409 {
		t.Fatalf("rating twice: %d, want 409", r.Status)
	}
}

// Each role sees one small form per action it may take, with only that action's fields: an
// enterprise leaving a message sees a text box, never a unit picker or a liaison list.
func TestEachActionHasItsOwnSmallForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	page := fileByPage(t, ent, url.Values{"type": {"conduct"}, "body_id": {"1"}, "description": {"检查期间要求停产整顿，影响生产"}})
	forms := regexp.MustCompile(`(?s)<section class="card" data-testid="([a-z_-]+-form)">(.*?)</section>`)
	seen := func(b *browser) map[string]string {
		out := map[string]string{}
		for _, m := range forms.FindAllStringSubmatch(b.do("GET", page, nil).Body, -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	got := seen(ent)
	if got["message-form"] == "" || !strings.Contains(got["message-form"], `name="note"`) {
		t.Fatalf("the enterprise has no message form: %v", keys(got))
	}
	for name, body := range got {
		if strings.Contains(body, `name="unit_id"`) || strings.Contains(body, `name="assignee_id"`) {
			t.Errorf("the enterprise's %s offers a unit or a liaison", name)
		}
	}
	if strings.Contains(ent.do("GET", page, nil).Body, `data-testid="act-form"`) {
		t.Error("the catch-all action form is still there")
	}
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	li.post(page+"/act", page, url.Values{"action": {"accept"}})
	got = seen(li)
	want := map[string][]string{ // each form and the only fields it has
		"dispatch-form": {"unit_id", "note"},
		"escalate-form": {"reason"},
		"classify-form": {"type", "note"},
		"assign-form":   {"assignee_id"},
		"route-form":    {"channel", "reason"},
		"message-form":  {"note"},
	}
	fieldRe := regexp.MustCompile(`<(?:input|select|textarea)[^>]*name="([a-z_]+)"`)
	for name, fields := range want {
		body, ok := got[name]
		if !ok {
			t.Errorf("the liaison has no %s (has %v)", name, keys(got))
			continue
		}
		var names []string
		for _, m := range fieldRe.FindAllStringSubmatch(body, -1) {
			if m[1] != "_csrf" && m[1] != "action" {
				names = append(names, m[1])
			}
		}
		if strings.Join(names, ",") != strings.Join(fields, ",") {
			t.Errorf("%s has fields %v, want %v", name, names, fields)
		}
	}
	// Escalating asks once more, naming the next level; only the confirmation escalates.
	r := li.post(page+"/act", page, url.Values{"action": {"escalate"}, "reason": {"多次催办无果"}})
	if r.Status != 200 || !strings.Contains(r.Body, `data-testid="confirm-step"`) || !strings.Contains(r.Body, `value="多次催办无果"`) {
		t.Fatalf("escalate asks first: %d", r.Status)
	}
	if strings.Contains(li.do("GET", page, nil).Body, "督办升级</strong>") {
		t.Fatal("asking to escalate escalated")
	}
	if r := li.post(page+"/act", page, url.Values{"action": {"escalate"}, "reason": {"多次催办无果"}, "confirm": {"yes"}}); r.Status != 303 {
		t.Fatalf("escalate confirmed: %d", r.Status)
	}
	if b := li.do("GET", page, nil).Body; !strings.Contains(b, "督办升级</strong>") || !strings.Contains(b, "多次催办无果") {
		t.Fatal("the confirmed escalation is not in the timeline")
	}
}

// The order page shows where the complaint stands: an ordered list of the steps, the current
// one marked for assistive technology, each step reached dated.
func TestOrderProgressStepper(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	page := fileByPage(t, ent, url.Values{"type": {"conduct"}, "body_id": {"1"}, "description": {"检查期间要求停产整顿，影响生产"}})
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	li.post(page+"/act", page, url.Values{"action": {"accept"}})
	li.post(page+"/act", page, url.Values{"action": {"dispatch"}, "unit_id": {"1"}})
	b := ent.do("GET", page, nil).Body
	m := regexp.MustCompile(`(?s)<ol class="stepper" data-testid="progress">(.*?)</ol>`).FindStringSubmatch(b)
	if m == nil {
		t.Fatal("no progress stepper")
	}
	steps := regexp.MustCompile(`(?s)<li[^>]*>.*?</li>`).FindAllString(m[1], -1)
	if len(steps) != 7 {
		t.Fatalf("%d steps, want 7", len(steps))
	}
	for i, name := range []string{"提交", "受理", "派单", "办理", "答复", "回访", "办结"} {
		if !strings.Contains(steps[i], name) {
			t.Errorf("step %d is not %s: %s", i, name, steps[i])
		}
		dated := strings.Contains(steps[i], "<time")
		if (i <= 2) != dated {
			t.Errorf("step %s dated: %v", name, dated)
		}
	}
	if !strings.Contains(steps[2], `aria-current="step"`) || strings.Count(m[1], "aria-current") != 1 {
		t.Errorf("the current step is not 派单 alone: %s", m[1])
	}
}

// Naming an anonymous reporter starts with a page asking why; without a reason it comes back
// in place, nothing revealed; with one, the reason is in the timeline the staff read.
func TestRevealByPageAsksWhy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	page := fileByPage(t, ent, url.Values{"type": {"conduct"}, "body_id": {"1"}, "description": {"检查期间要求停产整顿，影响生产"}, "anonymous": {"true"}})
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	if b := li.do("GET", page, nil).Body; !strings.Contains(b, `href="`+page+`/reveal"`) {
		t.Fatal("no way to ask for a reveal on the order page")
	}
	if r := li.do("GET", page+"/reveal", nil); r.Status != 200 || !strings.Contains(r.Body, `data-testid="reveal-form"`) || !strings.Contains(r.Body, "记入") {
		t.Fatalf("the reveal page: %d", r.Status)
	}
	r := li.post(page+"/reveal", page+"/reveal", url.Values{"reason": {"   "}})
	assertSummary(t, "a reveal without a reason", r, []string{"reason"})
	if strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") {
		t.Fatal("a reveal without a reason named the reporter")
	}
	const why = "同一企业多次反映，核实是否为同一事项"
	r = li.post(page+"/reveal", page+"/reveal", url.Values{"reason": {why}})
	if r.Status != 200 || !strings.Contains(r.Body, "温州鹿城新锐鞋业有限公司") || !strings.Contains(between(r.Body, `data-testid="timeline"`, "</ol>"), why) {
		t.Fatalf("reveal with a reason: %d", r.Status)
	}
	off := e.browser()
	off.login("officer-scj", demoPassword)
	li.post(page+"/act", page, url.Values{"action": {"accept"}})
	li.post(page+"/act", page, url.Values{"action": {"dispatch"}, "unit_id": {"1"}})
	if b := off.do("GET", page, nil).Body; strings.Contains(b, why) || strings.Contains(b, "查看了匿名反映人身份") {
		t.Fatal("the reported unit learns of the reveal")
	}
	if r := off.do("GET", page+"/reveal", nil); r.Status != 403 {
		t.Fatalf("the unit's reveal page: %d, want 403", r.Status)
	}
}
