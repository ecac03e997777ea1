package portal_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"qijian/portal"
)

// pathVariants are spellings of an API path that a case-insensitive or lax router would take
// for the same route: the prefix or the whole path in other cases, a trailing slash, doubled
// slashes, a percent-encoded letter.
func pathVariants(p string) []string {
	rest := strings.TrimPrefix(p, "/api/v1")
	return []string{
		"/API/v1" + rest,
		"/Api/v1" + rest,
		"/api/V1" + rest,
		strings.ToUpper(p),
		p + "/",
		"/API/v1" + rest + "/",
		"//api/v1" + rest,
		"/api//v1" + rest,
		"/%61pi/v1" + rest,
		"/%41PI/v1" + rest,
	}
}

// Finding 2: a cookie session never authenticates an API route, whatever the path's case or
// spelling; a cookie write without the CSRF token changes nothing anywhere. Every state-changing
// API route is tried, as the owner of the objects (ent-a), their provider, their liaison and an
// admin, with a JSON body that would succeed with the owner's bearer token.
func TestAttackPerimeterCSRFThroughThePathsSpelling(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	users := []string{"ent-a", "provider-1", "liaison-lc", "officer-scj", "admin"}
	sessions := map[string]*session{}
	for _, u := range users {
		s := e.session(u)
		sessions[u] = &session{b: s.b} // the cookie, but no token
	}
	n := 0
	before := fingerprint(t, e)
	for _, r := range tableRoutes(e) {
		if r.Method == "GET" || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		key := r.Method + " " + r.Path
		path := r.Path
		if len(routeParams(path)) > 0 {
			var ok bool
			if path, ok = victimPath(path, v); !ok {
				continue
			}
		}
		body, ok := attackBodies[key]
		if !ok || body["file"] != nil {
			body = map[string]any{}
		}
		raw, _ := json.Marshal(body)
		for _, u := range users {
			for _, p := range pathVariants(path) {
				n++
				res := e.sendRaw(r.Method, p, sessions[u], "", string(raw), "Content-Type", "application/json")
				if res.Status < 400 || res.Status >= 500 {
					t.Errorf("%s %s as %s by cookie, no token: %d %.120s", r.Method, p, u, res.Status, res.Body)
				}
			}
		}
	}
	if fingerprint(t, e) != before {
		t.Fatal("a cookie request to a respelled API path changed the database")
	}
	if n < 500 {
		t.Fatalf("only %d respelled requests ran; the route walk is broken", n)
	}
	t.Logf("%d respelled cookie writes refused", n)
}

// No handler panics on a missing or odd Authorization header: DELETE /API/v1/auth/token with a
// cookie (which once sliced an absent "Bearer " prefix), and every odd header on the API.
func TestAttackPerimeterOddAuthorizationNeverPanics(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	s := e.session("ent-a")
	cookie := &session{b: s.b}
	for _, p := range append([]string{"/api/v1/auth/token"}, pathVariants("/api/v1/auth/token")...) {
		res := e.sendRaw("DELETE", p, cookie, "", "")
		if res.Status < 400 || res.Status >= 500 {
			t.Errorf("DELETE %s with a cookie: %d %.200s", p, res.Status, res.Body)
		}
	}
	for _, h := range []string{"", "Bearer", "Bearer ", "bearer", "B", "Bearer\t", "Basic Zm9vOmJhcg==", "Bearer \x00", "Bearer " + strings.Repeat("a", 3000), "Token x", "  Bearer  x  "} {
		for _, m := range []string{"DELETE", "GET"} {
			p := "/api/v1/auth/token"
			if m == "GET" {
				p = "/api/v1/me"
			}
			res := e.sendRaw(m, p, cookie, "", "", "Authorization", h)
			if res.Status != 401 {
				t.Errorf("%s %s with Authorization %q: %d, want 401 (%.120s)", m, p, h, res.Status, res.Body)
			}
		}
	}
	// Session secrets no column could hold, as cookie and as token.
	for _, secret := range []string{"\xff\xfe", "a\x01b", strings.Repeat("z", 3000), "%00"} {
		if r := e.sendRaw("GET", "/api/v1/me", nil, secret, ""); r.Status != 401 {
			t.Errorf("bearer %q: %d", secret, r.Status)
		}
		if r := e.sendRaw("GET", "/inbox", nil, "", "", "Cookie", "qj_session="+secret); r.Status >= 400 && r.Status != 401 || r.Status == 200 {
			t.Errorf("cookie %q: %d", secret, r.Status)
		}
	}
	// The session still works and was not ended by any of it.
	if r := s.b.do("GET", "/inbox", nil); r.Status != 200 {
		t.Fatalf("the session after the odd requests: %d", r.Status)
	}
}

// serveReal serves e's portal on a real loopback listener, with the connection caps.
func serveReal(t *testing.T, e *env) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.Serve(ln)
	t.Cleanup(func() { e.srv.App().ShutdownWithTimeout(5 * time.Second) })
	return ln.Addr().String()
}

