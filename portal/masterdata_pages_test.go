package portal_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"qijian/internal/store"
	"slices"
	"strings"
	"testing"
	"time"

	"qijian/internal/demo"
)

// multipart posts a form with an optional file, with the browser's cookies and a CSRF token.
func (b *browser) multipart(path, csrfFrom string, fields map[string]string, file []byte) resp {
	b.e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", b.csrf(csrfFrom))
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if file != nil {
		fw, _ := w.CreateFormFile("file", "scan.pdf") // the name lies; the content decides
		_, _ = fw.Write(file)
	}
	_ = w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := b.e.srv.App().Test(req, 10000)
	if err != nil {
		b.e.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Body: string(raw), Header: res.Header}
}

func smallPNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (e *env) rowCounts(t *testing.T) string {
	var out []string
	for _, tbl := range []string{"inspectors", "inspection_items", "inspection_plans", "inspections", "inspection_records"} {
		var n int64
		if err := e.st.DB(t.Context()).Table(tbl).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", tbl, n))
	}
	return strings.Join(out, " ")
}

// An officer keeps its own body's inspectors (SUBJ-2), item list (LIST-1) and plans (PLAN-1) by
// page: named field errors, Chinese first and English on request, and the changes listed.
func TestOfficerManagesMasterDataByPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("officer-scj", demoPassword)
	home := b.do("GET", "/", nil)
	if !strings.Contains(home.Body, `href="/manage/masterdata"`) || !strings.Contains(home.Body, `href="/manage/inspections/new"`) {
		t.Fatal("officer home links neither master data nor registration")
	}
	r := b.do("GET", "/manage/masterdata", nil)
	if r.Status != 200 || !strings.Contains(r.Body, "温州市市场监督管理局") || !strings.Contains(r.Body, "浙A33030012345") || !strings.Contains(r.Body, "食品经营许可情况检查") || !strings.Contains(r.Body, "2026") {
		t.Fatalf("master data page: %d", r.Status)
	}
	if r := b.do("GET", "/manage/bodies/1/inspector", nil); r.Status != 200 || !strings.Contains(r.Body, `name="_csrf"`) || !strings.Contains(r.Body, `action="/manage/bodies/1/inspector"`) {
		t.Fatalf("inspector form: %d", r.Status)
	}
	// Without the CSRF token nothing is saved.
	before := e.rowCounts(t)
	if r := b.do("POST", "/manage/bodies/1/inspector", url.Values{"body_id": {"1"}, "name": {"孙丽"}, "credential_no": {"X"}, "valid_from": {"2026-01-01"}, "valid_to": {"2029-01-01"}, "staff": {"on_post"}}); r.Status != 403 {
		t.Fatalf("no CSRF token: %d", r.Status)
	}
	r = b.post("/manage/bodies/1/inspector", "/manage/bodies/1/inspector", url.Values{"body_id": {"1"}, "name": {""}, "valid_from": {"2026-01-01"}, "valid_to": {"2029-13-01"}, "staff": {"on_post"}})
	if r.Status != 422 || !strings.Contains(r.Body, "此项必填") || !strings.Contains(r.Body, `class="field bad"><label for="valid_to"`) {
		t.Fatalf("bad inspector: %d", r.Status)
	}
	r = b.post("/manage/bodies/1/inspector", "/manage/bodies/1/inspector", url.Values{"body_id": {"1"}, "name": {"孙丽"}, "credential_no": {"浙A33030012999"}, "valid_from": {"2026-01-01"}, "valid_to": {"2026-01-01"}, "staff": {"on_post"}, "active": {"true"}})
	if r.Status != 422 || !strings.Contains(r.Body, `class="field bad"><label for="valid_to"`) || !strings.Contains(r.Body, "孙丽") {
		t.Fatalf("credential ending as it starts: %d", r.Status)
	}
	if got := e.rowCounts(t); got != before {
		t.Fatalf("refused forms changed rows: %s -> %s", before, got)
	}
	r = b.post("/manage/bodies/1/inspector", "/manage/bodies/1/inspector", url.Values{"body_id": {"1"}, "name": {"孙丽"}, "credential_no": {"浙A33030012999"}, "valid_from": {"2026-01-01"}, "valid_to": {"2029-01-01"}, "staff": {"on_post"}, "active": {"true"}})
	if r.Status != 303 || r.Header.Get("Location") != "/manage/masterdata?body=1&saved=inspector" {
		t.Fatalf("add inspector: %d %s", r.Status, r.Header.Get("Location"))
	}
	people, _ := e.st.BodyInspectors(t.Context(), 1)
	sun := people[len(people)-1]
	if sun.Name != "孙丽" || !sun.Active {
		t.Fatalf("stored inspector: %+v", sun)
	}
	// Suspend her: the edit form carries her values, the list shows her suspended.
	edit := fmt.Sprintf("/manage/bodies/1/inspector?id=%d", sun.ID)
	if r := b.do("GET", edit, nil); !strings.Contains(r.Body, "浙A33030012999") {
		t.Fatal("edit form lacks the credential")
	}
	r = b.post("/manage/bodies/1/inspector", edit, url.Values{"body_id": {"1"}, "id": {fmt.Sprint(sun.ID)}, "name": {"孙丽"}, "credential_no": {"浙A33030012999"}, "valid_from": {"2026-01-01"}, "valid_to": {"2029-01-01"}, "staff": {"on_post"}})
	if r.Status != 303 {
		t.Fatalf("suspend: %d", r.Status)
	}
	if got, _ := e.st.InspectorsByID(t.Context(), []uint{sun.ID}); got[0].Active {
		t.Fatal("still active after suspension")
	}
	if r := b.do("GET", "/manage/masterdata", nil); !strings.Contains(r.Body, "停用") {
		t.Fatal("suspension not listed")
	}
	// Item list: withdrawn before published is refused by name; then an audio/video item.
	r = b.post("/manage/bodies/1/item", "/manage/bodies/1/item", url.Values{"body_id": {"1"}, "name": {"特种设备使用检查"}, "legal_basis": {"《特种设备安全法》第五十七条"}, "published_on": {"2026-03-01"}, "withdrawn_on": {"2026-02-01"}})
	if r.Status != 422 || !strings.Contains(r.Body, `class="field bad"><label for="withdrawn_on"`) {
		t.Fatalf("withdrawn before published: %d", r.Status)
	}
	r = b.post("/manage/bodies/1/item", "/manage/bodies/1/item", url.Values{"body_id": {"1"}, "name": {"特种设备使用检查"}, "legal_basis": {"《特种设备安全法》第五十七条"}, "method": {"现场检查"}, "standard": {"定期检验合格"}, "published_on": {"2026-03-01"}, "audio_video": {"true"}})
	if r.Status != 303 {
		t.Fatalf("add item: %d", r.Status)
	}
	items, _ := e.st.BodyItems(t.Context(), 1)
	if it := items[len(items)-1]; it.Name != "特种设备使用检查" || !it.AudioVideo || it.PublishedOn == nil {
		t.Fatalf("stored item: %+v", it)
	}
	// Plans: a published plan changed afterwards is marked (PLAN-1).
	r = b.post("/manage/bodies/1/plan", "/manage/bodies/1/plan", url.Values{"body_id": {"1"}, "year": {"2028"}, "title": {"2028 年度行政检查计划"}, "published_on": {"2026-03-01"}})
	if r.Status != 303 {
		t.Fatalf("add plan: %d", r.Status)
	}
	r = b.post("/manage/bodies/1/plan", "/manage/bodies/1/plan?year=2028", url.Values{"body_id": {"1"}, "year": {"2028"}, "title": {"2028 年度行政检查计划（调整）"}, "published_on": {"2026-03-01"}})
	if r.Status != 303 {
		t.Fatalf("change plan: %d", r.Status)
	}
	if r := b.do("GET", "/manage/masterdata", nil); !strings.Contains(r.Body, "公布后已调整") || !strings.Contains(r.Body, "特种设备使用检查") {
		t.Fatal("plan change or item not listed")
	}
	if r := b.post("/manage/bodies/1/plan", "/manage/bodies/1/plan", url.Values{"body_id": {"1"}, "year": {"1999"}, "title": {""}}); r.Status != 422 || !strings.Contains(r.Body, `class="field bad"><label for="year"`) || !strings.Contains(r.Body, `class="field bad"><label for="title"`) {
		t.Fatalf("bad plan: %d", r.Status)
	}
	// English on request.
	b.post("/lang/en", "/manage/masterdata", nil)
	if r := b.do("GET", "/manage/masterdata", nil); !strings.Contains(r.Body, "Inspection item list") || !strings.Contains(r.Body, "Annual inspection plans") {
		t.Fatal("master data page not in English")
	}
	// Each save is on the audit chain.
	if bad, n, err := e.st.VerifyAudit(t.Context()); err != nil || bad != 0 || n < 5 {
		t.Fatalf("audit: bad %d, %d entries, %v", bad, n, err)
	}
}

