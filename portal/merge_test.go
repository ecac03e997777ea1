package portal_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"qijian/internal/account"
)

// newOfficer adds an officer login of body with the demo password.
func (e *env) newOfficer(name string, body uint) {
	e.t.Helper()
	hash, err := account.HashPassword(demoPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	b := body
	now := e.clk.Now()
	if err := e.st.CreateUser(context.Background(), &account.User{Username: name, Role: account.RoleOfficer, DisplayName: name, BodyID: &b, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}); err != nil {
		e.t.Fatal(err)
	}
}

// Two orders of one enterprise: the liaison's page suggests the other as a duplicate with its two
// merge buttons; merging by the page closes the duplicate as merged, whose page names the main
// order; the API shows both sides; the split form takes it out again.
func TestMergeAndSplitByPageAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mainPath, mainPage := fileAndDispatch(t, e)
	filing := map[string]any{"type": "conduct", "description": "同一次检查中检查人员干扰正常生产"}
	code, dup := e.api("POST", "/api/v1/complaints", e.token("ent-a"), filing)
	if code != 201 {
		t.Fatalf("file: %d %v", code, dup)
	}
	dupID := fmt.Sprintf("%.0f", dup["id"])
	dupPage, dupPath := "/complaints/"+dupID, "/api/v1/complaints/"+dupID
	liaison := e.token("liaison-lc")
	_, d := e.api("GET", dupPath, liaison, nil)
	parts, _ := d["parts"].(map[string]any)
	if !strings.Contains(fmt.Sprint(parts["duplicates"]), "same_enterprise:true") || parts["merge_window_days"] != float64(30) {
		t.Fatalf("the API's suggestions: %v", parts)
	}
	if _, d := e.api("GET", dupPath, e.token("ent-a"), nil); fmt.Sprint(d["parts"].(map[string]any)["duplicates"]) != "[]" {
		t.Fatalf("the enterprise is shown duplicates: %v", d["parts"])
	}
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	r := li.do("GET", dupPage, nil)
	if !strings.Contains(r.Body, `data-testid="duplicates"`) || !strings.Contains(r.Body, "同一企业") || !strings.Contains(r.Body, `name="main_id"`) {
		t.Fatal("the liaison's page lacks the duplicate suggestions")
	}
	mainID := strings.TrimPrefix(mainPage, "/complaints/")
	if r := li.post(dupPage+"/act", dupPage, url.Values{"action": {"merge"}, "main_id": {mainID}}); r.Status != 303 {
		t.Fatalf("merge by page: %d", r.Status)
	}
	r = li.do("GET", dupPage, nil)
	if !strings.Contains(r.Body, `data-testid="merged-into"`) || !strings.Contains(r.Body, `href="`+mainPage+`"`) || !strings.Contains(r.Body, "已合并") || !strings.Contains(r.Body, `data-testid="split-form"`) {
		t.Fatal("the merged order's page does not name its main order, or offers no split")
	}
	_, m := e.api("GET", mainPath, liaison, nil)
	if mp := m["parts"].(map[string]any); mp["merged_count"] != float64(1) || !strings.Contains(fmt.Sprint(mp["merged"]), "status:merged") {
		t.Fatalf("the main order by API: %v", mp)
	}
	if r := li.do("GET", mainPage, nil); !strings.Contains(r.Body, `data-testid="merged-orders"`) {
		t.Fatal("the main order's page does not list what was merged into it")
	}
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	if r := ent.do("GET", dupPage, nil); !strings.Contains(r.Body, "本工单已并入") {
		t.Fatal("the filer's page does not say its order was merged")
	}
	if r := li.post(dupPage+"/act", dupPage, url.Values{"action": {"split"}}); r.Status != 422 {
		t.Fatalf("split without a reason: %d", r.Status)
	}
	if r := li.post(dupPage+"/act", dupPage, url.Values{"action": {"split"}, "reason": {"并非同一事项"}}); r.Status != 303 {
		t.Fatalf("split by page: %d", r.Status)
	}
	if _, d := e.api("GET", dupPath, liaison, nil); d["status"] != "accepted" || d["parts"].(map[string]any)["merged_into"] != nil {
		t.Fatalf("after the split: %v %v", d["status"], d["parts"])
	}
}