// rawRequest writes head (and the start of a body) on a new connection and reads the answer's
// status, or 0 if the connection was closed without one.
func rawRequest(t *testing.T, addr, head string, within time.Duration) int {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(within))
	if _, err := io.WriteString(conn, head); err != nil {
		return 0
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// residentBytes is the process's resident memory (VmRSS), or the Go runtime's view of what it
// holds from the system where /proc is not there.
func residentBytes() uint64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseUint(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Sys - m.HeapReleased
}

// Finding 1: bodies are limited by route and caller before any of them is read. A visitor may
// send 16 KB, a signed-in caller 64 KB, and only upload routes take more, from signed-in
// callers; compressed and chunked bodies are refused; each answer comes at once, without
// waiting for the announced body.
func TestAttackPerimeterBodyLimitsByRouteAndCaller(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	addr := serveReal(t, e)
	ent := e.token("ent-a")
	s := e.session("ent-a")
	cookie := "qj_session=" + s.b.cookies["qj_session"]
	_, o := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "description": "检查期间要求停产停业", "body_id": 1})
	id := fmt.Sprint(o["id"])
	head := func(method, path string, n int, hdr ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: portal\r\n", method, path)
		for i := 0; i+1 < len(hdr); i += 2 {
			fmt.Fprintf(&b, "%s: %s\r\n", hdr[i], hdr[i+1])
		}
		if n >= 0 {
			fmt.Fprintf(&b, "Content-Length: %d\r\n", n)
		}
		b.WriteString("\r\n" + bodyStart)
		return b.String()
	}
	bearer := "Bearer " + ent
	// A credential is checked once the headers are in and fasthttp has read its first 8 KB of
	// the body (memory it holds anyway); a forged one gets no more than that.
	prefetch := strings.Repeat("A", 8<<10)
	small := len(bodyStart)
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		name, head string
		want       int
	}{
		{"a visitor's 17 KB login", head("POST", "/login", 17<<10, "Content-Type", form), 413},
		{"a visitor's 10 MB login", head("POST", "/login", 10<<20, "Content-Type", form), 413},
		{"a visitor's 10 MB to the API", head("POST", "/api/v1/auth/token", 10<<20, "Content-Type", "application/json"), 413},
		{"a visitor's 10 MB to the upload route", head("POST", "/api/v1/complaints/"+id+"/evidence", 10<<20, "Content-Type", "multipart/form-data; boundary=x"), 413},
		{"a visitor's 10 MB to the page upload route", head("POST", "/complaints/"+id+"/evidence", 10<<20, "Content-Type", "multipart/form-data; boundary=x"), 413},
		{"a forged session's 10 MB upload", head("POST", "/complaints/"+id+"/evidence", 10<<20, "Content-Type", "multipart/form-data; boundary=x", "Cookie", "qj_session=forged") + prefetch, 413},
		{"a forged token's 10 MB upload", head("POST", "/api/v1/complaints/"+id+"/evidence", 10<<20, "Content-Type", "multipart/form-data; boundary=x", "Authorization", "Bearer forged") + prefetch, 413},
		{"a signed-in 65 KB action", head("POST", "/api/v1/complaints/"+id+"/actions", 65<<10, "Content-Type", "application/json", "Authorization", bearer), 413},
		{"a signed-in 10 MB action by page", head("POST", "/complaints/"+id+"/act", 10<<20, "Content-Type", form, "Cookie", cookie), 413},
		{"a signed-in 13 MB upload", head("POST", "/api/v1/complaints/"+id+"/evidence", 13<<20, "Content-Type", "multipart/form-data; boundary=x", "Authorization", bearer), 413},
		{"an upload route respelled", head("POST", "/API/v1/complaints/"+id+"/evidence", 10<<20, "Content-Type", "multipart/form-data; boundary=x", "Authorization", bearer), 413},
		{"a gzip body", head("POST", "/api/v1/complaints", small, "Content-Type", "application/json", "Content-Encoding", "gzip", "Authorization", bearer), 415},
		{"a deflate body to a page", head("POST", "/login", small, "Content-Type", form, "Content-Encoding", "deflate"), 415},
		{"a chunked body", head("POST", "/api/v1/complaints", -1, "Content-Type", "application/json", "Transfer-Encoding", "chunked", "Authorization", bearer), 400},
	}
	before := fingerprint(t, e)
	for _, tc := range cases {
		start := time.Now()
		if got := rawRequest(t, addr, tc.head, 5*time.Second); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: the answer took %v (it waited for the body)", tc.name, d)
		}
	}
	// Expect: 100-continue over the limit is refused before the body is invited.
	if got := rawRequest(t, addr, "POST /login HTTP/1.1\r\nHost: p\r\nContent-Type: "+form+"\r\nExpect: 100-continue\r\nContent-Length: 10485760\r\n\r\n", 3*time.Second); got != 417 {
		t.Errorf("Expect: 100-continue with 10 MB as a visitor: %d, want 417", got)
	}
	// Smuggling: both Transfer-Encoding and Content-Length, and a request hidden in a refused
	// body, get one answer and a closed connection; the hidden request is never served.
	hidden := "GET /api/v1/me HTTP/1.1\r\nHost: p\r\nAuthorization: " + bearer + "\r\n\r\n"
	for name, req := range map[string]string{
		"TE and CL":                              "POST /login HTTP/1.1\r\nHost: p\r\nContent-Type: " + form + "\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + hidden,
		"a body over the visitor's limit":        fmt.Sprintf("POST /login HTTP/1.1\r\nHost: p\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", form, 20<<10) + hidden + strings.Repeat("a", 20<<10-len(hidden)) + hidden,
		"a page refused before its body is read": fmt.Sprintf("POST /complaints/%s/act HTTP/1.1\r\nHost: p\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", id, form, 12<<10) + hidden + strings.Repeat("a", 12<<10-len(hidden)) + hidden,
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(conn, req)
		br := bufio.NewReader(conn)
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Errorf("%s: no answer: %v", name, err)
			conn.Close()
			continue
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode < 400 {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
		if second, err := http.ReadResponse(br, nil); err == nil {
			t.Errorf("%s: a second answer (%d): the hidden request was served", name, second.StatusCode)
		}
		conn.Close()
	}
	if fingerprint(t, e) != before {
		t.Error("a refused body changed the database")
	}
	// What the limits let through still works: a signed-in 40 KB description, a real upload.
	if code, out := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "description": strings.Repeat("检", 4000), "body_id": 1}); code == 413 {
		t.Errorf("a signed-in 12 KB complaint: %d %v", code, out)
	}
	big := bytes.Repeat([]byte("x"), 40<<10)
	if code, out := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "description": string(big), "body_id": 1}); code == 413 {
		t.Errorf("a signed-in 40 KB body was cut as too large: %d %v", code, out)
	}
	if code, out := e.upload("/api/v1/complaints/"+id+"/evidence", ent, jpegWithExif(t, "x")); code != 201 {
		t.Errorf("a real upload: %d %s", code, out)
	}
}

