package portal_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// multipartBody is a form with fields and, if data is not nil, a file in field "file".
func multipartBody(fields map[string]string, data []byte) (io.Reader, string) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if data != nil {
		fw, _ := w.CreateFormFile("file", "answer.pdf")
		fw.Write(data)
	}
	w.Close()
	return &body, w.FormDataContentType()
}

// apiUpload posts a file to the API with a bearer token and extra headers.
func (e *env) apiUpload(path, token string, data []byte, hdr ...string) (int, string) {
	e.t.Helper()
	body, ctype := multipartBody(nil, data)
	req := httptest.NewRequest("POST", path, body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.srv.App().Test(req, 20000)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// handled files an order as ent-a and brings it to the market regulator (officer-scj's unit),
// handling it; it answers the order's API path and page path.
func handled(t *testing.T, e *env, anonymous bool) (string, string) {
	t.Helper()
	ent, liaison, officer := e.token("ent-a"), e.token("liaison-lc"), e.token("officer-scj")
	code, o := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1"}, "description": "检查前未送达通知书", "body_id": 1, "anonymous": anonymous})
	if code != 201 {
		t.Fatalf("file: %d %v", code, o)
	}
	base := "/api/v1/complaints/" + idPath(o["id"])
	for _, step := range []struct {
		tok string
		m   map[string]any
	}{{liaison, map[string]any{"action": "accept"}}, {liaison, map[string]any{"action": "dispatch", "unit_id": 1}}, {officer, map[string]any{"action": "start"}}} {
		if code, out := e.api("POST", base+"/actions", step.tok, step.m); code != 200 {
			t.Fatalf("%v: %d %v", step.m["action"], code, out)
		}
	}
	return base, "/complaints/" + idPath(o["id"])
}

// Internal notes are written by the handlers (the liaison by the API, the unit's officer by the
// page) and read by them; the enterprise never meets them: not in the API's JSON detail, not on
// its order page, not in its inbox, and the spreadsheet export is not its to fetch (the
// liaison's holds no note either).
func TestNotesNeverReachTheEnterprise(t *testing.T) {
	t.Parallel()
	for _, anonymous := range []bool{false, true} {
		e := newEnv(t)
		ent, liaison := e.token("ent-a"), e.token("liaison-lc")
		base, page := handled(t, e, anonymous)
		const secret1, secret2 = "内部：企业负责人与执法队长系亲属", "内部：下周三现场复核"
		code, out := e.api("POST", base+"/actions", liaison, map[string]any{"action": "note", "note": secret1})
		if code != 200 || len(out["notes"].([]any)) != 1 {
			t.Fatalf("a liaison's note: %d %v", code, out)
		}
		officer := e.browser()
		officer.login("officer-scj", demoPassword)
		if r := officer.do("GET", page, nil); !strings.Contains(r.Body, `data-testid="note-form"`) || !strings.Contains(r.Body, secret1) {
			t.Fatalf("the officer's page has no note form or not the liaison's note: %d", r.Status)
		}
		if r := officer.post(page+"/act", page, url.Values{"action": {"note"}, "note": {secret2}}); r.Status != 303 {
			t.Fatalf("the officer's note: %d %s", r.Status, r.Body)
		}
		for _, who := range []string{"liaison-lc", "officer-scj", "admin"} {
			_, d := e.api("GET", base, e.token(who), nil)
			if notes, _ := d["notes"].([]any); len(notes) != 2 {
				t.Fatalf("%s reads %d notes, want 2", who, len(notes))
			}
		}
		code, raw := e.raw("GET", base, ent, "")
		if code != 200 || strings.Contains(raw, secret1) || strings.Contains(raw, secret2) || strings.Contains(raw, `"notes"`) || strings.Contains(raw, `"note"`+`,`) {
			t.Fatalf("the enterprise's JSON detail: %d, holds a note: %s", code, raw)
		}
		if strings.Contains(raw, `"action":"note"`) {
			t.Fatal("the enterprise's timeline names a note")
		}
		b := e.browser()
		b.login("ent-a", demoPassword)
		r := b.do("GET", page, nil)
		if r.Status != 200 || strings.Contains(r.Body, secret1) || strings.Contains(r.Body, secret2) || strings.Contains(r.Body, `data-testid="notes"`) || strings.Contains(r.Body, `value="note"`) {
			t.Fatalf("the enterprise's page shows notes: %d", r.Status)
		}
		if r := b.do("GET", "/inbox", nil); strings.Contains(r.Body, "内部备注") || strings.Contains(r.Body, secret1) {
			t.Fatal("the enterprise's inbox tells of a note")
		}
		if r := b.do("GET", "/complaints/export.xlsx", nil); r.Status != 403 && r.Status != 404 {
			t.Fatalf("the enterprise fetches the export: %d", r.Status)
		}
		// A forged note by the enterprise is refused, by page and by API.
		if code, _ := e.api("POST", base+"/actions", ent, map[string]any{"action": "note", "note": "伪造"}); code != 409 {
			t.Fatalf("the enterprise writes a note: %d", code)
		}
		if r := b.post(page+"/act", page, url.Values{"action": {"note"}, "note": {"伪造"}}); r.Status != 409 {
			t.Fatalf("the enterprise writes a note by page: %d", r.Status)
		}
		lb := e.browser()
		lb.login("liaison-lc", demoPassword)
		x := lb.do("GET", "/complaints/export.xlsx", nil)
		f, err := excelize.OpenReader(strings.NewReader(x.Body))
		if err != nil {
			t.Fatalf("export: %d %v", x.Status, err)
		}
		rows, _ := f.GetRows("Sheet1")
		for _, row := range rows {
			for _, cell := range row {
				if strings.Contains(cell, "内部") {
					t.Fatalf("the export holds a note: %q", cell)
				}
			}
		}
	}
}

var fileLinkRe = regexp.MustCompile(`href="(/complaints/[0-9]+/reply-files/[0-9]+)"`)

// The unit's officer replies on the page from a template of the order's type, with a PDF sent
// with the reply and a photo uploaded just before it; the enterprise sees both beside the reply
// and downloads them; another enterprise's forged download gets 404, by page and by API.
func TestReplyFromATemplateWithAttachments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token("admin")
	code, tpl := e.api("POST", "/api/v1/reply-templates", admin, map[string]any{"type": "illegal_inspection", "title_zh": "已责令整改", "title_en": "Ordered to correct",
		"body_zh": "经核查，您反映的检查未提前送达通知书属实，已责令整改。", "body_en": "We found the notice was not delivered in advance and ordered a correction."})
	if code != 201 {
		t.Fatalf("add a template: %d %v", code, tpl)
	}
	e.api("POST", "/api/v1/reply-templates", admin, map[string]any{"type": "conduct", "title_zh": "作风问题", "title_en": "Conduct", "body_zh": "作风", "body_en": "Conduct"})
	base, page := handled(t, e, false)
	officer := e.browser()
	officer.login("officer-scj", demoPassword)
	r := officer.do("GET", page, nil)
	if !strings.Contains(r.Body, `data-testid="reply-templates"`) || !strings.Contains(r.Body, "已责令整改") || strings.Contains(r.Body, "作风问题") {
		t.Fatalf("the reply form offers the templates of the order's type only: %d", r.Status)
	}
	r = officer.do("GET", fmt.Sprintf("%s?template=%.0f", page, tpl["id"]), nil)
	if !strings.Contains(r.Body, "经核查，您反映的检查未提前送达通知书属实，已责令整改。</textarea>") {
		t.Fatal("using the template did not fill the reply")
	}
	// A photo uploaded right before the reply, with an idempotency key (a double tap is one file).
	photo := smallPNG(t)
	key := "reply-photo-1"
	for i := 0; i < 2; i++ {
		if r := officer.multipart(page+"/reply-files", page, map[string]string{"idempotency_key": key}, photo); r.Status != 303 {
			t.Fatalf("upload before the reply: %d %s", r.Status, r.Body)
		}
	}
	r = officer.do("GET", page, nil)
	if n := strings.Count(r.Body, "/reply-files/"); !strings.Contains(r.Body, `data-testid="reply-pending"`) || n < 1 {
		t.Fatal("the waiting photo is not on the officer's page")
	}
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	if r := ent.do("GET", page, nil); strings.Contains(r.Body, "/reply-files/") {
		t.Fatal("the enterprise sees a file before the reply")
	}
	// The reply, with its PDF in the same form; text is refused as a file, naming the field.
	if r := officer.multipart(page+"/act", page, map[string]string{"action": "reply", "note": "已责令整改。"}, []byte("not a pdf at all")); r.Status != 415 {
		t.Fatalf("a reply with a text file: %d", r.Status)
	}
	if r := officer.multipart(page+"/act", page, map[string]string{"action": "reply", "note": "经核查属实，已责令整改。", "idempotency_key": "reply-pdf-1"}, authoredPDF("Zhang San")); r.Status != 303 {
		t.Fatalf("the reply with its PDF: %d %s", r.Status, r.Body)
	}
	_, d := e.api("GET", base, e.token("ent-a"), nil)
	var files []any
	for _, ev := range d["timeline"].([]any) {
		if ev := ev.(map[string]any); ev["action"] == "reply" {
			files, _ = ev["files"].([]any)
		}
	}
	if len(files) != 2 {
		t.Fatalf("the reply goes out with %d files, want the photo and the PDF: %v", len(files), d["timeline"])
	}
	r = ent.do("GET", page, nil)
	links := fileLinkRe.FindAllStringSubmatch(r.Body, -1)
	if !strings.Contains(r.Body, `data-testid="reply-files"`) || len(links) != 2 {
		t.Fatalf("the enterprise's page lists %d reply files", len(links))
	}
	for _, l := range links {
		got := ent.do("GET", l[1], nil)
		if got.Status != 200 || !strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment") || strings.Contains(got.Body, "Zhang San") {
			t.Fatalf("the enterprise downloads %s: %d %q", l[1], got.Status, got.Header.Get("Content-Type"))
		}
	}
	// Another enterprise forges the download: by page, by API, and through its own order.
	other := e.browser()
	other.login("ent-b", demoPassword)
	if got := other.do("GET", links[0][1], nil); got.Status != 404 {
		t.Fatalf("another enterprise downloads by page: %d", got.Status)
	}
	entB := e.token("ent-b")
	fid := idPath(files[0].(map[string]any)["id"])
	if code, _ := e.raw("GET", base+"/reply-files/"+fid, entB, ""); code != 404 {
		t.Fatalf("another enterprise downloads by API: %d", code)
	}
	_, own := e.api("POST", "/api/v1/complaints", entB, map[string]any{"type": "conduct", "description": "另一家企业的诉求", "body_id": 1})
	if code, _ := e.raw("GET", "/api/v1/complaints/"+idPath(own["id"])+"/reply-files/"+fid, entB, ""); code != 404 {
		t.Fatalf("another enterprise downloads through its own order: %d", code)
	}
	if code, _ := e.raw("GET", base+"/reply-files/"+fid, e.token("ent-a"), ""); code != 200 {
		t.Fatalf("the enterprise downloads by API: %d", code)
	}
}

