package portal_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"qijian/internal/demo"
)

func TestAlertByPageReachesTargetsOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off := e.browser()
	off.login("officer-scj", demoPassword)
	r := off.post("/alerts", "/alerts", url.Values{"title": {"鞋革企业消防风险提示"}, "body": {"请于月底前完成消防自查。"}, "industries": {"footwear"}})
	if r.Status != 303 {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	a := e.browser()
	a.login("ent-a", demoPassword) // footwear
	if p := a.do("GET", "/alerts", nil); !strings.Contains(p.Body, "鞋革企业消防风险提示") {
		t.Fatal("ent-a does not see an alert aimed at footwear")
	}
	b := e.browser()
	b.login("ent-b", demoPassword) // auto parts
	if p := b.do("GET", "/alerts", nil); strings.Contains(p.Body, "鞋革企业消防风险提示") {
		t.Fatal("ent-b sees an alert not aimed at it")
	}
	if code, out := e.api("POST", "/api/v1/alerts", e.token("officer-scj"), map[string]any{"title": "x", "body": "y", "industries": []string{"gossip"}}); code != 422 || fields(out) == nil {
		t.Fatalf("bad industry: %d %v", code, out)
	}
}

func TestAppointmentByPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	r := ent.post("/appointments", "/appointments", url.Values{"body_id": {"1"}, "topic": {"反映重复检查"}, "preferred_at": {"2026-03-10T15:00"}})
	if r.Status != 303 {
		t.Fatalf("request: %d %s", r.Status, r.Body)
	}
	loc := strings.TrimSuffix(r.Header.Get("Location"), "?done=1")
	off := e.browser()
	off.login("officer-scj", demoPassword)
	if r := off.post(loc+"/act", loc, url.Values{"action": {"accept"}, "place": {"3 楼会议室"}}); r.Status != 303 {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	p := ent.do("GET", loc, nil)
	if !strings.Contains(p.Body, "2026-03-10 15:00") || !strings.Contains(p.Body, "已安排") {
		t.Fatalf("enterprise sees the meeting: %d", p.Status)
	}
	other := e.browser()
	other.login("ent-b", demoPassword)
	if r := other.do("GET", loc, nil); r.Status != 404 {
		t.Fatalf("ent-b: %d", r.Status)
	}
}

func TestPublicListsAndThreeDocuments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off := e.browser()
	off.login("officer-scj", demoPassword)
	if r := off.post("/lists/1/penalties", "/lists/1", url.Values{"category": {"none"}, "title": {"首次轻微违法并及时改正"}, "basis": {"《行政处罚法》第三十三条"}, "published_on": {"2026-01-01"}}); r.Status != 303 {
		t.Fatalf("add entry: %d %s", r.Status, r.Body)
	}
	pub := e.browser().do("GET", "/lists/1", nil)
	if pub.Status != 200 || !strings.Contains(pub.Body, "首次轻微违法并及时改正") || !strings.Contains(pub.Body, "从重处罚") {
		t.Fatalf("public list: %d", pub.Status)
	}
	if code, _ := e.api("POST", "/api/v1/bodies/2/penalties", e.token("officer-scj"), map[string]any{"category": "none", "title": "x", "basis": "y", "published_on": "2026-01-01"}); code != 403 {
		t.Fatalf("another body's list: %d", code)
	}
	r := off.post("/documents", "/documents", url.Values{"enterprise_uscc": {demo.USCC("330302", 1)}, "decision": {"决定：警告"}, "advice": {"建议：建立台账"}, "credit_repair": {"可申请信用修复"}})
	if r.Status != 303 {
		t.Fatalf("documents: %d %s", r.Status, r.Body)
	}
	loc := r.Header.Get("Location")
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	page := ent.do("GET", loc, nil)
	links := regexp.MustCompile(`href="(/documents/[0-9]+/[a-z_]+\.txt)"`).FindAllStringSubmatch(page.Body, -1)
	if page.Status != 200 || len(links) != 3 {
		t.Fatalf("enterprise page: %d, %d attachments", page.Status, len(links))
	}
	f := ent.do("GET", links[0][1], nil)
	if f.Status != 200 || !strings.Contains(f.Body, "决定：警告") || !strings.Contains(f.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("attachment: %d %q", f.Status, f.Body)
	}
	for _, who := range []string{"ent-b", "liaison-lc"} {
		b := e.browser()
		b.login(who, demoPassword)
		if r := b.do("GET", links[0][1], nil); r.Status != 404 {
			t.Errorf("%s downloads another's document: %d", who, r.Status)
		}
	}
	if code, out := e.api("POST", "/api/v1/documents", e.token("officer-scj"), map[string]any{"enterprise_uscc": "123", "decision": "a", "advice": "b", "credit_repair": "c"}); code != 422 || fields(out)["enterprise_uscc"] == nil {
		t.Fatalf("bad code: %d %v", code, out)
	}
}