// bodyStart is what the clients of TestAttackPerimeterBodyLimitsByRouteAndCaller send of the
// bodies they announce.
const bodyStart = `{"type":"conduct","description":"`

// The upload-route list names real routes (a renamed route would lose its large bodies).
func TestAttackPerimeterUploadRoutesAreRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	have := map[string]bool{}
	for _, r := range tableRoutes(e) {
		have[r.Method+" "+r.Path] = true
	}
	for _, r := range portal.UploadRoutes() {
		if !have[r.Method+" "+r.Path] {
			t.Errorf("upload route %s %s is not in the route table", r.Method, r.Path)
		}
	}
}

// Connections are capped per client address (a trusted proxy's are not counted per address)
// and the over-cap one is closed before it is read.
func TestAttackPerimeterConnectionCaps(t *testing.T) {
	t.Parallel()
	for _, proxied := range []bool{false, true} {
		e := newEnv(t, func(d *portal.Deps) {
			d.MaxConnsPerAddr = 8
			if proxied {
				d.TrustedProxies = []string{"127.0.0.1"}
			}
		})
		addr := serveReal(t, e)
		var held []net.Conn
		for i := 0; i < 8; i++ {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
			io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: p\r\n")
		}
		time.Sleep(100 * time.Millisecond)
		got := rawRequest(t, addr, "GET /healthz HTTP/1.1\r\nHost: p\r\n\r\n", 3*time.Second)
		if proxied && got != 200 {
			t.Errorf("a trusted proxy's 9th connection: %d, want 200", got)
		}
		if !proxied && got != 0 {
			t.Errorf("a 9th connection from one address: %d, want it closed unread", got)
		}
		held[0].Close()
		time.Sleep(100 * time.Millisecond)
		if got := rawRequest(t, addr, "GET /healthz HTTP/1.1\r\nHost: p\r\n\r\n", 3*time.Second); got != 200 {
			t.Errorf("after one closed (proxied %v): %d, want 200", proxied, got)
		}
		for _, c := range held {
			c.Close()
		}
	}
}

