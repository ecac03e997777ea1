package portal_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/demo"
)

// The public verify page reads NOTICE-1 at its edges: on time (delivered on the latest day),
// late (saying what was required and when), not yet due (due by the date), lawfully withheld
// (with its basis); a merged planned task was carried out, not cancelled; a cancelled one says so.
func TestVerifyPageVerdicts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	off := e.token("officer-scj")
	sh := calendar.Location()
	// now: Monday 2026-03-02 17:00 in Wenzhou.
	reg := func(ext, kind string, at time.Time, delivered *time.Time, extra map[string]any) string {
		t.Helper()
		body := map[string]any{"external_id": ext, "kind": kind, "enterprise_id": 1, "body_ids": []int{1}, "item_ids": []int{1}, "inspector_ids": []int{1, 2},
			"scheduled_at": at.Format(time.RFC3339)}
		if delivered != nil {
			body["notice_delivered_at"] = delivered.Format(time.RFC3339)
		}
		for k, v := range extra {
			body[k] = v
		}
		code, out := e.api("POST", "/api/v1/inspections", off, body)
		if code != 201 {
			t.Fatalf("register %s: %d %v", ext, code, out)
		}
		return out["code"].(string)
	}
	now := e.clk.Now()
	planCode := reg("plan", "planned", time.Date(2026, 9, 8, 9, 0, 0, 0, sh), nil, nil)
	onTime := reg("thu", "triggered", time.Date(2026, 3, 5, 10, 0, 0, 0, sh), &now, nil)  // Thursday; latest day Monday 03-02
	late := reg("wed", "triggered", time.Date(2026, 3, 4, 10, 0, 0, 0, sh), &now, nil)    // Wednesday; latest day the adjusted working Saturday 02-28
	notYet := reg("next", "triggered", time.Date(2026, 3, 12, 10, 0, 0, 0, sh), nil, nil) // latest day Monday 03-09
	withheld := reg("wh", "triggered", time.Date(2026, 3, 3, 10, 0, 0, 0, sh), nil, map[string]any{"notice_withheld": true, "notice_withheld_basis": "《中华人民共和国安全生产法》第六十五条"})
	if code, out := e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1}, "scheduled_at": now.Format(time.RFC3339), "notice_withheld": true}); code != 422 || fields(out)["notice_withheld_basis"] == nil {
		t.Fatalf("withheld without a basis: %d %v", code, out)
	}
	b := e.browser()
	for _, tc := range []struct {
		code       string
		want, lack []string
	}{
		{onTime, []string{"按时送达", "2026-03-02 送达", "最迟应于 2026-03-02"}, []string{"逾期", "未按规定"}},
		{late, []string{"逾期送达", "2026-03-02 送达", "最迟应于 2026-02-28"}, []string{"按时送达"}},
		{notYet, []string{"尚未到期", "应于 2026-03-09 前"}, []string{"逾期", "未送达"}},
		{withheld, []string{"依法不予事先告知", "《中华人民共和国安全生产法》第六十五条"}, []string{"逾期", "按时送达"}},
		{planCode, []string{"合并实施", "并非撤销"}, []string{"此检查已撤销", "逾期"}},
	} {
		r := b.do("GET", "/v/"+tc.code, nil)
		for _, w := range tc.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s lacks %q: %s", tc.code, w, r.Body[strings.Index(r.Body, "<main"):])
			}
		}
		for _, w := range tc.lack {
			if strings.Contains(r.Body, w) {
				t.Errorf("%s says %q", tc.code, w)
			}
		}
	}
	// The latest day passes without a notice: not delivered, with the date it was due.
	e.clk.Set(time.Date(2026, 3, 10, 8, 0, 0, 0, sh))
	if r := b.do("GET", "/v/"+notYet, nil); !strings.Contains(r.Body, "未送达") || !strings.Contains(r.Body, "2026-03-09") {
		t.Error("a notice not delivered by its day is not shown as such")
	}
}

