package portal_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"qijian/internal/demo"
	"qijian/internal/store"
	"qijian/portal"
)

// count is the rows of a table.
func (e *env) count(table string) int64 {
	e.t.Helper()
	var n int64
	if err := e.st.Gorm().Table(table).Count(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

// uploadKeyed is upload with an Idempotency-Key.
func (e *env) uploadKeyed(path, token, key string, data []byte) (int, map[string]any) {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "photo.png")
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	res, err := e.srv.App().Test(req, 20000)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out
}

// Every create of the API takes an Idempotency-Key: a retry answers the first answer and creates
// nothing; the same key with another body is refused with 422 naming the mismatch, and creates
// nothing either.
func TestCreatesWithAKeyAreMadeOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.SubmitPerMinute = 1000 })
	ent, off := e.token("ent-a"), e.token("officer-scj")
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz)) // capacity 2
	sl2 := slotOf(t, e, "checkup", time.Date(2026, 3, 5, 9, 0, 0, 0, wz))
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 5)
	inspection := func(place string) map[string]any {
		return map[string]any{"kind": "planned", "enterprise_id": 1, "body_ids": []int{1}, "item_ids": []int{1}, "inspector_ids": []int{1, 2},
			"scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339), "place": place}
	}
	for _, c := range []struct {
		name, path, token, table string
		body, other              map[string]any
	}{
		{"booking", "/api/v1/bookings", ent, "bookings",
			map[string]any{"slot_id": sl.ID, "mode": "online", "topic": "消防"}, map[string]any{"slot_id": sl2.ID, "mode": "online", "topic": "消防"}},
		{"appointment", "/api/v1/appointments", ent, "appointments",
			map[string]any{"body_id": 1, "topic": "反映重复检查", "preferred_at": "2026-03-10T15:00"}, map[string]any{"body_id": 1, "topic": "另一件事", "preferred_at": "2026-03-10T15:00"}},
		{"documents", "/api/v1/documents", off, "document_bundles",
			map[string]any{"enterprise_uscc": demo.USCC("330302", 1), "decision": "决定：警告", "advice": "建议", "credit_repair": "修复"},
			map[string]any{"enterprise_uscc": demo.USCC("330302", 1), "decision": "决定：罚款", "advice": "建议", "credit_repair": "修复"}},
		{"inspection", "/api/v1/inspections", off, "inspections", inspection("鹿城区工业园 1 号"), inspection("鹿城区工业园 2 号")},
	} {
		t.Run(c.name, func(t *testing.T) {
			key := "k-" + c.name
			code, first := e.api("POST", c.path, c.token, c.body, "Idempotency-Key", key)
			if code != 201 {
				t.Fatalf("first: %d %v", code, first)
			}
			n := e.count(c.table)
			code, again := e.api("POST", c.path, c.token, c.body, "Idempotency-Key", key)
			if code != 201 || again["id"] != first["id"] {
				t.Fatalf("retry: %d %v, want the first answer %v", code, again, first)
			}
			if m := e.count(c.table); m != n {
				t.Fatalf("the retry created %d rows", m-n)
			}
			code, out := e.api("POST", c.path, c.token, c.other, "Idempotency-Key", key)
			if code != 422 || errCode(out) != "idempotency_key_mismatch" {
				t.Fatalf("another body with the key: %d %v, want 422 idempotency_key_mismatch", code, out)
			}
			if m := e.count(c.table); m != n {
				t.Fatalf("the mismatch created %d rows", m-n)
			}
		})
	}
	// The same key on another kind of create is another request too.
	if code, out := e.api("POST", "/api/v1/appointments", ent, map[string]any{"body_id": 1, "topic": "x 反映", "preferred_at": "2026-03-10T15:00"}, "Idempotency-Key", "k-booking"); code != 422 || errCode(out) != "idempotency_key_mismatch" {
		t.Fatalf("a booking's key on an appointment: %d %v", code, out)
	}
	// Evidence: the same file again with the key is the first file; another file with it is refused.
	_, o := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "description": "检查时拍照取证", "body_id": 1})
	base := fmt.Sprintf("/api/v1/complaints/%.0f/evidence", o["id"])
	code, first := e.uploadKeyed(base, ent, "k-ev", smallPNG(t))
	if code != 201 {
		t.Fatalf("upload: %d %v", code, first)
	}
	n := e.count("evidence")
	if code, again := e.uploadKeyed(base, ent, "k-ev", smallPNG(t)); code != 201 || again["id"] != first["id"] || e.count("evidence") != n {
		t.Fatalf("upload retry: %d %v, want %v and no new row", code, again, first)
	}
	if code, out := e.uploadKeyed(base, ent, "k-ev", jpegWithExif(t, "x")); code != 422 || errCode(out) != "idempotency_key_mismatch" || e.count("evidence") != n {
		t.Fatalf("another file with the key: %d %v", code, out)
	}
	// Filings: another filing with a filing's key is refused too, not answered with the first.
	filing := map[string]any{"type": "conduct", "description": "检查人员态度粗暴", "body_id": 1}
	if code, out := e.api("POST", "/api/v1/complaints", ent, filing, "Idempotency-Key", "k-file"); code != 201 {
		t.Fatalf("file: %d %v", code, out)
	}
	filing["description"] = "另一件事：检查时间过长"
	n = e.count("work_orders")
	if code, out := e.api("POST", "/api/v1/complaints", ent, filing, "Idempotency-Key", "k-file"); code != 422 || errCode(out) != "idempotency_key_mismatch" || e.count("work_orders") != n {
		t.Fatalf("another filing with the key: %d %v", code, out)
	}
}