// Finding 1, the flood: several hundred connections announce large bodies (10 MB, under the
// upload limit) and trickle them, as visitors to every door, with a forged session, and as a
// signed-in enterprise to the upload routes; a tenth trickle their headers instead. Resident memory stays within 256 MiB of idle, and
// a normal user's request still answers within a second. Not parallel: it measures the process.
func TestAttackPerimeterSlowBodyFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("opens several hundred connections for several seconds")
	}
	const conns = 400
	const bound = 256 << 20
	e := attackEnv(t)
	// The per-address cap would turn the flood away at the door (all of it comes from
	// 127.0.0.1); raised here, so what is measured is what the bodies cost.
	e.srv.MaxConnsPerAddr = 10 * conns
	addr := serveReal(t, e)
	ent := e.token("ent-a")
	s := e.session("ent-a")
	_, o := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "conduct", "description": "检查期间要求停产停业", "body_id": 1})
	id := fmt.Sprint(o["id"])
	heads := []string{
		"POST /login HTTP/1.1\r\nHost: p\r\nContent-Type: application/x-www-form-urlencoded\r\n",
		"POST /register HTTP/1.1\r\nHost: p\r\nContent-Type: application/x-www-form-urlencoded\r\n",
		"POST /api/v1/auth/token HTTP/1.1\r\nHost: p\r\nContent-Type: application/json\r\n",
		"POST /api/v1/complaints/" + id + "/evidence HTTP/1.1\r\nHost: p\r\nContent-Type: multipart/form-data; boundary=zz\r\n",
		"POST /complaints/" + id + "/evidence HTTP/1.1\r\nHost: p\r\nCookie: qj_session=forged\r\nContent-Type: multipart/form-data; boundary=zz\r\n",
		"POST /api/v1/complaints/" + id + "/evidence HTTP/1.1\r\nHost: p\r\nAuthorization: Bearer " + ent + "\r\nContent-Type: multipart/form-data; boundary=zz\r\n",
		"POST /complaints/" + id + "/evidence HTTP/1.1\r\nHost: p\r\nCookie: qj_session=" + s.b.cookies["qj_session"] + "\r\nX-CSRF-Token: " + s.csrf + "\r\nContent-Type: multipart/form-data; boundary=zz\r\n",
		"POST /complaints HTTP/1.1\r\nHost: p\r\nContent-Type: application/x-www-form-urlencoded\r\n",
	}
	runtime.GC()
	debug.FreeOSMemory()
	idle := residentBytes()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	opened := 0
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			defer c.Close()
			mu.Lock()
			opened++
			mu.Unlock()
			chunk := bytes.Repeat([]byte("A"), 512)
			if i%10 == 9 {
				// Slow headers instead: a header line every tick, never the blank line.
				io.WriteString(c, "GET /services HTTP/1.1\r\nHost: p\r\n")
				chunk = []byte("X-Pad: " + strings.Repeat("p", 60) + "\r\n")
			} else {
				io.WriteString(c, heads[i%len(heads)]+"Content-Length: 10485760\r\n\r\n--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n")
			}
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					c.SetWriteDeadline(time.Now().Add(time.Second))
					if _, err := c.Write(chunk); err != nil {
						return // the server answered and closed: nothing more is read
					}
				}
			}
		}(i)
	}
	time.Sleep(time.Second)
	peak := residentBytes()
	var slowest time.Duration
	client := &http.Client{Timeout: 5 * time.Second}
	for round := 0; round < 8; round++ {
		start := time.Now()
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+ent)
		res, err := client.Do(req)
		d := time.Since(start)
		if err != nil {
			t.Fatalf("a normal request during the flood: %v", err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("a normal request during the flood: %d", res.StatusCode)
		}
		slowest = max(slowest, d)
		if r := residentBytes(); r > peak {
			peak = r
		}
		time.Sleep(500 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	rise := int64(peak) - int64(idle)
	t.Logf("%d slow connections opened (10 MB announced each): resident %d MiB idle, %d MiB at peak, rise %d MiB (bound %d MiB); slowest normal request %v",
		opened, idle>>20, peak>>20, rise>>20, bound>>20, slowest)
	if opened < conns*9/10 {
		t.Fatalf("only %d of %d connections opened", opened, conns)
	}
	if rise > bound {
		t.Errorf("resident memory rose %d MiB under the flood, bound %d MiB", rise>>20, bound>>20)
	}
	if slowest > time.Second {
		t.Errorf("a normal request took %v during the flood, want under a second", slowest)
	}
}

// Finding 4: behind a trusted proxy the limits key on the client, the rightmost X-Forwarded-For
// hop that is not a trusted proxy. Twenty failed logins to ent-b, each claiming another address
// in X-Forwarded-For, come from one real client: they spend that client's budget and lock ent-b
// for that client only; ent-b's owner, elsewhere, logs in, as does everyone else.
func TestAttackPerimeterForgedForwardedForLocksNobodyElse(t *testing.T) {
	t.Parallel()
	// app.Test's connections come from 0.0.0.0: that is the proxy here, with a second hop in 10/8.
	e := newEnv(t, func(d *portal.Deps) { d.TrustedProxies = []string{"0.0.0.0", "10.0.0.0/8"}; d.LoginPerMinute = 20 })
	attacker := "198.51.100.7"
	login := func(user, pw, xff string) int {
		c, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": user, "password": pw}, "X-Forwarded-For", xff)
		return c
	}
	refused := 0
	for i := 0; i < 20; i++ {
		// The client forged the first hop; the proxies appended what they saw.
		switch code := login("ent-b", fmt.Sprintf("guess-%d-password", i), fmt.Sprintf("203.0.113.%d, %s, 10.0.0.5", i, attacker)); code {
		case 401:
		case 429:
			refused++
		default:
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	if refused < 15 {
		t.Errorf("only %d of 20 guesses from one client were refused (locked or limited)", refused)
	}
	// The account is locked for the attacker's address, whatever it claims next.
	if code := login("ent-b", demoPassword, "192.0.2.99, "+attacker); code != 429 {
		t.Errorf("the right password from the guessing client: %d, want 429", code)
	}
	// Its owner, at another address, and everyone else are untouched.
	if code := login("ent-b", demoPassword, "192.0.2.10"); code != 200 {
		t.Errorf("ent-b's owner from its own address: %d, want 200", code)
	}
	b := e.browser()
	tok := b.csrf("/login")
	if r := b.do("POST", "/login", urlValues("username", "ent-a", "password", demoPassword, "_csrf", tok), "X-Forwarded-For", "192.0.2.11"); r.Status != 303 {
		t.Errorf("another user's page login from another address: %d, want 303", r.Status)
	}
	if code := login("officer-scj", demoPassword, "192.0.2.12, 10.1.2.3"); code != 200 {
		t.Errorf("a login through both proxies: %d, want 200", code)
	}
}

// The lockout is per (account, address): five failures from one address lock that address out
// of the account, not the account; a success from an address clears only its own count.
func TestAttackPerimeterLockoutIsPerAccountAndAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.TrustedProxies = []string{"0.0.0.0"} })
	login := func(pw, from string) int {
		c, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": pw}, "X-Forwarded-For", from)
		return c
	}
	for i := 0; i < 4; i++ {
		if code := login("wrong-password-x", "198.51.100.1"); code != 401 {
			t.Fatalf("failure %d: %d", i+1, code)
		}
	}
	if code := login("wrong-password-x", "198.51.100.1"); code != 429 {
		t.Fatalf("5th failure: %d, want 429", code)
	}
	if code := login(demoPassword, "198.51.100.1"); code != 429 {
		t.Errorf("the right password from the locked address: %d, want 429", code)
	}
	if code := login(demoPassword, "198.51.100.2"); code != 200 {
		t.Errorf("the right password from another address: %d, want 200", code)
	}
	e.clk.Advance(16 * time.Minute)
	if code := login(demoPassword, "198.51.100.1"); code != 200 {
		t.Errorf("after the lock ran out: %d, want 200", code)
	}
}

