package portal_test

import (
	"net/url"
	"strings"
	"testing"

	"qijian/internal/demo"
)

// AREA-1 by API and page: the record is four fields; part of it is refused on the missing field.
func TestCrossAreaApprovalByAPIAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token("admin")
	body := map[string]any{"kind": "triggered", "enterprise_id": 2, "body_ids": []int{4}, "item_ids": []int{4}, "inspector_ids": []int{4},
		"scheduled_at": "2026-03-12T09:00:00+08:00", "cross_area_approver": "温州市人民政府", "cross_area_doc_no": "温政办〔2026〕1号"}
	if code, out := e.api("POST", "/api/v1/inspections", admin, body); code != 422 || fields(out)["cross_area_approved_on"] == nil {
		t.Fatalf("part of the record: %d %v", code, out)
	}
	body["cross_area_approved_on"], body["cross_area_notified_on"] = "2026-03-10T00:00:00+08:00", "2026-03-11T00:00:00+08:00"
	if code, out := e.api("POST", "/api/v1/inspections", admin, body); code != 201 {
		t.Fatalf("the whole record: %d %v", code, out)
	}
	b := e.browser()
	b.login("admin", demoPassword)
	r := b.post("/manage/inspections", "/manage/inspections/new", url.Values{"kind": {"triggered"}, "enterprise_uscc": {demo.USCC("330381", 2)}, "body_ids": {"4"}, "item_ids": {"4"},
		"inspector_ids": {"4"}, "scheduled_at": {"2026-03-12T09:00"}, "cross_area_approver": {"温州市人民政府"}})
	if r.Status == 303 || !strings.Contains(r.Body, `field bad"><label for="cross_area_doc_no"`) {
		t.Fatalf("page with part of the record: %d", r.Status)
	}
}