// By the API: a reply's file is uploaded right before the reply with an Idempotency-Key (a
// repeat answers the same file), checked like evidence (type by content, size, only who may
// reply), and the reply through the actions takes it.
func TestReplyFilesByAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent, officer := e.token("ent-a"), e.token("officer-scj")
	base, _ := handled(t, e, true)
	if code, out := e.apiUpload(base+"/reply-files", ent, smallPNG(t)); code != 403 {
		t.Fatalf("the enterprise attaches to the reply: %d %s", code, out)
	}
	if code, out := e.apiUpload(base+"/reply-files", officer, []byte("<script>alert(1)</script>")); code != 415 || !strings.Contains(out, `"file"`) {
		t.Fatalf("text as a reply file: %d %s", code, out)
	}
	if code, _ := e.apiUpload(base+"/reply-files", officer, bytes.Repeat([]byte{0xFF}, 10<<20+1)); code != 413 {
		t.Fatalf("10 MB + 1 byte: %d", code)
	}
	code, first := e.apiUpload(base+"/reply-files", officer, smallPNG(t), "Idempotency-Key", "rf-1")
	code2, again := e.apiUpload(base+"/reply-files", officer, smallPNG(t), "Idempotency-Key", "rf-1")
	if code != 201 || code2 != 201 || first != again {
		t.Fatalf("a repeated upload: %d %s, %d %s", code, first, code2, again)
	}
	if _, d := e.api("GET", base, officer, nil); len(d["pending_reply_files"].([]any)) != 1 {
		t.Fatalf("the officer's waiting files: %v", d["pending_reply_files"])
	}
	if code, raw := e.raw("GET", base, ent, ""); code != 200 || strings.Contains(raw, "pending_reply_files") {
		t.Fatalf("the enterprise sees waiting files: %s", raw)
	}
	if code, out := e.api("POST", base+"/actions", officer, map[string]any{"action": "reply", "note": "已处理"}); code != 200 {
		t.Fatalf("reply: %d %v", code, out)
	}
	_, d := e.api("GET", base, ent, nil)
	for _, ev := range d["timeline"].([]any) {
		if ev := ev.(map[string]any); ev["action"] == "reply" {
			files := ev["files"].([]any)
			id := idPath(files[0].(map[string]any)["id"])
			if len(files) != 1 || !strings.Contains(first, id) {
				t.Fatalf("the reply's files: %v, uploaded %s", files, first)
			}
			if code, body := e.raw("GET", base+"/reply-files/"+id, ent, ""); code != 200 || !strings.HasPrefix(body, "\x89PNG") {
				t.Fatalf("the enterprise downloads the reply's photo: %d", code)
			}
			return
		}
	}
	t.Fatal("no reply on the timeline")
}