// Signed-in work is budgeted per account and per kind of action: an enterprise that spent its
// filing budget can still book and add evidence, and another enterprise at the same address
// (one office, one NAT) can still file.
func TestAttackPerimeterBudgetsPerAccountAndKind(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.SubmitPerMinute = 3 })
	a, b := e.token("ent-a"), e.token("ent-b")
	file := func(tok string) int {
		c, _ := e.api("POST", "/api/v1/complaints", tok, map[string]any{"type": "conduct", "description": "检查期间要求停产停业", "body_id": 1})
		return c
	}
	for i := 0; i < 3; i++ {
		if code := file(a); code != 201 {
			t.Fatalf("filing %d: %d", i+1, code)
		}
	}
	if code := file(a); code != 429 {
		t.Fatalf("a 4th filing in the minute: %d, want 429", code)
	}
	if code := file(b); code != 201 {
		t.Errorf("another enterprise's filing from the same address: %d, want 201", code)
	}
	_, o := e.api("GET", "/api/v1/complaints", a, nil)
	items, _ := o["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("no complaints listed: %v", o)
	}
	id := fmt.Sprint(items[0].(map[string]any)["id"])
	if code, out := e.upload("/api/v1/complaints/"+id+"/evidence", a, jpegWithExif(t, "x")); code != 201 {
		t.Errorf("evidence after the filing budget is spent: %d %s", code, out)
	}
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
	if code, out := e.api("POST", "/api/v1/bookings", a, map[string]any{"slot_id": sl.ID, "mode": "online", "topic": "消防"}); code != 201 {
		t.Errorf("a booking after the filing budget is spent: %d %v", code, out)
	}
}

func urlValues(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

var nextRe = regexp.MustCompile(`name="next" value="([^"]*)"`)

// Finding 7: no redirect leaves the site, whatever next holds; the language switch is a POST
// with the CSRF token (a link on another site cannot flip it) and its GET is gone.
func TestAttackPerimeterNoOpenRedirect(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	offsite := []string{"//evil.example/", "/\t/evil.example/", "/%09/evil.example/", "/\\evil.example", "/\\/evil.example", "\\\\evil.example",
		"https://evil.example/", "HTTPS://evil.example", "/\r\n/evil.example", "/\n/evil.example", "//evil.example@portal/", "javascript:alert(1)",
		"http:/evil.example", "/%2F/evil.example", " //evil.example", "evil.example", "/\x00/evil.example", "%2F%2Fevil.example"}
	bad := func(loc string) bool {
		if loc == "" || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\\\t\r\n\x00") {
			return true
		}
		u, err := url.Parse(loc)
		return err != nil || u.Host != "" || u.Scheme != ""
	}
	for _, n := range offsite {
		tok := b.csrf("/login")
		r := b.do("POST", "/lang/en", urlValues("next", n, "_csrf", tok))
		if r.Status != 303 || bad(r.Header.Get("Location")) {
			t.Errorf("language switch with next %q: %d to %q", n, r.Status, r.Header.Get("Location"))
		}
		// The raw query spelling too, as the report sent it.
		r = b.do("POST", "/lang/zh?next="+url.PathEscape(n), urlValues("_csrf", tok, "next", n))
		if bad(r.Header.Get("Location")) {
			t.Errorf("language switch with next %q in the query: to %q", n, r.Header.Get("Location"))
		}
		r = b.do("POST", "/login", urlValues("username", "ent-a", "password", demoPassword, "next", n, "_csrf", b.csrf("/login")))
		if r.Status != 303 || bad(r.Header.Get("Location")) {
			t.Errorf("login with next %q: %d to %q", n, r.Status, r.Header.Get("Location"))
		}
		b.do("POST", "/logout", urlValues("_csrf", b.csrf("/inbox")))
		p := b.do("GET", "/login?next="+url.QueryEscape(n), nil)
		for _, m := range nextRe.FindAllStringSubmatch(p.Body, -1) {
			if v := html.UnescapeString(m[1]); bad(v) {
				t.Errorf("the login page carries next %q into a form as %q", n, v)
			}
		}
	}
	// Same-site paths survive, with their query.
	if r := b.do("POST", "/lang/zh", urlValues("next", "/complaints?status=open&page=2", "_csrf", b.csrf("/login"))); r.Header.Get("Location") != "/complaints?status=open&page=2" {
		t.Errorf("a same-site next: %q", r.Header.Get("Location"))
	}
	// The switch needs the token and is not a GET.
	if r := b.do("POST", "/lang/en", urlValues("next", "/")); r.Status != 403 {
		t.Errorf("the switch without a token: %d, want 403", r.Status)
	}
	if r := b.do("GET", "/lang/en?next=/", nil); r.Status != 404 && r.Status != 405 || strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), ";"), "qj_lang=") {
		t.Errorf("GET /lang/en: %d, sets %q", r.Status, r.Header.Values("Set-Cookie"))
	}
	// Every page offers the switch as a form with the token.
	if p := b.do("GET", "/", nil); !strings.Contains(p.Body, `<form method="post" action="/lang/en"`) || !strings.Contains(p.Body, `name="next" value="/"`) {
		t.Error("the home page has no language form")
	}
}

