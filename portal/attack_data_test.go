package portal_test

// The attack suite's data part: anonymity by inference, file metadata, decompression bombs and
// fake files, upload quotas, the outbox's personal data, calendar feeds, and list scopes. Each
// test plays an attacker and fails when the protection it names breaks.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"qijian/internal/store"
	"qijian/notify"
	"qijian/portal"
)

// authoredPDF is a one-page PDF whose information dictionary, XMP packet and annotation name
// author, as a word processor and a reader leave them.
func authoredPDF(author string) []byte {
	xmp := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>` + author + `</dc:creator></x:xmpmeta>`
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [6 0 R] >>",
		fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(xmp), xmp),
		"<< /Author (" + author + ") /Creator (" + author + "'s Word) /CreationDate (D:20260302101010+08'00') >>",
		"<< /Type /Annot /Subtype /Text /Rect [10 10 20 20] /T (" + author + ") /Contents (note) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// idPath formats a JSON id: an anonymous order's reference is above 2^52, where %v writes an
// exponent.
func idPath(v any) string { return fmt.Sprintf("%.0f", v) }

// onHour tells whether an RFC 3339 time from the API is on the hour.
func onHour(t *testing.T, s any) bool {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(s))
	if err != nil {
		t.Fatalf("time %v: %v", s, err)
	}
	return at.Equal(at.Truncate(time.Hour))
}

// anonymousCase is ent-a's anonymous report of body 1's inspection of it, filed at a time off the
// hour right after a named one, with a photo (EXIF) and a PDF (author), dispatched to body 1, and
// a line from the reporter; and a second one filed by the observation point for ent-a.
type anonymousCase struct {
	named, anon, byObs            map[string]any // the filing answers
	code                          string         // the inspection's behaviour code the reports name
	entName, uscc, contact, phone string
}

func fileAnonymousCase(t *testing.T, e *env) anonymousCase {
	t.Helper()
	ent, off, li, obs := e.token("ent-a"), e.token("officer-scj"), e.token("liaison-lc"), e.token("obs-chamber")
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 5)
	code, insp := e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": "planned", "enterprise_id": 1, "body_ids": []int{1},
		"item_ids": []int{1}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339), "place": "鹿城区工业园"})
	if code != 201 {
		t.Fatalf("inspection: %d %v", code, insp)
	}
	var c anonymousCase
	c.code = insp["code"].(string)
	en, err := e.st.Enterprise(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	c.entName, c.uscc, c.contact, c.phone = en.Name, en.USCC, en.ContactName, en.Mobile
	e.clk.Advance(13*time.Minute + 41*time.Second + 5*time.Millisecond)
	_, c.named = e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "body_id": 1, "description": "检查人员态度粗暴"})
	_, c.anon = e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1"}, "body_id": 1,
		"inspection_code": c.code, "anonymous": true, "description": "检查前未提前三个工作日送达通知书"})
	_, c.byObs = e.api("POST", "/api/v1/complaints", obs, map[string]any{"type": "conduct", "body_id": 1, "enterprise_id": 1, "consent": true,
		"inspection_code": c.code, "anonymous": true, "description": "检查期间要求停产（会员企业委托反映）"})
	for _, o := range []map[string]any{c.named, c.anon, c.byObs} {
		if o["id"] == nil {
			t.Fatalf("filing: %v", o)
		}
		p := "/api/v1/complaints/" + idPath(o["id"])
		for _, a := range []map[string]any{{"action": "accept"}, {"action": "dispatch", "unit_id": 1}} {
			if code, out := e.api("POST", p+"/actions", li, a); code != 200 {
				t.Fatalf("%v: %d %v", a, code, out)
			}
		}
	}
	for _, o := range []map[string]any{c.anon, c.byObs} {
		p := "/api/v1/complaints/" + idPath(o["id"])
		tok := ent
		if o["id"] == c.byObs["id"] {
			tok = obs
		}
		e.clk.Advance(2*time.Minute + 3*time.Second)
		if code, out := e.api("POST", p+"/actions", tok, map[string]any{"action": "message", "note": "补充情况"}); code != 200 {
			t.Fatalf("message: %d %v", code, out)
		}
		if code, out := e.upload(p+"/evidence", tok, jpegWithExif(t, "OWNER="+c.contact+";GPS=27.99,120.69")); code != 201 {
			t.Fatalf("photo: %d %s", code, out)
		}
		if code, out := e.upload(p+"/evidence", tok, authoredPDF(c.contact+" "+c.uscc)); code != 201 {
			t.Fatalf("pdf: %d %s", code, out)
		}
	}
	return c
}

// TestAttackReportedBodyLearnsNothingOfAnAnonymousReporter plays the reported body (body 1's
// officer, the handling unit) against two anonymous reports about its own inspection of ent-a,
// one filed by ent-a and one by its observation point, beside a named report ent-a filed a moment
// before, and tries every channel it has: the API's list and detail, the pages, the timeline,
// the evidence downloads, the notifications it received, the export, and ids and times. Nothing
// it gets names ent-a, maps to ent-a (the inspection's code, the county), tells the enterprise
// from the observation point, is finer than the hour, or sits in sequence with the named order.
func TestAttackReportedBodyLearnsNothingOfAnAnonymousReporter(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	c := fileAnonymousCase(t, e)
	off := e.token("officer-scj")
	b := e.browser()
	b.login("officer-scj", demoPassword)
	// (The county's name is not on the list: the page names every body, 鹿城区's among them.)
	leaks := []string{c.entName, c.uscc, c.contact, c.phone, c.code, "ent-a", "330302", "OWNER", "GPS"}
	check := func(where, body string) {
		t.Helper()
		for _, l := range leaks {
			if l != "" && strings.Contains(body, l) {
				t.Errorf("%s shows %q to the reported body", where, l)
			}
		}
	}
	var namedRow uint64
	fmt.Sscan(idPath(c.named["id"]), &namedRow)
	namedNumber := c.named["number"].(string)
	for _, o := range []map[string]any{c.anon, c.byObs} {
		ref := idPath(o["id"])
		var id uint64
		fmt.Sscan(ref, &id)
		if id < 1<<52 || id >= 1<<53 {
			t.Fatalf("an anonymous order named %d: in sequence, or not exact in JavaScript", id)
		}
		num := o["number"].(string)
		if !regexp.MustCompile(`^QJ2026N[0-9A-HJKMNP-TV-Z]{10}$`).MatchString(num) || num == fmt.Sprintf("QJ2026%07d", namedRow+1) {
			t.Errorf("anonymous number %q beside the named %q", num, namedNumber)
		}
		// The row id beside the named order's names nothing, nor do the evidence row ids.
		for _, probe := range []uint64{namedRow + 1, namedRow + 2} {
			if code, _ := e.api("GET", fmt.Sprintf("/api/v1/complaints/%d", probe), off, nil); code != 404 {
				t.Errorf("GET the row id %d: %d, want 404", probe, code)
			}
			if r := b.do("GET", fmt.Sprintf("/complaints/%d", probe), nil); r.Status != 404 {
				t.Errorf("page of the row id %d: %d", probe, r.Status)
			}
		}
		// API JSON.
		code, raw := e.raw("GET", "/api/v1/complaints/"+ref, off, "")
		if code != 200 {
			t.Fatalf("the unit reads its order: %d", code)
		}
		check("the order's JSON", raw)
		var d map[string]any
		json.Unmarshal([]byte(raw), &d)
		if d["inspection_code"] != "" || d["county"] != "" || d["enterprise"] != nil {
			t.Errorf("JSON: code %v, county %v, enterprise %v", d["inspection_code"], d["county"], d["enterprise"])
		}
		times := []any{d["created_at"], d["next_due_at"]}
		for _, x := range d["timeline"].([]any) {
			ev := x.(map[string]any)
			times = append(times, ev["at"])
			if by := ev["by"]; by == "enterprise" || by == "observer" {
				t.Errorf("the timeline names the filer's kind: %v", by)
			}
		}
		for _, x := range d["deadlines"].([]any) {
			times = append(times, x.(map[string]any)["due_at"], x.(map[string]any)["remind_at"])
		}
		files := d["evidence"].([]any)
		if len(files) != 2 {
			t.Fatalf("the unit sees %d files", len(files))
		}
		for _, x := range files {
			f := x.(map[string]any)
			times = append(times, f["created_at"])
			// Evidence download: rebuilt without metadata.
			code, body := e.raw("GET", "/api/v1/complaints/"+ref+"/evidence/"+idPath(f["id"]), off, "")
			if code != 200 {
				t.Fatalf("download: %d", code)
			}
			check("a downloaded "+fmt.Sprint(f["content_type"]), body)
			if r := b.do("GET", "/complaints/"+ref+"/evidence/"+idPath(f["id"]), nil); r.Status != 200 {
				t.Fatalf("page download: %d", r.Status)
			} else {
				check("a page download", r.Body)
			}
		}
		for _, at := range times {
			if at != nil && !onHour(t, at) {
				t.Errorf("a time finer than the hour: %v", at)
			}
		}
		// The page and its timeline.
		page := b.do("GET", "/complaints/"+ref, nil)
		if page.Status != 200 {
			t.Fatalf("page: %d", page.Status)
		}
		check("the order page", page.Body)
		tl := page.Body[strings.Index(page.Body, `data-testid="timeline"`):]
		if strings.Contains(tl, "观测点") || !strings.Contains(tl, "反映人") {
			t.Error("the page's timeline names the filer's kind")
		}
		// The reveal is not the body's to make.
		if code, _ := e.api("POST", "/api/v1/complaints/"+ref+"/reveal", off, map[string]any{"reason": "核实"}); code != 403 {
			t.Errorf("the body reveals: %d", code)
		}
	}
	// Lists: API and page (the named order beside them names ent-a, as it should).
	_, list := e.raw("GET", "/api/v1/complaints", off, "")
	var items struct {
		Items []map[string]any `json:"items"`
	}
	json.Unmarshal([]byte(list), &items)
	anonListed := 0
	for _, it := range items.Items {
		if it["anonymous"] == true {
			anonListed++
			raw, _ := json.Marshal(it)
			check("a list item", string(raw))
			if it["id"] != c.anon["id"] && it["id"] != c.byObs["id"] || !onHour(t, it["created_at"]) {
				t.Errorf("a listed anonymous order: %v", it)
			}
		}
	}
	if anonListed != 2 {
		t.Fatalf("%d anonymous orders listed to the unit, want 2", anonListed)
	}
	queue := b.do("GET", "/complaints", nil)
	for _, row := range strings.Split(queue.Body, "<tr") {
		if strings.Contains(row, "QJ2026N") {
			check("a queue page row", row)
		}
	}
	// Notifications it received, by API and in the inbox page.
	_, notes := e.raw("GET", "/api/v1/notifications", off, "")
	check("its notifications", notes)
	var nl struct {
		Items []map[string]any `json:"items"`
	}
	json.Unmarshal([]byte(notes), &nl)
	for _, n := range nl.Items {
		link := fmt.Sprint(n["link"])
		for _, o := range []map[string]any{c.anon, c.byObs} {
			if strings.Contains(fmt.Sprint(n["title"]), o["number"].(string)) && link != "/complaints/"+idPath(o["id"]) {
				t.Errorf("a notice names the order by %q", link)
			}
		}
		if at, ok := n["created_at"]; ok && strings.Contains(fmt.Sprint(n["title"]), "QJ2026N") && !onHour(t, at) {
			t.Errorf("a notice of an anonymous order dated finer than the hour: %v", at)
		}
	}
	if r := b.do("GET", "/inbox", nil); r.Status == 200 {
		check("the inbox page", r.Body)
	}
	// The export is not the body's.
	if r := b.do("GET", "/complaints/export.xlsx", nil); r.Status != 403 && r.Status != 404 {
		t.Errorf("the body exports the queue: %d", r.Status)
	}
	// Its own inspection of ent-a does carry the code: that is exactly what the order must not.
	if code, insp := e.api("GET", "/api/v1/inspections", off, nil); code != 200 || !strings.Contains(fmt.Sprint(insp), c.code) {
		t.Fatalf("the premise: the body's own inspection list holds the code (%d)", code)
	}
}

// TestAttackLiaisonSeesTheInspectionOnlyByTheAuditedReveal: supervision staff keep the county
// they route by but learn the inspection (which names the enterprise) only through the reveal,
// each time audited; the XLSX export keeps the reporter hidden and its times coarse.
func TestAttackLiaisonSeesTheInspectionOnlyByTheAuditedReveal(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	c := fileAnonymousCase(t, e)
	li := e.token("liaison-lc")
	ref := idPath(c.anon["id"])
	_, raw := e.raw("GET", "/api/v1/complaints/"+ref, li, "")
	if strings.Contains(raw, c.code) || strings.Contains(raw, c.entName) || !strings.Contains(raw, `"county":"330302"`) {
		t.Fatalf("the liaison's view: %s", raw)
	}
	_, n0, _ := e.st.VerifyAudit(t.Context())
	code, rv := e.api("POST", "/api/v1/complaints/"+ref+"/reveal", li, map[string]any{"reason": "核实"})
	if code != 200 || rv["inspection_code"] != c.code {
		t.Fatalf("reveal: %d %v", code, rv)
	}
	if _, n1, _ := e.st.VerifyAudit(t.Context()); n1 != n0+1 {
		t.Fatalf("the reveal was not audited: %d -> %d", n0, n1)
	}
	b := e.browser()
	b.login("liaison-lc", demoPassword)
	r := b.do("GET", "/complaints/export.xlsx", nil)
	if r.Status != 200 {
		t.Fatalf("export: %d", r.Status)
	}
	x, err := excelize.OpenReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("Sheet1")
	found := false
	for _, row := range rows {
		line := strings.Join(row, "|")
		if strings.Contains(line, c.anon["number"].(string)) {
			found = true
			if strings.Contains(line, c.entName) || !strings.HasSuffix(row[7], ":00") {
				t.Errorf("the export row of an anonymous order: %v", row)
			}
		}
	}
	if !found {
		t.Fatal("the anonymous order is not in the export")
	}
}

// TestAttackPDFMetadataReachesNoRole: a PDF naming its author, uploaded as evidence of a named
// order and as a case-file record, comes back to every role that may open it rebuilt without
// its author, its XMP, its annotation's author and its dates.
func TestAttackPDFMetadataReachesNoRole(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	pdf := authoredPDF("Chen Xiaodong")
	ent := e.token("ent-a")
	ev := fmt.Sprintf("/api/v1/complaints/%d/evidence", v.Complaint)
	if code, out := e.upload(ev, ent, pdf); code != 201 {
		t.Fatalf("evidence: %d %s", code, out)
	}
	ob := e.browser()
	ob.login("officer-scj", demoPassword)
	in := fmt.Sprint(v.Inspection)
	if r := ob.multipart("/manage/inspections/"+in+"/records", "/manage/inspections/"+in+"/records/new",
		map[string]string{"kind": "notice", "number": "温市监通〔2026〕7号", "issued_on": e.clk.Now().In(wz).Format("2006-01-02")}, pdf); r.Status != 303 {
		t.Fatalf("record: %d %s", r.Status, r.Body)
	}
	recs, err := e.st.InspectionRecords(t.Context(), v.Inspection)
	if err != nil || len(recs) != 2 {
		t.Fatalf("records: %d %v", len(recs), err)
	}
	for _, who := range []string{"ent-a", "liaison-lc", "liaison-city", "officer-scj", "admin"} {
		tok := e.token(who)
		_, d := e.api("GET", fmt.Sprintf("/api/v1/complaints/%d", v.Complaint), tok, nil)
		for _, f := range d["evidence"].([]any) {
			f := f.(map[string]any)
			code, body := e.raw("GET", ev+"/"+idPath(f["id"]), tok, "")
			if code != 200 || strings.Contains(body, "Chen") || strings.Contains(body, "Author") || strings.Contains(body, "20260302101010") {
				t.Errorf("%s downloads evidence %v: %d, metadata kept", who, f["content_type"], code)
			}
		}
		b := e.browser()
		b.login(who, demoPassword)
		r := b.do("GET", fmt.Sprintf("/records/%d/file", recs[1].ID), nil)
		if r.Status != 200 || !strings.HasPrefix(r.Body, "%PDF-") || strings.Contains(r.Body, "Chen") || strings.Contains(r.Body, "Author") {
			t.Errorf("%s reads the case-file PDF: %d, metadata kept", who, r.Status)
		}
	}
}

// bombPNG is a real, complete PNG of w×h pixels at 16 bits per channel with alpha (8 bytes a
// decoded pixel) whose rows are zero: a few hundred KB on the wire. It is streamed row by row.
func bombPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	chunk := func(typ string, body []byte) []byte {
		var b bytes.Buffer
		binary.Write(&b, binary.BigEndian, uint32(len(body)))
		b.WriteString(typ)
		b.Write(body)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), body...)))
		return b.Bytes()
	}
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 16, 6
	out.Write(chunk("IHDR", ihdr))
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	row := make([]byte, 1+w*8)
	for range h {
		zw.Write(row)
	}
	zw.Close()
	out.Write(chunk("IDAT", z.Bytes()))
	out.Write(chunk("IEND", nil))
	return out.Bytes()
}

// TestAttackDecompressionBombsAndFakeFiles: the 16-bit PNG of 6000×6600 pixels (under the 40 MP
// cap; 660 MB per upload before) sent four times at once as evidence and as a case file is
// refused from its header with 413 naming the file, while the heap stays put; random bytes
// after "%PDF-", and a PDF that runs a script, are refused with 415. Nothing is stored.
func TestAttackDecompressionBombsAndFakeFiles(t *testing.T) {
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	bomb := bombPNG(t, 6000, 6600)
	ent := e.token("ent-a")
	ev := fmt.Sprintf("/api/v1/complaints/%d/evidence", v.Complaint)
	before := rowCount(t, e, "evidence")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > base && m.HeapInuse-base > peak.Load() {
				peak.Store(m.HeapInuse - base)
			}
		}
	}()
	var wg sync.WaitGroup
	codes := make([]int, 4)
	bodies := make([]string, 4)
	for i := range 4 {
		wg.Go(func() { codes[i], bodies[i] = e.upload(ev, ent, bomb) })
	}
	wg.Wait()
	close(stop)
	t.Logf("four %d KB bombs (%d MB decoded each) at once: heap rose %d MB", len(bomb)>>10, 6000*6600*8>>20, peak.Load()>>20)
	for i := range 4 {
		if codes[i] != 413 || !strings.Contains(bodies[i], `"file"`) || !strings.Contains(bodies[i], "像素") {
			t.Errorf("bomb %d: %d %s", i, codes[i], bodies[i])
		}
	}
	// The requests themselves hold their bodies (four of 384 KB, and the test's copies); a
	// decode would have held 300 MB each.
	if peak.Load() > 96<<20 {
		t.Errorf("refusing four bombs took %d MB", peak.Load()>>20)
	}
	noise := make([]byte, 64<<10)
	for i := range noise {
		noise[i] = byte(i*7919 ^ i>>7)
	}
	for name, data := range map[string][]byte{
		"random bytes after %PDF-": append([]byte("%PDF-1.7\n"), noise...),
		"a PDF that runs a script": bytes.Replace(authoredPDF("x"), []byte("/Metadata 4 0 R"), []byte("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), 1),
	} {
		if code, out := e.upload(ev, ent, data); code != 415 || !strings.Contains(out, `"file"`) {
			t.Errorf("%s: %d %s", name, code, out)
		}
	}
	ob := e.browser()
	ob.login("officer-scj", demoPassword)
	in := fmt.Sprint(v.Inspection)
	if r := ob.multipart("/manage/inspections/"+in+"/records", "/manage/inspections/"+in+"/records/new",
		map[string]string{"kind": "notice", "number": "温市监通〔2026〕8号", "issued_on": e.clk.Now().In(wz).Format("2006-01-02")}, bomb); r.Status != 413 {
		t.Errorf("a bomb as a case file: %d", r.Status)
	}
	if n := rowCount(t, e, "evidence"); n != before {
		t.Fatalf("refused files were recorded: %d -> %d", before, n)
	}
}

// TestAttackUploadQuota: a user's uploads count against a daily quota; eight at once with room
// for three store exactly three (the count is one statement), the rest get 429 naming the file
// in plain words; another user is not affected; the next day there is room again.
func TestAttackUploadQuota(t *testing.T) {
	t.Parallel()
	photo := jpegWithExif(t, "x")
	e := newEnv(t, func(d *portal.Deps) { d.SubmitPerMinute = 1 << 30 })
	// The stored size is the rebuilt photo's: learn it from a first upload on another env.
	probe := newEnv(t)
	_, o := probe.api("POST", "/api/v1/complaints", probe.token("ent-a"), map[string]any{"type": "conduct", "description": "检查时拍照取证", "body_id": 1})
	probe.upload("/api/v1/complaints/"+idPath(o["id"])+"/evidence", probe.token("ent-a"), photo)
	_, d := probe.api("GET", "/api/v1/complaints/"+idPath(o["id"]), probe.token("ent-a"), nil)
	size := int64(d["evidence"].([]any)[0].(map[string]any)["size"].(float64))
	e.srv.UploadQuota = 3*size + size/2
	ent, other := e.token("ent-a"), e.token("ent-b")
	_, o = e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "description": "检查时拍照取证", "body_id": 1})
	path := "/api/v1/complaints/" + idPath(o["id"]) + "/evidence"
	var wg sync.WaitGroup
	var ok, limited atomic.Int32
	for range 8 {
		wg.Go(func() {
			switch code, out := e.upload(path, ent, photo); {
			case code == 201:
				ok.Add(1)
			case code == 429 && strings.Contains(out, `"file"`) && strings.Contains(out, "上限"):
				limited.Add(1)
			default:
				t.Errorf("upload: %d %s", code, out)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 3 || limited.Load() != 5 {
		t.Fatalf("%d stored and %d refused of 8, want 3 and 5", ok.Load(), limited.Load())
	}
	_, o2 := e.api("POST", "/api/v1/complaints", other, map[string]any{"type": "conduct", "description": "检查时拍照取证", "body_id": 1})
	if code, out := e.upload("/api/v1/complaints/"+idPath(o2["id"])+"/evidence", other, photo); code != 201 {
		t.Fatalf("another user: %d %s", code, out)
	}
	e.clk.Advance(24 * time.Hour)
	if code, out := e.upload(path, e.token("ent-a"), photo); code != 201 {
		t.Fatalf("the next day: %d %s", code, out)
	}
}

// TestAttackOutboxShowsNoPersonalDataWithoutAnAuditedLook: an anonymous reporter's SMS and email
// sit in the admin's outbox beside the order's number; the list masks the address and name, and
// the full row is one audited look at a time, for the admin only.
func TestAttackOutboxShowsNoPersonalDataWithoutAnAuditedLook(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.token("ent-a")
	if code, out := e.api("PUT", "/api/v1/me/notification-settings", ent, map[string]any{"lang": "zh", "sms": true, "mobile": "13800000001", "email_on": true, "email": "chen@xinrui-shoes.test"}); code != 200 {
		t.Fatalf("settings: %d %v", code, out)
	}
	code, out := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "description": "检查期间要求停产", "body_id": 1, "anonymous": true})
	if code != 201 {
		t.Fatalf("file: %d %v", code, out)
	}
	var rows []store.OutboxRow
	if err := e.st.Gorm().Where("task_type = ? AND done_at IS NULL", notify.TaskDeliver).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		deliver(t, e, r.ID)
	}
	ds, _ := e.st.Deliveries(t.Context(), "", 10)
	if len(ds) < 2 {
		t.Fatalf("%d deliveries", len(ds))
	}
	en, _ := e.st.Enterprise(t.Context(), 1)
	u, _ := e.st.UserByUsername(t.Context(), "ent-a")
	adm := e.browser()
	adm.login("admin", demoPassword)
	page := adm.do("GET", "/admin/outbox", nil)
	if page.Status != 200 || !strings.Contains(page.Body, out["number"].(string)) {
		t.Fatalf("outbox: %d", page.Status)
	}
	for _, leak := range []string{"13800000001", "chen@", "xinrui-shoes", u.DisplayName, en.ContactName} {
		if leak != "" && strings.Contains(page.Body, leak) {
			t.Errorf("the outbox list shows %q", leak)
		}
	}
	_, n0, _ := e.st.VerifyAudit(t.Context())
	r := adm.post("/admin/outbox/reveal", "/admin/outbox", url.Values{"id": {fmt.Sprint(ds[0].ID)}})
	if r.Status != 200 || !strings.Contains(r.Body, ds[0].Recipient) {
		t.Fatalf("reveal: %d", r.Status)
	}
	if _, n1, _ := e.st.VerifyAudit(t.Context()); n1 != n0+1 {
		t.Fatalf("the reveal was not audited: %d -> %d", n0, n1)
	}
	for _, who := range []string{"liaison-city", "officer-scj", "ent-a"} {
		b := e.browser()
		b.login(who, demoPassword)
		if r := b.post("/admin/outbox/reveal", "/settings", url.Values{"id": {fmt.Sprint(ds[0].ID)}}); r.Status != 403 && r.Status != 404 {
			t.Errorf("%s reveals a delivery: %d", who, r.Status)
		}
	}
	if _, n2, _ := e.st.VerifyAudit(t.Context()); n2 != n0+1 {
		t.Fatal("a refused reveal was audited or went through")
	}
}

// TestAttackOldFeedLinkStopsWorking: a calendar-feed address that leaked is withdrawn by its
// owner's "new link": the old address answers 404 at once, the new one works.
func TestAttackOldFeedLinkStopsWorking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	re := regexp.MustCompile(`href="(/ical/[0-9]+/[0-9a-f]+\.ics)"`)
	for _, who := range []string{"ent-a", "provider-1"} {
		b := e.browser()
		b.login(who, demoPassword)
		m := re.FindStringSubmatch(b.do("GET", "/bookings", nil).Body)
		if m == nil {
			t.Fatalf("%s: no feed link", who)
		}
		if r := e.browser().do("GET", m[1], nil); r.Status != 200 {
			t.Fatalf("%s: the feed: %d", who, r.Status)
		}
		r := b.post("/bookings/feed", "/bookings", nil)
		if r.Status != 303 {
			t.Fatalf("%s: new link: %d", who, r.Status)
		}
		page := b.do("GET", r.Header.Get("Location"), nil).Body
		fresh := re.FindStringSubmatch(page)
		if fresh == nil || fresh[1] == m[1] || !strings.Contains(page, "旧链接已失效") {
			t.Fatalf("%s: no new link shown", who)
		}
		if r := e.browser().do("GET", m[1], nil); r.Status != 404 {
			t.Errorf("%s: the old feed still answers %d", who, r.Status)
		}
		if r := e.browser().do("GET", fresh[1], nil); r.Status != 200 {
			t.Errorf("%s: the new feed: %d", who, r.Status)
		}
	}
}

// TestAttackRatingFormSaysItIsNotAnonymous: the enterprise learns before rating that the body
// reads its rating and comment with its name (a rating raises clues against the body).
func TestAttackRatingFormSaysItIsNotAnonymous(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	e.clk.Advance(9 * 24 * time.Hour) // past the inspection (five working days on): rating is open
	b := e.browser()
	b.login("ent-a", demoPassword)
	page := b.do("GET", fmt.Sprintf("/inspections/%d", v.Inspection), nil).Body
	form := strings.Index(page, `action="/inspections/`+fmt.Sprint(v.Inspection)+`/rate"`)
	notice := strings.Index(page, `data-testid="rate-notice"`)
	if form < 0 || notice < 0 || notice > form || !strings.Contains(page, "不是匿名的") {
		t.Fatalf("the rating form does not say first that it is not anonymous (form at %d, notice at %d)", form, notice)
	}
}