// Officers reach only their own body's master data; admins any; every other role none. A
// refused write changes nothing.
func TestMasterDataPagesRefuseOthers(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	// officer-sthj is body 2's officer: body 1 is someone else's.
	o := e.browser()
	o.login("officer-sthj", demoPassword)
	if r := o.do("GET", "/manage/masterdata", nil); r.Status != 200 || !strings.Contains(r.Body, "温州市生态环境局") {
		t.Fatalf("own body: %d", r.Status)
	}
	before := e.rowCounts(t)
	for _, p := range []string{"/manage/masterdata?body=1", "/manage/bodies/1/inspector", "/manage/bodies/1/item", "/manage/bodies/1/plan", "/manage/bodies/2/inspector?id=1", "/manage/bodies/2/item?id=1"} {
		if r := o.do("GET", p, nil); r.Status != 403 && r.Status != 404 {
			t.Errorf("%s: %d, want 403 or 404", p, r.Status)
		}
	}
	writes := map[string]url.Values{
		"/manage/bodies/1/inspector": {"body_id": {"1"}, "name": {"王五"}, "credential_no": {"X"}, "valid_from": {"2026-01-01"}, "valid_to": {"2029-01-01"}, "staff": {"on_post"}, "active": {"true"}},
		"/manage/bodies/1/item":      {"body_id": {"1"}, "name": {"非法事项"}, "legal_basis": {"无"}},
		"/manage/bodies/1/plan":      {"body_id": {"1"}, "year": {"2026"}, "title": {"篡改的计划"}},
	}
	for p, form := range writes {
		if r := o.post(p, "/manage/masterdata", form); r.Status != 403 {
			t.Errorf("POST %s for body 1: %d, want 403", p, r.Status)
		}
	}
	// Taking over body 1's inspector #1 through one's own body.
	if r := o.post("/manage/bodies/2/inspector", "/manage/masterdata", url.Values{"body_id": {"2"}, "id": {"1"}, "name": {"张明"}, "credential_no": {"X"}, "valid_from": {"2026-01-01"}, "valid_to": {"2029-01-01"}, "staff": {"on_post"}}); r.Status != 404 {
		t.Errorf("inspector of another body: %d, want 404", r.Status)
	}
	for _, user := range []string{"ent-a", "obs-chamber", "liaison-lc", "liaison-city", "provider-1"} {
		u := e.browser()
		u.login(user, demoPassword)
		for _, p := range []string{"/manage/masterdata?body=1", "/manage/bodies/1/inspector", "/manage/inspections/new", "/manage/inspections/1/records/new"} {
			if r := u.do("GET", p, nil); r.Status != 403 {
				t.Errorf("%s GET %s: %d, want 403", user, p, r.Status)
			}
		}
		for p, form := range writes {
			if r := u.post(p, "/", form); r.Status != 403 {
				t.Errorf("%s POST %s: %d, want 403", user, p, r.Status)
			}
		}
	}
	if got := e.rowCounts(t); got != before {
		t.Fatalf("refused requests changed rows: %s -> %s", before, got)
	}
	// An admin picks any body and writes it.
	a := e.browser()
	a.login("admin", demoPassword)
	if r := a.do("GET", "/manage/masterdata", nil); r.Status != 200 || !strings.Contains(r.Body, `<select id="body" name="body">`) {
		t.Fatalf("admin picker: %d", r.Status)
	}
	if r := a.do("GET", "/manage/masterdata?body=3", nil); r.Status != 200 || !strings.Contains(r.Body, "温州市应急管理局") {
		t.Fatalf("admin, body 3: %d", r.Status)
	}
	if r := a.post("/manage/bodies/3/plan", "/manage/bodies/3/plan", url.Values{"body_id": {"3"}, "year": {"2028"}, "title": {"应急管理局 2028 年度计划"}, "published_on": {"2026-03-01"}}); r.Status != 303 {
		t.Fatalf("admin saves body 3's plan: %d", r.Status)
	}
	if r := a.do("GET", "/manage/masterdata?body=99", nil); r.Status != 404 {
		t.Fatalf("unknown body: %d", r.Status)
	}
}

