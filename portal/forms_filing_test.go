package portal_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fileWith posts the filing form as a browser does, multipart with its photos.
func fileWith(t *testing.T, b *browser, fields map[string]string, photos ...[]byte) resp {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", b.csrf("/complaints/new"))
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for _, p := range photos {
		fw, _ := w.CreateFormFile("photos", "photo.jpg")
		_, _ = fw.Write(p)
	}
	_ = w.Close()
	req := httptest.NewRequest("POST", "/complaints", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := b.e.srv.App().Test(req, 10000)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Body: string(raw), Header: res.Header}
}

// Photos come with the filing itself and pass the evidence checks first: a file that is not a
// photo or PDF sends the form back, the text kept and nothing filed; good ones are attached and
// shown as thumbnails. After filing, the page says what happens next, by when, and who sees whom.
func TestFilingWithPhotosAndItsConfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.browser()
	ent.login("ent-a", demoPassword)
	fields := map[string]string{"type": "conduct", "body_id": "1", "description": "检查期间要求停产整顿，影响生产", "anonymous": "true"}
	before := len(ent.do("GET", "/complaints", nil).Body)
	r := fileWith(t, ent, fields, []byte("#!/bin/sh\necho not a photo\n"))
	assertSummary(t, "a filing with a file that is no photo", r, []string{"photos"}, "检查期间要求停产整顿，影响生产")
	if len(ent.do("GET", "/complaints", nil).Body) != before {
		t.Fatal("a refused filing was filed")
	}
	r = fileWith(t, ent, fields, jpegWithExif(t, "secret"), smallPNG(t))
	m := orderLoc.FindStringSubmatch(r.Header.Get("Location"))
	if r.Status != 303 || m == nil || !strings.HasSuffix(r.Header.Get("Location"), "?filed=1") {
		t.Fatalf("file with photos: %d %s", r.Status, r.Header.Get("Location"))
	}
	page := ent.do("GET", r.Header.Get("Location"), nil).Body
	if !strings.Contains(page, `data-testid="filed"`) || !strings.Contains(page, "受理") {
		t.Fatal("no confirmation after filing")
	}
	if !strings.Contains(page, "前受理") { // the accept deadline in plain words: "明天 17:00 前受理"
		t.Errorf("the confirmation does not say by when it is accepted: %s", between(page, `data-testid="filed-next">`, "</p>"))
	}
	if who := between(page, `data-testid="filed-who">`, "</p>"); !strings.Contains(who, "被反映的执法单位看不到") || !strings.Contains(who, "记入审计") {
		t.Errorf("the confirmation does not say who sees the anonymous filer: %q", who)
	}
	if n := strings.Count(between(page, `data-testid="thumbs"`, "</ul>"), "<img "); n != 2 {
		t.Errorf("%d thumbnails, want 2", n)
	}
	if strings.Contains(ent.do("GET", "/complaints/"+m[1], nil).Body, `data-testid="filed"`) {
		t.Error("the confirmation stays on the page after the first look")
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, _ := strings.Cut(rest, to)
	return out
}

// Cancelling a booking cannot be undone: the page asks once more (which booking, when), and
// only the confirmation cancels.
func TestCancellingABookingAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 14, 0, 0, 0, wz))
	b := e.browser()
	b.login("ent-a", demoPassword)
	link := fmt.Sprintf("/services/%d/book?slot=%d", sl.ServiceID, sl.ID)
	r := b.post("/bookings", link, url.Values{"slot_id": {fmt.Sprint(sl.ID)}, "mode": {"online"}, "topic": {"消防"}})
	loc := strings.TrimSuffix(r.Header.Get("Location"), "?done=booked")
	if r.Status != 303 {
		t.Fatalf("book: %d", r.Status)
	}
	r = b.post(loc+"/act", loc, url.Values{"action": {"cancel"}})
	if r.Status != 200 || !strings.Contains(r.Body, `data-testid="confirm-step"`) || !strings.Contains(r.Body, "2026-03-04 14:00") || !strings.Contains(r.Body, `name="confirm" value="yes"`) {
		t.Fatalf("cancel asks first: %d", r.Status)
	}
	if p := b.do("GET", loc, nil); !strings.Contains(p.Body, `data-testid="act-cancel"`) {
		t.Fatal("asking to cancel cancelled")
	}
	other := e.browser()
	other.login("ent-b", demoPassword)
	if r := other.post(loc+"/act", "/services", url.Values{"action": {"cancel"}}); r.Status != 404 {
		t.Fatalf("another enterprise's check step: %d, want 404", r.Status)
	}
	if r := b.post(loc+"/act", loc, url.Values{"action": {"cancel"}, "confirm": {"yes"}}); r.Status != 303 {
		t.Fatalf("cancel confirmed: %d", r.Status)
	}
	if p := b.do("GET", loc, nil); strings.Contains(p.Body, `data-testid="act-cancel"`) {
		t.Fatal("the confirmed cancel did not cancel")
	}
}
