package portal_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"qijian/internal/store"
	"sort"
	"strings"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/demo"
	"qijian/portal"
)

// Payloads an attacker puts in every free-text field it controls.
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
	xssBoth   = xssScript + xssImg
)

// victims are demo objects that belong to ent-a (and body 1, 市场监管局, and provider-1), made
// through the portal itself, so every attacker has something real to reach for.
type victims struct {
	Complaint, Evidence, Booking, Inspection, Appointment, Document, Alert, Record uint64
	Body, Service, EntAUser                                                        uint64
	Claim                                                                          uint64 // an enterprise application in Lucheng
	Message                                                                        uint64 // one of ent-a's inbox messages
	Enterprise                                                                     uint64 // ent-a's enterprise (its grades)
	ReplyFile                                                                      uint64 // a file body 1 uploaded for its reply to the complaint
	Template                                                                       uint64 // a reply template (admins keep them)
	OrderDoc, SupervisionItem                                                      uint64 // the complaint's reminder (督办); body 1's concentrated-complaint item
	Clue                                                                           uint64 // a clue the checks raised about ent-a, waiting for review
}

// attackEnv is a portal without per-minute limits (the matrix sends hundreds of requests) and with
// outsiders for each role: another body's officer, another county's liaison, another provider and
// an observation point without members.
func attackEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, func(d *portal.Deps) { d.SubmitPerMinute = 1 << 30; d.LoginPerMinute = 1 << 30 })
	hash, err := account.HashPassword(demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	two := uint(2) // 温州市生态环境局
	for _, u := range []account.User{
		{Username: "officer-sthj", Role: account.RoleOfficer, DisplayName: "生态环境局 执法人员", BodyID: &two},
		{Username: "liaison-ra", Role: account.RoleLiaison, DisplayName: "瑞安市司法局 监督联络员", CountyCode: "330381"},
		{Username: "provider-2", Role: account.RoleProvider, DisplayName: "风控法务服务中心", OrgName: "瑞安市风控法务服务中心"},
		{Username: "obs-empty", Role: account.RoleObserver, DisplayName: "瑞安市行业协会观测点", OrgName: "瑞安市汽摩配行业协会观测点"},
	} {
		u.PasswordHash, u.CreatedAt, u.UpdatedAt = hash, e.clk.Now(), e.clk.Now()
		if err := e.st.CreateUser(t.Context(), &u); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// attackers are every role, each as an outsider and (where one exists) as the party that may
// legitimately see ent-a's objects; the allow-list in attack_test.go says which is which.
var attackers = []string{"ent-b", "obs-empty", "obs-chamber", "liaison-ra", "liaison-lc", "liaison-city", "officer-sthj", "officer-scj", "provider-2", "provider-1", "admin"}

// makeVictims files, books, registers and sends one of everything for ent-a, putting the given
// text in each free-text field on the way.
func makeVictims(t *testing.T, e *env, text string) victims {
	t.Helper()
	var v victims
	ent, off, li := e.token("ent-a"), e.token("officer-scj"), e.token("liaison-lc")
	must := func(what string, call func() (int, map[string]any)) uint64 {
		t.Helper()
		code, out := call()
		if code != 201 && code != 200 {
			t.Fatalf("%s: %d %v", what, code, out)
		}
		var id uint64
		fmt.Sscan(fmt.Sprint(out["id"]), &id)
		return id
	}
	v.Complaint = must("complaint", func() (int, map[string]any) {
		return e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "body_id": 1, "description": "检查期间要求停产 " + text})
	})
	c := fmt.Sprintf("/api/v1/complaints/%d", v.Complaint)
	code, out := e.upload(c+"/evidence", ent, jpegWithExif(t, "x"))
	if code != 201 {
		t.Fatalf("evidence: %d %s", code, out)
	}
	v.Evidence = 1
	for _, a := range []map[string]any{{"action": "accept"}, {"action": "dispatch", "unit_id": 1}} {
		if code, out := e.api("POST", c+"/actions", li, a); code != 200 {
			t.Fatalf("%v: %d %v", a, code, out)
		}
	}
	// Replies and notes: body 1's file waiting for its reply, a handler's note, a template.
	code, out = e.upload(c+"/reply-files", off, jpegWithExif(t, "x"))
	if code != 201 {
		t.Fatalf("reply file: %d %s", code, out)
	}
	fmt.Sscan(strings.TrimSuffix(strings.TrimPrefix(out, `{"id":`), "}"), &v.ReplyFile)
	if code, out := e.api("POST", c+"/actions", li, map[string]any{"action": "note", "note": "内部备注 " + text}); code != 200 {
		t.Fatalf("note: %d %v", code, out)
	}
	v.Template = must("reply template", func() (int, map[string]any) {
		return e.api("POST", "/api/v1/reply-templates", e.token("admin"), map[string]any{"type": "conduct", "title_zh": "模板 " + text, "title_en": "Template " + text, "body_zh": "正文 " + text, "body_en": "Text " + text})
	})
	if code, out := e.api("POST", c+"/actions", li, map[string]any{"action": "escalate", "reason": "签收超时 " + text}); code != 200 {
		t.Fatalf("escalate: %d %v", code, out)
	} else {
		fmt.Sscan(fmt.Sprint(out["documents"].([]any)[0].(map[string]any)["id"]), &v.OrderDoc)
	}
	item := store.SupervisionItem{UnitBodyID: 1, Month: e.clk.Now().In(wz).Format("2006-01"), Orders: 1, Limit: 1, RaisedAt: e.clk.Now()}
	if _, err := e.st.RaiseSupervisionItem(t.Context(), &item); err != nil {
		t.Fatal(err)
	}
	v.SupervisionItem = item.ID
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
	v.Service = uint64(sl.ServiceID)
	v.Booking = must("booking", func() (int, map[string]any) {
		return e.api("POST", "/api/v1/bookings", ent, map[string]any{"slot_id": sl.ID, "mode": "online", "topic": "消防 " + text})
	})
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 5)
	v.Inspection = must("inspection", func() (int, map[string]any) {
		return e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": "triggered", "enterprise_id": 1, "body_ids": []int{1},
			"item_ids": []int{1, 2}, "inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": e.clk.Now().Format(time.RFC3339), "place": "鹿城区工业园 " + text})
	})
	// A case-file record (RECORD-1) with a file, added by body 1's officer on the page.
	ob := e.browser()
	ob.login("officer-scj", demoPassword)
	in := fmt.Sprint(v.Inspection)
	if r := ob.multipart("/manage/inspections/"+in+"/records", "/manage/inspections/"+in+"/records/new",
		map[string]string{"kind": "onsite", "number": "温市监现〔2026〕99号", "issued_on": e.clk.Now().In(wz).Format("2006-01-02"), "summary": "现场笔录 " + text}, smallPNG(t)); r.Status != 303 {
		t.Fatalf("record: %d %s", r.Status, r.Body)
	}
	recs, err := e.st.InspectionRecords(t.Context(), v.Inspection)
	if err != nil || len(recs) != 1 {
		t.Fatalf("record: %v %d", err, len(recs))
	}
	v.Record = recs[0].ID
	v.Appointment = must("appointment", func() (int, map[string]any) {
		return e.api("POST", "/api/v1/appointments", ent, map[string]any{"body_id": 1, "topic": "反映重复检查 " + text, "preferred_at": "2026-03-10T15:00"})
	})
	v.Document = must("documents", func() (int, map[string]any) {
		return e.api("POST", "/api/v1/documents", off, map[string]any{"enterprise_uscc": demo.USCC("330302", 1), "decision": "决定：警告 " + text, "advice": "建议 " + text, "credit_repair": "修复 " + text})
	})
	v.Alert = must("alert", func() (int, map[string]any) {
		return e.api("POST", "/api/v1/alerts", off, map[string]any{"title": "鞋革企业消防风险提示 " + text, "body": "请自查 " + text, "industries": []string{"footwear"}})
	})
	v.Body = 1
	if err := e.st.WithTx(t.Context(), func(ctx context.Context) error {
		f, err := e.srv.Services().Orders.FileClue(ctx, 1, 1, "NOTICE-1", "检查前未送达通知书 "+text, "")
		v.Clue = f.ID
		return err
	}); err != nil {
		t.Fatalf("clue: %v", err)
	}
	u, err := e.st.UserByUsername(t.Context(), "ent-a")
	if err != nil {
		t.Fatal(err)
	}
	v.EntAUser = uint64(u.ID)
	v.Enterprise = uint64(*u.EnterpriseID)
	v.Claim = makeClaim(t, e)
	msg := store.Notification{UserID: u.ID, Kind: "test", Title: "消息", Body: text, Link: "/bookings", CreatedAt: e.clk.Now()}
	if err := e.st.CreateNotification(t.Context(), &msg); err != nil {
		t.Fatal(err)
	}
	v.Message = msg.ID
	return v
}