// Registering by page takes the notice's delivery time: Monday's delivery for a Thursday
// inspection is on time, and the public page says so.
func TestRegisterByPageWithDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("officer-scj", demoPassword)
	form := url.Values{"kind": {"triggered"}, "enterprise_uscc": {demo.USCC("330381", 2)}, "body_ids": {"1"}, "item_ids": {"1"}, "inspector_ids": {"1", "2"},
		"scheduled_at": {"2026-03-05T10:00"}, "notice_delivered_at": {"2026-03-02T16:00"}}
	id := locationID(t, b.post("/manage/inspections", "/manage/inspections/new", form), "/inspections/")
	in, err := e.st.InspectionByID(t.Context(), parseU(t, id))
	if err != nil || in.NoticeDeliveredAt == nil || !in.NoticeDeliveredAt.Equal(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("stored: %+v %v", in, err)
	}
	if c, _ := e.st.Clues(t.Context(), in.ID); len(c) != 0 {
		t.Fatalf("clues: %+v", c)
	}
	if r := e.browser().do("GET", "/v/"+in.Code, nil); !strings.Contains(r.Body, "按时送达") {
		t.Fatal("verify page does not say on time")
	}
	if r := b.do("GET", "/inspections/"+id, nil); !strings.Contains(r.Body, `data-testid="notice-verdict">按时送达：2026-03-02 送达，最迟应于 2026-03-02`) {
		t.Fatal("the inspection's own page does not give the verdict")
	}
	form.Set("notice_withheld", "true")
	form.Del("notice_delivered_at")
	if r := b.post("/manage/inspections", "/manage/inspections/new", form); r.Status != 422 || !strings.Contains(r.Body, `class="field bad"><label for="notice_withheld_basis"`) {
		t.Fatalf("withheld without basis by page: %d", r.Status)
	}
}

// The CSV import takes the withheld notice's basis and the approval record for a third
// inspection in optional trailing columns; the old header still works.
func TestImportWithApprovalColumns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent, _ := e.st.Enterprise(t.Context(), 2)
	head := "external_id,kind,enterprise_uscc,body_ids,item_ids,inspector_ids,scheduled_at,place,notice_delivered_at,notice_withheld,notice_withheld_basis,frequency_approver,frequency_approval_no,frequency_approved_on\n"
	csv := head +
		"a,joint," + ent.USCC + ",1,1,1;2,2026-03-20 09:30,,2026-03-10 10:00,,,,,\n" +
		"b,joint," + ent.USCC + ",1,1,1;2,2026-04-20 09:30,,2026-04-10 10:00,,,,,\n" +
		"c,joint," + ent.USCC + ",1,1,1;2,2026-05-20 09:30,,2026-05-10 10:00,,,温州市人民政府,温政办〔2026〕12号,2026-05-01\n" +
		"d,triggered," + ent.USCC + ",1,1,1;2,2026-05-21 09:30,,,是,,,,\n" + // withheld without its basis
		"e,triggered," + ent.USCC + ",1,1,1;2,2026-05-22 09:30,,,是,《中华人民共和国安全生产法》第六十五条,,,\n"
	req := httptest.NewRequest("POST", "/api/v1/inspections/import", strings.NewReader(csv))
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+e.token("officer-scj"))
	res, err := e.srv.App().Test(req, 20000)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Imported int
		Rows     []struct {
			Row    int
			OK     bool
			ID     uint64
			Errors map[string]string
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
		t.Fatalf("import: %d %v", res.StatusCode, err)
	}
	if out.Imported != 4 || out.Rows[3].OK || out.Rows[3].Errors["notice_withheld_basis"] == "" {
		t.Fatalf("rows: %+v", out.Rows)
	}
	third, _ := e.st.InspectionByID(t.Context(), out.Rows[2].ID)
	if third.FrequencyApprovalNo != "温政办〔2026〕12号" || third.FrequencyApprovedOn == nil {
		t.Fatalf("approval not stored: %+v", third)
	}
	if c, _ := e.st.Clues(t.Context(), third.ID); len(c) != 0 {
		t.Fatalf("the approved third raised %+v", c)
	}
	if w, _ := e.st.InspectionByID(t.Context(), out.Rows[4].ID); !w.NoticeWithheld || w.NoticeWithheldBasis == "" {
		t.Fatalf("withheld row: %+v", w)
	}
}

// GET /inspections/{id} carries NOTICE-1's verdict, the same the verify page shows.
func TestInspectionAPINoticeVerdict(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sh := calendar.Location()
	now := e.clk.Now()
	code, out := e.api("POST", "/api/v1/inspections", e.token("officer-scj"), map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1}, "item_ids": []int{1},
		"inspector_ids": []int{1, 2}, "scheduled_at": time.Date(2026, 3, 6, 10, 0, 0, 0, sh).Format(time.RFC3339), "notice_delivered_at": now.Format(time.RFC3339)})
	if code != 201 {
		t.Fatalf("register: %d %v", code, out)
	}
	code, got := e.api("GET", fmt.Sprintf("/api/v1/inspections/%v", out["id"]), e.token("ent-a"), nil)
	n, _ := got["notice"].(map[string]any)
	if code != 200 || n["state"] != "on_time" || n["latest_day"] != "2026-03-03" {
		t.Fatalf("detail: %d %v", code, got["notice"])
	}
}