// Reply templates by the admin's pages and the API: listed, added, edited and retired; a bad
// field is refused naming it (422 on the API, the form again on the page).
func TestAdminKeepsReplyTemplates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token("admin")
	code, out := e.api("POST", "/api/v1/reply-templates", admin, map[string]any{"type": "gossip", "title_zh": "a", "title_en": "a", "body_zh": "a", "body_en": "a"})
	if code != 422 || fields(out)["type"] == nil {
		t.Fatalf("an unknown type: %d %v", code, out)
	}
	code, out = e.api("POST", "/api/v1/reply-templates", admin, map[string]any{"type": "appeal", "title_zh": "a", "title_en": "a", "body_zh": "a"})
	if code != 422 || fields(out)["body_en"] == nil {
		t.Fatalf("no English text: %d %v", code, out)
	}
	b := e.browser()
	b.login("admin", demoPassword)
	if r := b.do("GET", "/admin/reply-templates/new", nil); r.Status != 200 {
		t.Fatalf("new template form: %d", r.Status)
	}
	r := b.post("/admin/reply-templates", "/admin/reply-templates/new", url.Values{"type": {"appeal"}, "title_zh": {"诉求已转办"}, "title_en": {""}, "body_zh": {"您的诉求已转相关部门办理。"}, "body_en": {"Your appeal went to the body concerned."}})
	if r.Status != 422 || !strings.Contains(r.Body, `field bad"><label for="title_en"`) {
		t.Fatalf("a template without an English title: %d", r.Status)
	}
	r = b.post("/admin/reply-templates", "/admin/reply-templates/new", url.Values{"type": {"appeal"}, "title_zh": {"诉求已转办"}, "title_en": {"Passed on"}, "body_zh": {"您的诉求已转相关部门办理。"}, "body_en": {"Your appeal went to the body concerned."}})
	if r.Status != 303 {
		t.Fatalf("add by page: %d %s", r.Status, r.Body)
	}
	_, list := e.api("GET", "/api/v1/reply-templates?type=appeal", admin, nil)
	items := list["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("templates: %v", list)
	}
	id := idPath(items[0].(map[string]any)["id"])
	if code, out := e.api("PUT", "/api/v1/reply-templates/"+id, admin, map[string]any{"type": "appeal", "title_zh": "诉求已转办", "title_en": "Passed on", "body_zh": "已转办。", "body_en": "Passed on."}); code != 200 || out["body_zh"] != "已转办。" {
		t.Fatalf("edit by API: %d %v", code, out)
	}
	if r := b.do("GET", "/admin/reply-templates/"+id, nil); r.Status != 200 || !strings.Contains(r.Body, "已转办。</textarea>") {
		t.Fatalf("edit form: %d", r.Status)
	}
	if _, offered := e.api("GET", "/api/v1/reply-templates?type=appeal", e.token("officer-scj"), nil); len(offered["items"].([]any)) != 1 {
		t.Fatalf("offered to the officer: %v", offered)
	}
	if _, none := e.api("GET", "/api/v1/reply-templates?type=appeal", e.token("ent-a"), nil); len(none["items"].([]any)) != 0 {
		t.Fatalf("offered to the enterprise: %v", none)
	}
	if r := b.post("/admin/reply-templates/"+id+"/retire", "/admin/reply-templates", nil); r.Status != 303 {
		t.Fatalf("retire by page: %d", r.Status)
	}
	if _, offered := e.api("GET", "/api/v1/reply-templates?type=appeal", e.token("officer-scj"), nil); len(offered["items"].([]any)) != 0 {
		t.Fatalf("a retired template offered: %v", offered)
	}
	if r := b.do("GET", "/admin/reply-templates", nil); !strings.Contains(r.Body, "已停用") || !strings.Contains(r.Body, "诉求已转办") {
		t.Fatal("the list does not keep the retired template")
	}
	if code, _ := e.api("POST", "/api/v1/reply-templates/999/retire", admin, nil); code != 404 {
		t.Fatalf("retiring a template that does not exist: %d", code)
	}
}