func locationID(t *testing.T, r resp, prefix string) string {
	t.Helper()
	loc := r.Header.Get("Location")
	if r.Status != 303 || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("want a redirect to %s…, got %d %q", prefix, r.Status, loc)
	}
	return strings.SplitN(strings.TrimPrefix(loc, prefix), "?", 2)[0]
}

// Registering by page: kind, enterprise by credit code, items, inspectors, time, place,
// cross-area reference and the special inspection's record; errors by field; a triggered visit
// takes over the body's pending planned task for the enterprise (FREQ-3).
func TestRegisterInspectionByPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("officer-scj", demoPassword)
	r := b.do("GET", "/manage/inspections/new", nil)
	if r.Status != 200 || !strings.Contains(r.Body, `name="item_ids" type="checkbox" value="1"`) || !strings.Contains(r.Body, "张明") || strings.Contains(r.Body, "陈刚") {
		t.Fatalf("form of body 1: %d", r.Status)
	}
	entB := demo.USCC("330381", 2)
	form := func(kind, when string) url.Values {
		return url.Values{"kind": {kind}, "enterprise_uscc": {entB}, "body_ids": {"1"}, "item_ids": {"1"}, "inspector_ids": {"1", "2"},
			"scheduled_at": {when}, "place": {"瑞安市塘下镇"}, "cross_area_approval": {""}}
	}
	bad := form("planned", "2026-13-40T09:00")
	bad.Set("enterprise_uscc", "91330381MA2H00002X")
	r = b.post("/manage/inspections", "/manage/inspections/new", bad)
	if r.Status != 422 || !strings.Contains(r.Body, `class="field bad"><label for="enterprise_uscc"`) || !strings.Contains(r.Body, `class="field bad"><label for="scheduled_at"`) {
		t.Fatalf("bad registration: %d", r.Status)
	}
	other := form("planned", "2026-04-20T09:00")
	other.Set("body_ids", "2")
	if r := b.post("/manage/inspections", "/manage/inspections/new", other); r.Status != 422 || !strings.Contains(r.Body, "notice err") {
		t.Fatalf("registering for another body: %d", r.Status)
	}
	var n int64
	e.st.DB(t.Context()).Table("inspections").Count(&n)
	if n != 0 {
		t.Fatalf("refused registrations stored %d inspections", n)
	}
	// A planned task, then a special inspection with its approval record, then a triggered visit.
	planned := form("planned", "2026-09-08T09:00")
	planned.Set("item_ids", "2")
	pid := locationID(t, b.post("/manage/inspections", "/manage/inspections/new", planned), "/inspections/")
	if r := b.do("GET", "/inspections/"+pid+"?done=register", nil); r.Status != 200 || !strings.Contains(r.Body, "检查已登记") || !strings.Contains(r.Body, "产品质量监督抽查") {
		t.Fatalf("registered planned inspection page: %d", r.Status)
	}
	sp := form("special", "2026-05-12T09:00")
	for k, v := range map[string]string{"legal_review_on": "2026-03-01", "collective_decision_on": "2026-03-01", "approved_on": "2026-03-01", "filed_on": "2026-03-01", "sp_published_on": "2026-03-01"} {
		sp.Set(k, v)
	}
	sid := locationID(t, b.post("/manage/inspections", "/manage/inspections/new", sp), "/inspections/")
	spIn, err := e.st.InspectionByID(t.Context(), parseU(t, sid))
	if err != nil || spIn.Kind != "special" || spIn.SpecialFiledOn == nil || spIn.Place != "瑞安市塘下镇" || !slices.Equal(spIn.InspectorIDs, []uint{1, 2}) {
		t.Fatalf("special inspection stored as %+v", spIn)
	}
	if c, _ := e.st.Clues(t.Context(), spIn.ID); len(c) != 0 {
		t.Fatalf("complete special record raised %+v", c)
	}
	tid := locationID(t, b.post("/manage/inspections", "/manage/inspections/new", form("triggered", "2026-04-17T10:00")), "/inspections/")
	plan, _ := e.st.InspectionByID(t.Context(), parseU(t, pid))
	trig, _ := e.st.InspectionByID(t.Context(), parseU(t, tid))
	if plan.Status != "merged" || !slices.Equal(trig.ItemIDs, []uint{1, 2}) {
		t.Fatalf("FREQ-3 merge by page: plan %s, visit items %v", plan.Status, trig.ItemIDs)
	}
	if r := b.do("GET", "/inspections/"+tid, nil); !strings.Contains(r.Body, "已合并实施的计划检查") || !strings.Contains(r.Body, `href="/inspections/`+pid+`"`) {
		t.Fatal("the visit's page does not name the merged plan")
	}
	if r := b.do("GET", "/inspections/"+pid, nil); !strings.Contains(r.Body, "本计划检查已与触发式检查合并实施") || strings.Contains(r.Body, `/status"`) {
		t.Fatal("the merged plan's page")
	}
	// The merged plan's behaviour code says it was carried out with the visit (not cancelled).
	if r := e.browser().do("GET", "/v/"+plan.Code, nil); !strings.Contains(r.Body, "合并实施") || strings.Contains(r.Body, "此检查已撤销") || !strings.Contains(r.Body, `href="/v/`+trig.Code+`"`) {
		t.Fatal("a merged plan's code does not say it was carried out with the visit")
	}
	if r := e.browser().do("GET", "/v/"+trig.Code, nil); r.Status != 200 || strings.Contains(r.Body, "此检查已撤销") {
		t.Fatalf("the visit's code: %d", r.Status)
	}
	// ent-b was told of each registration in its inbox.
	ent := e.browser()
	ent.login("ent-b", demoPassword)
	if r := ent.do("GET", "/inbox", nil); !strings.Contains(r.Body, "行政检查通知") || !strings.Contains(r.Body, "已与本次检查合并实施") {
		t.Fatal("enterprise inbox lacks the notices")
	}
}