// The typed outreach routes answer what the OpenAPI document says (e.api checks every answer).
func TestOutreachAPIAnswersAsDocumented(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent, off := e.token("ent-a"), e.token("officer-scj")
	code, out := e.api("POST", "/api/v1/appointments", ent, map[string]any{"body_id": 1, "topic": "反映重复检查", "preferred_at": "2026-03-10T15:00"})
	if code != 201 || out["preferred_at"] == nil || out["meet_at"] != nil {
		t.Fatalf("request: %d %v", code, out)
	}
	id := fmt.Sprint(out["id"])
	if code, out := e.api("GET", "/api/v1/appointments", ent, nil); code != 200 || len(out["items"].([]any)) != 1 {
		t.Fatalf("list: %d %v", code, out)
	}
	if code, _ := e.api("GET", "/api/v1/appointments", e.token("admin"), nil); code != 403 {
		t.Fatalf("an admin has no list of its own: %d", code)
	}
	if code, out := e.api("POST", "/api/v1/appointments/"+id+"/actions", off, map[string]any{"action": "propose", "meet_at": "soon"}); code != 422 || fields(out)["meet_at"] == nil {
		t.Fatalf("a time that is none: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/appointments/"+id+"/actions", off, map[string]any{"action": "accept", "place": "3 楼会议室"}); code != 200 || out["status"] != "scheduled" || out["meet_at"] == nil {
		t.Fatalf("accept: %d %v", code, out)
	}
	if code, out := e.api("GET", "/api/v1/appointments/"+id, off, nil); code != 200 || out["place"] != "3 楼会议室" {
		t.Fatalf("read: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/alerts", off, map[string]any{"title": "鹿城区消防提示", "body": "请自查。", "counties": []string{"330302"}}); code != 201 || len(out["industries"].([]any)) != 0 || out["reached"] == float64(0) {
		t.Fatalf("publish: %d %v", code, out)
	}
	for who, want := range map[string]int{"ent-a": 1, "ent-b": 0, "admin": 1} {
		if code, out := e.api("GET", "/api/v1/alerts", e.token(who), nil); code != 200 || len(out["items"].([]any)) != want {
			t.Errorf("%s alerts: %d %v, want %d", who, code, out, want)
		}
	}
	if code, out := e.api("POST", "/api/v1/bodies/1/penalties", off, map[string]any{"category": "lighter", "title": "初次违法", "basis": "《行政处罚法》第三十二条", "published_on": "2026-01-01"}); code != 201 || out["category"] != "lighter" {
		t.Fatalf("add entry: %d %v", code, out)
	}
	if code, out := e.api("GET", "/api/v1/bodies/1/penalties", "", nil); code != 200 || len(out["items"].([]any)) != 1 {
		t.Fatalf("public list: %d %v", code, out)
	}
	if code, _ := e.api("GET", "/api/v1/bodies/999999/penalties", "", nil); code != 404 {
		t.Fatalf("the list of no body: %d", code)
	}
	code, out = e.api("POST", "/api/v1/documents", off, map[string]any{"enterprise_uscc": demo.USCC("330302", 1), "decision": "决定：警告", "advice": "建议", "credit_repair": "可修复"})
	if code != 201 || len(out["attachments"].([]any)) != 3 || out["read_at"] != nil {
		t.Fatalf("send: %d %v", code, out)
	}
	doc := fmt.Sprint(out["id"])
	if code, out := e.api("GET", "/api/v1/documents/"+doc, ent, nil); code != 200 || out["read_at"] == nil || out["decision"] != "决定：警告" {
		t.Fatalf("read: %d %v", code, out)
	}
}