// Finding 7: /metrics (counts of reveals, documents, reports) is not on the public listener in
// any spelling; the metrics app, for QIJIAN_METRICS_ADDR, serves it.
func TestAttackPerimeterMetricsNotPublic(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.browser().do("GET", "/login", nil)
	for _, p := range []string{"/metrics", "/METRICS", "/metrics/", "//metrics", "/%6detrics", "/api/v1/metrics", "/metrics?format=text"} {
		r := e.browser().do("GET", p, nil)
		if r.Status != 404 || strings.Contains(r.Body, "qijian_") || strings.Contains(r.Body, "go_goroutines") {
			t.Errorf("GET %s on the public listener: %d %.100s", p, r.Status, r.Body)
		}
	}
	res, err := e.srv.MetricsApp().Test(httptest.NewRequest("GET", "/metrics", nil), 10000)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(raw), `qijian_http_requests_total{method="GET",route="/login",status="200"}`) {
		t.Errorf("the metrics app: %d %.200s", res.StatusCode, raw)
	}
}

// Finding 7: every absolute link comes from the configured public address, never from the
// request: the verification QR codes (cached publicly for a day) and the calendar files' URL:
// are the same whatever Host, X-Forwarded-Host or X-Forwarded-Proto the client (or a trusted
// proxy passing the client's) sends, and carry QIJIAN_PUBLIC_URL.
func TestAttackPerimeterForgedHostMovesNoLink(t *testing.T) {
	t.Parallel()
	const public = "https://qijian.wenzhou.example"
	for _, proxied := range []bool{false, true} {
		e := attackEnv(t)
		e.srv = portal.New(func() portal.Deps {
			d := e.srv.Deps
			d.PublicURL = public + "/"
			if proxied {
				d.TrustedProxies = []string{"0.0.0.0"}
			}
			return d
		}())
		v := makeVictims(t, e, "")
		in, err := e.st.InspectionByID(t.Context(), v.Inspection)
		if err != nil {
			t.Fatal(err)
		}
		ent := e.token("ent-a")
		forged := []string{"X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "http", "X-Forwarded-For", "203.0.113.9"}
		for _, ext := range []string{"png", "svg"} {
			path := "/v/" + in.Code + "/qr." + ext
			plain := e.send("GET", path, nil, "", nil)
			bad := withHost(e, "GET", path, "", nil, "evil.example", forged...)
			want, err := qrcode.New(public+"/v/"+in.Code, qrcode.Medium)
			if err != nil {
				t.Fatal(err)
			}
			if plain.Status != 200 || bad.Body != plain.Body {
				t.Errorf("proxied %v: the %s QR differs with a forged Host (%d)", proxied, ext, plain.Status)
			}
			if ext == "png" {
				png, _ := want.PNG(256)
				if plain.Body != string(png) {
					t.Errorf("proxied %v: the PNG QR does not encode %s/v/%s", proxied, public, in.Code)
				}
			}
		}
		ics := withHost(e, "GET", fmt.Sprintf("/api/v1/bookings/%d/calendar.ics", v.Booking), ent, nil, "evil.example", forged...)
		if ics.Status != 200 || !strings.Contains(ics.Body, "URL:"+public+"/bookings/") || strings.Contains(ics.Body, "evil.example") {
			t.Errorf("proxied %v: the booking's .ics: %d %.300s", proxied, ics.Status, ics.Body)
		}
		s := e.session("ent-a")
		page := withHost(e, "GET", "/bookings", "", s.b.cookies, "evil.example", forged...)
		feed := regexp.MustCompile(`href="(/ical/[^"]+)"`).FindStringSubmatch(page.Body)
		if feed == nil {
			t.Fatalf("no feed link on /bookings: %d", page.Status)
		}
		f := withHost(e, "GET", html.UnescapeString(feed[1]), "", nil, "evil.example", forged...)
		if f.Status != 200 || !strings.Contains(f.Body, "URL:"+public+"/bookings/") || strings.Contains(f.Body, "evil.example") {
			t.Errorf("proxied %v: the feed: %d %.300s", proxied, f.Status, f.Body)
		}
	}
}

// withHost sends a request whose Host header is host (http.Request ignores a "Host" entry in
// its header map).
func withHost(e *env, method, path, token string, cookies map[string]string, host string, hdr ...string) resp {
	e.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Host = host
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	return e.run(req, hdr...)
}

// Finding 7: ids of 2^63 and up, NUL bytes and invalid UTF-8, in every query parameter of every
// API list, in path ids, in JSON ids and strings, in page filters and in Idempotency-Key, are bad
// input: 4xx (naming the field where there is one), never a 500, on either database.
func TestAttackPerimeterUnstorableInputIsBadInput(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	v := makeVictims(t, e, "")
	tokens := map[string]string{}
	for _, u := range []string{"ent-a", "liaison-lc", "officer-scj", "provider-1", "admin"} {
		tokens[u] = e.token(u)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name, In string
				Schema   json.RawMessage
			}
		}
	}
	r := e.sendRaw("GET", "/api/v1/openapi.json", nil, "", "")
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatal(err)
	}
	huge := []string{"9223372036854775808", "18446744073709551616", "99999999999999999999999"}
	nasty := append([]string{"%00", "a%00b", "%ff%fe", "%c3%28", "-1"}, huge...)
	n := 0
	for path, ops := range doc.Paths {
		op, ok := ops["get"]
		if !ok {
			continue
		}
		full := "/api/v1" + path
		concrete, ok := victimPath(strings.NewReplacer("{", ":", "}", "").Replace(full), v)
		if !ok {
			concrete = full
			if strings.Contains(full, "{") {
				continue
			}
		}
		for _, p := range op.Parameters {
			for _, val := range nasty {
				for who, tok := range tokens {
					var target string
					switch p.In {
					case "query":
						target = concrete + "?" + p.Name + "=" + val
					case "path":
						target = strings.Replace(strings.NewReplacer("{", ":", "}", "").Replace(full), ":"+p.Name, val, 1)
						if t2, ok := victimPath(target, v); ok {
							target = t2
						}
					default:
						continue
					}
					n++
					res := e.sendRaw("GET", target, nil, tok, "")
					if res.Status >= 500 || res.Status < 400 && val != "-1" && p.In == "path" {
						t.Errorf("GET %s as %s: %d %.150s", target, who, res.Status, res.Body)
					}
					if p.In == "query" && res.Status == 400 && !strings.Contains(res.Body, `"`+p.Name+`"`) {
						t.Errorf("GET %s as %s: 400 without naming %s: %.150s", target, who, p.Name, res.Body)
					}
					if p.In == "query" && res.Status < 400 && val != "-1" && !strings.HasPrefix(val, "%c3") {
						integer := strings.Contains(string(p.Schema), "integer")
						if strings.Contains(val, "%00") || strings.Contains(val, "%ff") || integer && slices.Contains(huge, val) {
							// a NUL, broken UTF-8 or an id past int64 accepted as a filter
							t.Errorf("GET %s as %s: %d, want 4xx naming %s", target, who, res.Status, p.Name)
						}
					}
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d bad filters sent; the walk of the OpenAPI document is broken", n)
	}
	// JSON bodies: ids past int64 and NUL in strings.
	ent, li, off := tokens["ent-a"], tokens["liaison-lc"], tokens["officer-scj"]
	c := fmt.Sprintf("/api/v1/complaints/%d", v.Complaint)
	sl := slotOf(t, e, "legal", time.Date(2026, 3, 6, 9, 0, 0, 0, wz))
	at := e.srv.Services().Calendar.AddWorkingDays(e.clk.Now(), 5).Format(time.RFC3339)
	before := fingerprint(t, e)
	for _, tc := range []struct {
		path, tok, body, field string
	}{
		{"/api/v1/complaints", ent, `{"type":"conduct","description":"检查期间要求停产停业","body_id":9223372036854775808}`, "body_id"},
		{"/api/v1/complaints", ent, `{"type":"conduct","description":"检查期间要求停产停业","body_id":18446744073709551616}`, "body_id"},
		{"/api/v1/complaints", ent, `{"type":"conduct","description":"检查期间要求\u0000停产停业","body_id":1}`, "description"},
		{"/api/v1/complaints", ent, `{"type":"conduct","description":"检查期间要求停产停业","body_id":1,"inspection_id":9223372036854775808}`, "inspection_id"},
		{c + "/actions", li, `{"action":"dispatch","unit_id":9223372036854775808}`, "unit_id"},
		{c + "/actions", li, `{"action":"message","note":"a\u0000b"}`, "note"},
		{"/api/v1/bookings", ent, `{"slot_id":9223372036854775808,"mode":"online","topic":"x"}`, "slot_id"},
		{"/api/v1/bookings", ent, fmt.Sprintf(`{"slot_id":%d,"mode":"online","topic":"a\u0000b"}`, sl.ID), "topic"},
		{"/api/v1/inspections", off, `{"kind":"triggered","enterprise_id":9223372036854775808,"body_ids":[1],"item_ids":[1],"inspector_ids":[1],"scheduled_at":"` + at + `","place":"x"}`, "enterprise_id"},
		{"/api/v1/inspections", off, `{"kind":"triggered","enterprise_id":1,"body_ids":[9223372036854775808],"item_ids":[1],"inspector_ids":[1],"scheduled_at":"` + at + `","place":"x"}`, "body_ids"},
		{"/api/v1/appointments", ent, `{"body_id":9223372036854775808,"topic":"x","preferred_at":"2026-03-10T15:00"}`, "body_id"},
	} {
		res := e.sendRaw("POST", tc.path, nil, tc.tok, tc.body, "Content-Type", "application/json")
		if res.Status < 400 || res.Status >= 500 || res.Status != 404 && !strings.Contains(res.Body, tc.field) {
			t.Errorf("POST %s %s: %d %.200s", tc.path, tc.body, res.Status, res.Body)
		}
	}
	// Idempotency-Key: NUL, broken UTF-8, control characters.
	for _, key := range []string{"a\xffb", "\xc3\x28", "key\x01", "a\x7fb"} {
		res := e.sendRaw("POST", "/api/v1/complaints", nil, ent, `{"type":"conduct","description":"检查期间要求停产停业","body_id":1}`, "Content-Type", "application/json", "Idempotency-Key", key)
		if res.Status != 400 || !strings.Contains(res.Body, "Idempotency-Key") {
			t.Errorf("Idempotency-Key %q: %d %.200s", key, res.Status, res.Body)
		}
	}
	if fingerprint(t, e) != before {
		t.Error("bad input changed the database")
	}
	// Page filters and forms.
	s := e.session("liaison-lc")
	for _, p := range []string{"/complaints?status=%00", "/complaints?status=%ff", "/complaints?page=9223372036854775808", "/complaints?body=9223372036854775808",
		"/complaints?q=%00", "/inspections?page=18446744073709551616", "/complaints/9223372036854775808", "/inspections/9223372036854775808", "/bookings/9223372036854775808",
		"/complaints?county=%ff%fe", "/services?industry=%00", "/lists/9223372036854775808"} {
		// A page ignores the parameters it does not take; what it reads is checked.
		if r := s.b.do("GET", p, nil); r.Status >= 500 {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
	es := e.session("ent-a")
	if r := e.send("POST", "/complaints", es, "", map[string]any{"type": "conduct", "description": "检查期间要求\x00停产停业", "body_id": "1"}); r.Status >= 500 || r.Status < 400 {
		t.Errorf("a page filing with a NUL: %d", r.Status)
	}
	if r := e.send("POST", "/complaints", es, "", map[string]any{"type": "conduct", "description": "检查期间要求停产停业", "body_id": "9223372036854775808"}); r.Status >= 500 || r.Status < 400 {
		t.Errorf("a page filing with body_id 2^63: %d", r.Status)
	}
}

// Beyond the report: the static files cannot be left by traversal, and odd methods change nothing.
func TestAttackPerimeterStaticTraversalAndOddMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, p := range []string{"/static/../go.mod", "/static/%2e%2e/go.mod", "/static/..%2fgo.mod", "/static/%2e%2e%2f%2e%2e%2fetc/passwd",
		"/static/....//go.mod", "/static/..\\go.mod", "/static//etc/passwd", "/STATIC/css/app.css", "/static/css/../../portal/app.go"} {
		r := e.browser().do("GET", p, nil)
		if r.Status == 200 && (strings.Contains(r.Body, "module qijian") || strings.Contains(r.Body, "root:") || strings.Contains(r.Body, "package portal")) {
			t.Errorf("GET %s: %d served a file outside /static", p, r.Status)
		}
		if r.Status >= 500 {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
	before := fingerprint(t, e)
	for _, m := range []string{"TRACE", "CONNECT", "PROPFIND", "PATCH", "PUT", "DELETE"} {
		for _, p := range []string{"/", "/login", "/api/v1/complaints", "/complaints/1"} {
			r := e.sendRaw(m, p, nil, "", "")
			if r.Status < 400 || r.Status >= 500 || strings.Contains(r.Body, "TRACE") && m == "TRACE" && strings.Contains(r.Body, "Host:") {
				t.Errorf("%s %s: %d", m, p, r.Status)
			}
		}
	}
	if fingerprint(t, e) != before {
		t.Error("an odd method changed the database")
	}
}

// Finding 7, limits in ordinary work: an office behind one address logs in all at once without a
// 429 (successful logins do not spend the visitors' budget), while failed logins and
// registrations from that address do.
func TestAttackPerimeterOfficeBehindOneAddressLogsIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.LoginPerMinute = 3 })
	for i := 0; i < 12; i++ {
		user := []string{"ent-a", "ent-b", "liaison-lc", "officer-scj"}[i%4]
		if i%2 == 0 {
			if code, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": user, "password": demoPassword}); code != 200 {
				t.Fatalf("login %d by API (%s): %d", i+1, user, code)
			}
		} else if r := e.browser().login(user, demoPassword); r.Status != 303 {
			t.Fatalf("login %d by page (%s): %d", i+1, user, r.Status)
		}
	}
	for i := 0; i < 3; i++ {
		if code, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-a", "password": "a-wrong-password"}); code != 401 {
			t.Fatalf("failure %d: %d", i+1, code)
		}
	}
	if code, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": demoPassword}); code != 429 {
		t.Errorf("after the budget of failures: %d, want 429", code)
	}
}

// An IPv6 client holds its whole /64: its addresses share one lockout and one budget.
func TestAttackPerimeterIPv6ClientIsItsSlash64(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.TrustedProxies = []string{"0.0.0.0"} })
	login := func(pw, from string) int {
		c, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": pw}, "X-Forwarded-For", from)
		return c
	}
	for i := 0; i < 5; i++ {
		login("wrong-password-x", fmt.Sprintf("2001:db8:1:2::%x", i+1))
	}
	if code := login(demoPassword, "2001:db8:1:2:ffff::9"); code != 429 {
		t.Errorf("another address of the guessing /64: %d, want 429", code)
	}
	if code := login(demoPassword, "2001:db8:1:3::1"); code != 200 {
		t.Errorf("the next /64: %d, want 200", code)
	}
}