// Concurrent submits of one booking with one key make one booking, one seat, one set of
// reminders; concurrent submits with different keys (a client that makes a new key per retry)
// still cannot hold the slot twice: the database refuses the second active booking.
func TestConcurrentDoubleSubmitBooksOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.SubmitPerMinute = 1000 })
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz)) // capacity 2
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.App().Listener(ln)
	defer e.srv.App().Shutdown()
	base := "http://" + ln.Addr().String()
	tok := e.token("ent-a")
	body, _ := json.Marshal(map[string]any{"slot_id": sl.ID, "mode": "online", "topic": "消防"})
	run := func(keyOf func(i int) string) (map[int]int, map[string]bool) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes, ids := map[int]int{}, map[string]bool{}
		start := make(chan struct{})
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req, _ := http.NewRequest("POST", base+"/api/v1/bookings", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Idempotency-Key", keyOf(i))
				res, err := http.DefaultClient.Do(req)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					codes[-1]++
					return
				}
				var out map[string]any
				json.NewDecoder(res.Body).Decode(&out)
				res.Body.Close()
				codes[res.StatusCode]++
				if res.StatusCode == 201 {
					ids[fmt.Sprint(out["id"])] = true
				}
			}()
		}
		close(start)
		wg.Wait()
		return codes, ids
	}
	codes, ids := run(func(int) string { return "double-tap" })
	if codes[201] != 8 || len(ids) != 1 {
		t.Fatalf("one key: answers %v, ids %v; want eight 201 naming one booking", codes, ids)
	}
	var fresh store.Slot
	e.st.Gorm().First(&fresh, sl.ID)
	if n := e.count("bookings"); n != 1 || fresh.Booked != 1 {
		t.Fatalf("one key made %d bookings, %d seats taken; want 1 and 1", n, fresh.Booked)
	}
	reminders := e.count("outbox")
	codes, _ = run(func(i int) string { return fmt.Sprintf("retry-%d", i) })
	if codes[201] != 0 || codes[409] != 8 {
		t.Fatalf("new keys for a held slot: %v, want eight 409", codes)
	}
	e.st.Gorm().First(&fresh, sl.ID)
	if n := e.count("bookings"); n != 1 || fresh.Booked != 1 || e.count("outbox") != reminders {
		t.Fatalf("after retries with new keys: %d bookings, %d seats, outbox %d→%d", n, fresh.Booked, reminders, e.count("outbox"))
	}
}

var idemKeyRe = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)

// A double tap on the booking form (the same rendering submitted twice) books once and shows the
// same booking both times.
func TestBookingFormDoubleTapBooksOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
	b := e.browser()
	b.login("ent-a", demoPassword)
	form := b.do("GET", fmt.Sprintf("/services/%d/book?slot=%d", sl.ServiceID, sl.ID), nil)
	csrf, key := csrfRe.FindStringSubmatch(form.Body), idemKeyRe.FindStringSubmatch(form.Body)
	if csrf == nil || key == nil {
		t.Fatalf("the booking form carries no key (status %d)", form.Status)
	}
	vals := url.Values{"_csrf": {csrf[1]}, "idempotency_key": {key[1]}, "slot_id": {fmt.Sprint(sl.ID)}, "mode": {"online"}, "topic": {"消防"}}
	one, two := b.do("POST", "/bookings", vals), b.do("POST", "/bookings", vals)
	if one.Status != 303 || two.Status != 303 || one.Header.Get("Location") != two.Header.Get("Location") {
		t.Fatalf("double tap: %d %s, %d %s", one.Status, one.Header.Get("Location"), two.Status, two.Header.Get("Location"))
	}
	if n := e.count("bookings"); n != 1 {
		t.Fatalf("a double tap made %d bookings", n)
	}
	for _, page := range []string{"/complaints/new", "/appointments"} {
		if r := b.do("GET", page, nil); !idemKeyRe.MatchString(r.Body) {
			t.Errorf("%s: its form carries no idempotency key (status %d)", page, r.Status)
		}
	}
	if strings.Contains(form.Body, "{{") {
		t.Fatal("template left unrendered")
	}
}

// The OpenAPI document names the Idempotency-Key header on every create that takes one.
func TestOpenAPINamesTheIdempotencyKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(e.srv.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/complaints", "/complaints/{id}/evidence", "/bookings", "/appointments", "/inspections", "/documents"} {
		op, ok := doc.Paths[path]["post"]
		if !ok {
			t.Errorf("POST %s is not in the document", path)
			continue
		}
		found := false
		for _, p := range op.Parameters {
			found = found || p.In == "header" && p.Name == "Idempotency-Key"
		}
		if !found {
			t.Errorf("POST %s does not name the Idempotency-Key header", path)
		}
	}
}