// RECORD-1 by page: the officer files the case-file documents (a file checked by its content);
// the case file shows to the body, the enterprise and liaisons, not to observation points; a
// done inspection without a registration form or on-site record becomes a clue.
func TestCaseFileByPage(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	off := e.browser()
	off.login("officer-scj", demoPassword)
	entA := demo.USCC("330302", 1)
	register := func(when string) string {
		return locationID(t, off.post("/manage/inspections", "/manage/inspections/new", url.Values{"kind": {"requested"}, "enterprise_uscc": {entA}, "body_ids": {"1"},
			"item_ids": {"1"}, "inspector_ids": {"1", "2"}, "scheduled_at": {when}, "place": {"鹿城区"}}), "/inspections/")
	}
	kept, bare := register("2026-03-20T09:00"), register("2026-03-21T09:00")
	page := off.do("GET", "/inspections/"+kept, nil)
	if !strings.Contains(page.Body, "尚无案卷文书") || !strings.Contains(page.Body, `href="/manage/inspections/`+kept+`/records/new"`) {
		t.Fatal("officer's inspection page lacks the case file section")
	}
	form := "/manage/inspections/" + kept + "/records/new"
	fields := map[string]string{"kind": "onsite", "number": "温市监现〔2026〕18号", "issued_on": "2026-03-02", "summary": "现场检查笔录，企业负责人签字"}
	// A text file named .pdf is refused by its content, by field, and nothing is stored.
	r := off.multipart("/manage/inspections/"+kept+"/records", form, fields, []byte("#!/bin/sh\necho not a pdf\n"))
	if r.Status != 415 || !strings.Contains(r.Body, `class="field bad"><label for="file"`) || !strings.Contains(r.Body, "按文件内容判断") {
		t.Fatalf("text as PDF: %d", r.Status)
	}
	bad := map[string]string{"kind": "onsite", "number": "", "issued_on": "2026-02-30"}
	if r := off.multipart("/manage/inspections/"+kept+"/records", form, bad, nil); r.Status != 422 || !strings.Contains(r.Body, `class="field bad"><label for="number"`) || !strings.Contains(r.Body, `class="field bad"><label for="issued_on"`) {
		t.Fatalf("bad record: %d", r.Status)
	}
	if r := off.multipart("/manage/inspections/"+kept+"/records", form, fields, smallPNG(t)); r.Status != 303 || r.Header.Get("Location") != "/inspections/"+kept+"?done=record" {
		t.Fatalf("add record: %d %s", r.Status, r.Header.Get("Location"))
	}
	if r := off.multipart("/manage/inspections/"+kept+"/records", form, fields, nil); r.Status != 422 || !strings.Contains(r.Body, "该类文书编号已登记") {
		t.Fatalf("same number twice: %d", r.Status)
	}
	notice := map[string]string{"kind": "notice", "number": "温市监通〔2026〕7号", "issued_on": "2026-03-02"}
	if r := off.multipart("/manage/inspections/"+kept+"/records", form, notice, nil); r.Status != 303 {
		t.Fatalf("add notice record without a file: %d", r.Status)
	}
	recs, _ := e.st.InspectionRecords(t.Context(), parseU(t, kept))
	if len(recs) != 2 || recs[0].ContentType != "image/png" {
		t.Fatalf("records: %+v", recs)
	}
	file := fmt.Sprintf("/records/%d/file", recs[0].ID)
	// Who reads the case file: the body, ent-a, 鹿城's and the city's liaisons, admins.
	for user, want := range map[string]bool{"officer-scj": true, "ent-a": true, "liaison-lc": true, "liaison-city": true, "admin": true,
		"obs-chamber": false, "officer-sthj": false, "ent-b": false, "liaison-ra": false, "provider-1": false} {
		u := e.browser()
		u.login(user, demoPassword)
		p := u.do("GET", "/inspections/"+kept, nil)
		shown := p.Status == 200 && strings.Contains(p.Body, "温市监现〔2026〕18号")
		if shown != want {
			t.Errorf("%s sees the case file on the page: %v (status %d)", user, shown, p.Status)
		}
		f := u.do("GET", file, nil)
		if want && (f.Status != 200 || f.Body != string(smallPNG(t)) || !strings.HasPrefix(f.Header.Get("Content-Disposition"), "attachment")) {
			t.Errorf("%s downloads: %d", user, f.Status)
		}
		if !want && f.Status != 404 && f.Status != 403 {
			t.Errorf("%s downloads someone else's record: %d", user, f.Status)
		}
		if user != "officer-scj" && user != "admin" {
			if r := u.multipart("/manage/inspections/"+kept+"/records", "/", notice, nil); r.Status != 403 && r.Status != 404 {
				t.Errorf("%s adds a record: %d", user, r.Status)
			}
		}
	}
	// The API's view of the inspection lists the records for the enterprise.
	if code, out := e.api("GET", "/api/v1/inspections/"+kept, e.token("ent-a"), nil); code != 200 || len(out["records"].([]any)) != 2 {
		t.Fatalf("API records: %d %v", code, out["records"])
	}
	// Moving both to done by page once they have happened: only the one without a record
	// becomes a RECORD-1 clue.
	e.clk.Set(time.Date(2026, 3, 21, 12, 0, 0, 0, wz))
	off.login("officer-scj", demoPassword)
	for _, id := range []string{kept, bare} {
		for _, st := range []string{"in_progress", "done"} {
			if r := off.post("/manage/inspections/"+id+"/status", "/inspections/"+id, url.Values{"status": {st}}); r.Status != 303 {
				t.Fatalf("status %s of %s: %d", st, id, r.Status)
			}
		}
	}
	// (Without its notice delivered, each is a NOTICE-1 clue too by now; only RECORD-1 counts here.)
	record1 := func(id string) []store.Clue {
		all, _ := e.st.Clues(t.Context(), parseU(t, id))
		var out []store.Clue
		for _, c := range all {
			if c.Rule == "RECORD-1" {
				out = append(out, c)
			}
		}
		return out
	}
	if c := record1(kept); len(c) != 0 {
		t.Fatalf("complete case file raised %+v", c)
	}
	c := record1(bare)
	if len(c) != 1 || c[0].Rule != "RECORD-1" || !strings.Contains(c[0].Evidence, "现场检查笔录") || !strings.Contains(c[0].Evidence, "通知书") {
		t.Fatalf("bare case file: clues %+v", c)
	}
	// The enterprise cannot move an inspection on; another body's officer cannot either.
	for _, user := range []string{"ent-a", "officer-sthj"} {
		u := e.browser()
		u.login(user, demoPassword)
		if r := u.post("/manage/inspections/"+bare+"/status", "/", url.Values{"status": {"cancelled"}}); r.Status != 403 && r.Status != 404 {
			t.Errorf("%s moves the inspection: %d", user, r.Status)
		}
	}
}

func parseU(t *testing.T, s string) uint64 {
	var n uint64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