// fingerprint is a digest of every row of every table except those a read may touch (sessions
// and tokens record their last use). Two equal fingerprints mean a request changed nothing.
func fingerprint(t *testing.T, e *env) string {
	t.Helper()
	db := e.st.Gorm()
	tables, err := db.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(tables)
	h := sha256.New()
	for _, tb := range tables {
		if strings.Contains(tb, "session") || strings.Contains(tb, "token") {
			continue
		}
		rows, err := db.Raw("SELECT * FROM " + tb).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(h, "%s:%d:%s\n", tb, len(lines), strings.Join(lines, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rowCount counts one table's rows.
func rowCount(t *testing.T, e *env, table string) int64 {
	t.Helper()
	var n int64
	if err := e.st.Gorm().Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// session is a logged-in browser plus its CSRF token, reused for many requests.
type session struct {
	b    *browser
	csrf string
}

func (e *env) session(user string) *session {
	e.t.Helper()
	b := e.browser()
	if r := b.login(user, demoPassword); r.Status != 303 {
		e.t.Fatalf("login %s: %d", user, r.Status)
	}
	return &session{b: b, csrf: b.csrf("/settings/notifications")}
}

// send makes one request as a browser (cookie) or API client (bearer token), with a JSON or form
// body, or a multipart upload when body holds "file".
func (e *env) send(method, path string, s *session, token string, body map[string]any, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	ctype := ""
	if body != nil {
		if f, ok := body["file"].([]byte); ok {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			fw, _ := w.CreateFormFile("file", "photo.png")
			fw.Write(f)
			if s != nil && s.csrf != "" {
				w.WriteField("_csrf", s.csrf)
			}
			w.Close()
			rd, ctype = &buf, w.FormDataContentType()
		} else if token != "" || s == nil {
			raw, _ := json.Marshal(body)
			rd, ctype = bytes.NewReader(raw), "application/json"
		} else {
			form := url.Values{}
			for k, v := range body {
				switch x := v.(type) {
				case []string:
					form[k] = x
				default:
					form.Set(k, fmt.Sprint(x))
				}
			}
			if s.csrf != "" {
				form.Set("_csrf", s.csrf)
			}
			rd, ctype = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
		}
	}
	req := httptest.NewRequest(method, path, rd)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if s != nil {
		for k, v := range s.b.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		if method != "GET" && body == nil && s.csrf != "" {
			req.Header.Set("X-CSRF-Token", s.csrf)
		}
	}
	return e.run(req, hdr...)
}

// sendRaw sends a body exactly as given, with the headers given (Content-Type among them).
func (e *env) sendRaw(method, path string, s *session, token, body string, hdr ...string) resp {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if s != nil {
		for k, v := range s.b.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	res, err := e.srv.App().Test(req, 30000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Body: string(raw), Header: res.Header}
}

// selfSigned makes a throwaway certificate for 127.0.0.1.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// run sets hdr (name, value pairs) on req and runs it through the app: the one way the attack
// helpers send a request.
func (e *env) run(req *http.Request, hdr ...string) resp {
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.srv.App().Test(req, 20000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Body: string(raw), Header: res.Header}
}