// The liaison adds a co-handler by the page's form; the co-handler's officer lists the order,
// sees only its part's form, submits it by the page; the lead's reply is refused (409) until then;
// the API shows the co-handlers and their deadline; an unrelated officer gets 404.
func TestCohandlerFormsAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path, page := fileAndDispatch(t, e)
	e.newOfficer("officer-sthj", 2)
	e.newOfficer("officer-yjj", 3)
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	if r := li.do("GET", page, nil); !strings.Contains(r.Body, `data-testid="add-cohandler-form"`) {
		t.Fatal("the liaison's page has no form to add a co-handler")
	}
	until := e.clk.Now().Add(7 * 24 * time.Hour).Format("2006-01-02")
	if r := li.post(page+"/act", page, url.Values{"action": {"add_cohandler"}, "unit_id": {"2"}, "until": {until}}); r.Status != 303 {
		t.Fatalf("add by page: %d", r.Status)
	}
	co, other, lead := e.token("officer-sthj"), e.token("officer-yjj"), e.token("officer-scj")
	if code, _ := e.api("GET", path, other, nil); code != 404 {
		t.Fatalf("an unrelated officer reads the order: %d", code)
	}
	code, d := e.api("GET", path, co, nil)
	if code != 200 || fmt.Sprint(d["allowed_actions"]) != "[cohandler_reply]" || !strings.Contains(fmt.Sprint(d["deadlines"]), "stage:cohandle") || !strings.Contains(fmt.Sprint(d["deadlines"]), "unit_id:2") {
		t.Fatalf("the co-handler's API view: %d %v %v", code, d["allowed_actions"], d["deadlines"])
	}
	if _, list := e.api("GET", "/api/v1/complaints", co, nil); !strings.Contains(fmt.Sprint(list), d["number"].(string)) {
		t.Fatal("the co-handler's list lacks the order")
	}
	if code, _ := e.api("POST", path+"/actions", co, map[string]any{"action": "message", "note": "x"}); code != 409 {
		t.Fatalf("the co-handler messages: %d, want 409", code)
	}
	if code, _ := e.api("POST", path+"/actions", lead, map[string]any{"action": "reply", "note": "答复"}); code != 409 {
		t.Fatalf("the lead replies before the part: %d, want 409", code)
	}
	ob := e.browser()
	ob.login("officer-sthj", demoPassword)
	r := ob.do("GET", page, nil)
	if r.Status != 200 || !strings.Contains(r.Body, `data-testid="cohandler-reply-form"`) || strings.Contains(r.Body, `data-testid="act-form"`) && !strings.Contains(r.Body, "提交协办意见") {
		t.Fatalf("the co-handler's page: %d", r.Status)
	}
	if r := ob.post(page+"/act", page, url.Values{"action": {"cohandler_reply"}, "note": {"已核实环评手续"}}); r.Status != 303 {
		t.Fatalf("part by page: %d", r.Status)
	}
	_, d = e.api("GET", path, lead, nil)
	if p := d["parts"].(map[string]any); p["co_pending"] != false || !strings.Contains(fmt.Sprint(p["co_handlers"]), "已核实环评手续") {
		t.Fatalf("the lead's API view of the parts: %v", p)
	}
	if code, out := e.api("POST", path+"/actions", lead, map[string]any{"action": "reply", "note": "答复"}); code != 200 {
		t.Fatalf("the lead's reply with every part in: %d %v", code, out)
	}
	if _, d := e.api("GET", path, e.token("ent-a"), nil); strings.Contains(fmt.Sprint(d), "已核实环评手续") {
		t.Fatal("the enterprise reads the co-handler's part")
	}
}
