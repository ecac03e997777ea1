package portal_test

import (
	"strings"
	"testing"
	"time"
)

// The order's page and API show each stage with its due time, the time it stood still while the
// order waited on the enterprise, the round a re-handling opened, and who did each step: the
// unit and the liaison's office by name.
func TestDeadlinesAndWhoOnPageAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path, page := fileAndDispatch(t, e)
	officer := e.token("officer-scj")
	for _, a := range []map[string]any{{"action": "sign"}, {"action": "request_info", "note": "请补充检查当日的照片"}} {
		if code, out := e.api("POST", path+"/actions", officer, a); code != 200 {
			t.Fatalf("%v: %d %v", a, code, out)
		}
	}
	e.clk.Advance(3 * time.Hour) // a working morning: the clocks stand still for it
	if code, out := e.api("POST", path+"/actions", e.token("ent-a"), map[string]any{"action": "supply_info", "note": "照片已上传"}); code != 200 {
		t.Fatalf("supply_info: %d %v", code, out)
	}
	liaison := e.token("liaison-lc")
	for _, a := range []map[string]any{{"action": "reply", "note": "已核查"}, {"action": "follow_up"}, {"action": "record_follow_up", "solved": "no", "satisfied": "no"}} {
		tok := liaison
		if a["action"] == "reply" {
			tok = e.token("officer-scj")
		}
		if code, out := e.api("POST", path+"/actions", tok, a); code != 200 {
			t.Fatalf("%v: %d %v", a, code, out)
		}
	}
	code, d := e.api("GET", path, liaison, nil)
	if code != 200 {
		t.Fatalf("detail: %d", code)
	}
	var rounds []float64
	paused := 0.0
	for _, x := range d["deadlines"].([]any) {
		m := x.(map[string]any)
		if m["stage"] == "reply" {
			rounds = append(rounds, m["round"].(float64))
			paused = max(paused, m["paused_minutes"].(float64))
		}
	}
	if len(rounds) != 2 || rounds[1] <= rounds[0] || paused <= 0 {
		t.Fatalf("reply stages: rounds %v, paused %v minutes; want a new round after re-handling and the pause counted", rounds, paused)
	}
	who := map[string]string{}
	for _, x := range d["timeline"].([]any) {
		m := x.(map[string]any)
		who[m["action"].(string)] = m["who"].(string)
	}
	if !strings.Contains(who["sign"], "市场监督管理局") || who["accept"] != "鹿城区司法局 监督联络员" || who["rehandle"] != "" {
		t.Fatalf("who acted, by the API: %v", who)
	}
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	body := li.do("GET", page, nil).Body
	for _, want := range []string{"暂停计时", "轮次 2", `data-testid="who">鹿城区司法局 监督联络员`, "市场监督管理局"} {
		if !strings.Contains(body, want) {
			t.Errorf("the order page lacks %q", want)
		}
	}
}
