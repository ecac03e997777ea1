package portal

import (
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/valyala/fasthttp"

	"qijian/internal/errs"
)

// What a request body may be. Bodies are streamed (fasthttp reads at most 8 KB before the
// handler runs); nothing reads more than its route and caller allow, so a client announcing a
// large Content-Length and trickling its body holds a few kilobytes, not the announced size.
const (
	// bodyAnonymous is what a caller without a session may send anywhere (login, registration).
	bodyAnonymous = 16 << 10
	// bodySignedIn is what a signed-in caller may send to a route that takes no file.
	bodySignedIn = 64 << 10
	// bodyUpload is what a signed-in caller may send to an upload route (a 10 MB file and its
	// multipart framing); the fiber BodyLimit is the same.
	bodyUpload = 12 << 20
	// prefetched is what fasthttp reads of a streamed body before the handler runs.
	prefetched = 8 << 10

	// headerTimeout bounds reading a request's headers and a small body; uploadTimeout bounds an
	// upload's body from the end of its headers.
	headerTimeout = 10 * time.Second
	uploadTimeout = 60 * time.Second

	// Connections: in total and from one client address (a trusted proxy's are not counted per
	// address, they carry everybody's).
	defaultMaxConns        = 4096
	defaultMaxConnsPerAddr = 128
)

// uploadRoutes are the only routes that take a file; every other route takes a small body.
// TestUploadRoutesAreRoutes keeps the list in step with the route table.
var uploadRoutes = []struct{ Method, Path string }{
	{"POST", "/api/v1/complaints/:id/evidence"},
	{"POST", "/api/v1/inspections/import"},
	{"POST", "/complaints/:id/evidence"},
	{"POST", "/manage/inspections/:id/records"},
}

// UploadRoutes lists the routes that take large bodies (for tests and the README).
func UploadRoutes() []struct{ Method, Path string } { return uploadRoutes }

var uploadRe = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, r := range uploadRoutes {
		segs := strings.Split(r.Path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") {
				segs[i] = `[^/]+`
			} else {
				segs[i] = regexp.QuoteMeta(s)
			}
		}
		out = append(out, regexp.MustCompile("^"+r.Method+" "+strings.Join(segs, "/")+"$"))
	}
	return out
}()

// isUpload tells whether method and path (as routed: case-sensitive, strict) are an upload route.
func isUpload(method, path string) bool {
	k := method + " " + path
	for _, re := range uploadRe {
		if re.MatchString(k) {
			return true
		}
	}
	return false
}

var (
	errLengthRequired = errs.New(errs.Malformed, "length_required", "err.length_required")
	errBodyEncoding   = errs.New(errs.Unsupported, "content_encoding", "err.content_encoding")
	errBodyTooLarge   = errs.New(errs.TooLarge, "too_large", "err.body_too_large")
)

// headerReceived sets each request's body limit and read deadline from its headers, before any
// of the body is read: an upload route gets the upload's time; a body announced larger than
// any route takes is cut to one byte of prefetch, so the handler answers 413 at once instead of
// waiting for 8 KB of a body it will refuse.
func headerReceived(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	upload, limit := headerLimit(h)
	if h.ContentLength() > limit {
		return fasthttp.RequestConfig{MaxRequestBodySize: 1}
	}
	if upload {
		return fasthttp.RequestConfig{ReadTimeout: uploadTimeout, MaxRequestBodySize: bodyUpload}
	}
	return fasthttp.RequestConfig{MaxRequestBodySize: limit}
}

// headerLimit is the most a request may send as far as its headers tell: whether its path is an
// upload route, and the limit for a caller with a credential (checked later) or without one.
func headerLimit(h *fasthttp.RequestHeader) (upload bool, limit int) {
	upload = isUpload(string(h.Method()), string(h.RequestURI()[:pathEnd(h.RequestURI())]))
	limit = bodySignedIn
	if upload {
		limit = bodyUpload
	}
	if len(h.Cookie(cookieSession)) == 0 && len(h.Peek(fiber.HeaderAuthorization)) == 0 {
		limit = bodyAnonymous // no credential at all: a visitor's limit
	}
	return upload, limit
}

// continueHandler answers "Expect: 100-continue" with 417 when the announced body is over the
// limit (or of unknown length): the client is not invited to send what will be refused.
func continueHandler(h *fasthttp.RequestHeader) bool {
	_, limit := headerLimit(h)
	n := h.ContentLength()
	if n < 0 || n > limit {
		h.SetConnectionClose() // a body sent anyway is never read as the next request
		return false
	}
	return true
}

func pathEnd(uri []byte) int {
	for i, b := range uri {
		if b == '?' || b == '#' {
			return i
		}
	}
	return len(uri)
}

// bodyGuard runs first on every request: request bodies are never compressed (a small gzip
// would inflate without bound when read) and always announce their length; a connection whose
// body may be left partly unread is closed after the answer, so no leftover is ever read as the
// next request.
func bodyGuard(c *fiber.Ctx) error {
	h := &c.Request().Header
	n := h.ContentLength()
	if n > prefetched || n == -1 {
		defer c.Context().SetConnectionClose()
	}
	if ce := strings.TrimSpace(string(h.Peek(fiber.HeaderContentEncoding))); ce != "" && !strings.EqualFold(ce, "identity") {
		return errBodyEncoding
	}
	if n == -1 {
		return errLengthRequired
	}
	if n > bodyUpload {
		return errBodyTooLarge
	}
	return c.Next()
}

// bodyLimit runs once the caller is known, before anything reads the body (the CSRF check reads
// forms): a visitor may send bodyAnonymous, a signed-in caller bodySignedIn, and bodyUpload on
// an upload route only.
func (s *Server) bodyLimit(c *fiber.Ctx) error {
	n := c.Request().Header.ContentLength()
	if n <= bodyAnonymous {
		return c.Next()
	}
	limit := bodyAnonymous
	if viewerOf(c).User != nil {
		limit = bodySignedIn
		if isUpload(c.Method(), c.Path()) {
			limit = bodyUpload
		}
	}
	if n > limit {
		c.Context().SetConnectionClose()
		return errBodyTooLarge
	}
	return c.Next()
}

// connCaps caps the connections a listener holds: in total and per client address. A connection
// over either cap is closed at once, before a byte of it is read.
type connCaps struct {
	net.Listener
	total, perAddr int
	exempt         func(net.IP) bool

	mu    sync.Mutex
	open  int
	addrs map[string]int
}

func (l *connCaps) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := hostOf(c.RemoteAddr())
		perAddr := l.exempt == nil || !l.exempt(ipOf(c.RemoteAddr()))
		l.mu.Lock()
		if l.open >= l.total || (perAddr && l.addrs[host] >= l.perAddr) {
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.open++
		if perAddr {
			l.addrs[host]++
		}
		l.mu.Unlock()
		return &cappedConn{Conn: c, l: l, host: host, perAddr: perAddr}, nil
	}
}

func hostOf(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return addrKey(t.IP)
	}
	h, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return h
}

func ipOf(a net.Addr) net.IP {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP
	}
	h, _, _ := net.SplitHostPort(a.String())
	return net.ParseIP(h)
}

type cappedConn struct {
	net.Conn
	l       *connCaps
	host    string
	perAddr bool
	once    sync.Once
}

func (c *cappedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.open--
		if c.perAddr {
			if c.l.addrs[c.host]--; c.l.addrs[c.host] <= 0 {
				delete(c.l.addrs, c.host)
			}
		}
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

// capListener wraps ln with the connection caps of d.
func (s *Server) capListener(ln net.Listener) net.Listener {
	total, per := s.MaxConns, s.MaxConnsPerAddr
	if total <= 0 {
		total = defaultMaxConns
	}
	if per <= 0 {
		per = defaultMaxConnsPerAddr
	}
	return &connCaps{Listener: ln, total: total, perAddr: per, exempt: s.proxies.contains, addrs: map[string]int{}}
}

// Serve serves on ln, with the connection caps, until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(s.capListener(ln)) }

// proxyNets are the trusted proxies as networks.
type proxyNets []*net.IPNet

func parseProxies(list []string) proxyNets {
	var out proxyNets
	for _, p := range list {
		if ip := net.ParseIP(p); ip != nil {
			bits := 32
			if ip.To4() == nil {
				bits = 128
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
		} else if _, n, err := net.ParseCIDR(p); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (p proxyNets) contains(ip net.IP) bool {
	if ip == nil {
		return false
	}
	for _, n := range p {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// clientAddr is the client's address: the connection's, or behind a trusted proxy the rightmost
// X-Forwarded-For hop that is not itself a trusted proxy (every hop to its right was written by
// a proxy we trust; what lies to its left the client wrote, and may have forged).
//
// Limits count an IPv6 client by its /64, one subscriber's allocation: a client holds all of it,
// and would otherwise get a fresh budget (and a fresh lockout) from each of its 2^64 addresses.
func (s *Server) clientAddr(c *fiber.Ctx) string {
	remote := c.Context().RemoteIP()
	if !s.proxies.contains(remote) {
		return addrKey(remote)
	}
	var hops []string
	for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		hops = append(hops, strings.Split(string(v), ",")...)
	}
	last := remote
	for i := len(hops) - 1; i >= 0; i-- {
		ip := parseHop(hops[i])
		if ip == nil {
			break // a trusted proxy writes addresses: a malformed hop is as far as we can see
		}
		if !s.proxies.contains(ip) {
			return addrKey(ip)
		}
		last = ip
	}
	return addrKey(last)
}

// addrKey is how limits name a client address: an IPv4 address as it is, an IPv6 one by its /64.
func addrKey(ip net.IP) string {
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	if len(ip) == net.IPv6len {
		return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
	}
	return ip.String()
}

// parseHop reads one X-Forwarded-For entry: an address, perhaps with a port or in brackets.
func parseHop(h string) net.IP {
	h = strings.TrimSpace(h)
	if ip := net.ParseIP(h); ip != nil {
		return ip
	}
	if host, _, err := net.SplitHostPort(h); err == nil {
		return net.ParseIP(host)
	}
	return net.ParseIP(strings.Trim(h, "[]"))
}

// perAddress limits the visitors' doors (login, registration) to n a minute per client
// address, one budget for all of them. A login counts only when it fails: an office behind one
// address logging in all at once is never throttled, a guesser is; every registration counts.
func (s *Server) perAddress(n int) fiber.Handler {
	b := &addrBudget{max: n, windows: map[string]*budgetWindow{}}
	return func(c *fiber.Ctx) error {
		key, now := s.clientAddr(c), time.Now()
		if !b.allow(key, now) {
			return errLimited
		}
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = statusOf(err)
		}
		if r := c.Route().Path; status >= 400 || (r != "/login" && r != "/auth/token" && r != "/api/v1/auth/token") {
			b.spend(key, now)
		}
		return err
	}
}

// addrBudget counts spent requests per key in fixed one-minute windows.
type addrBudget struct {
	max     int
	mu      sync.Mutex
	windows map[string]*budgetWindow
	swept   time.Time
}

type budgetWindow struct {
	start time.Time
	spent int
}

func (b *addrBudget) window(key string, now time.Time) *budgetWindow {
	if now.Sub(b.swept) > time.Minute {
		for k, w := range b.windows {
			if now.Sub(w.start) >= time.Minute {
				delete(b.windows, k)
			}
		}
		b.swept = now
	}
	w := b.windows[key]
	if w == nil || now.Sub(w.start) >= time.Minute {
		w = &budgetWindow{start: now}
		b.windows[key] = w
	}
	return w
}

func (b *addrBudget) allow(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.window(key, now).spent < b.max
}

func (b *addrBudget) spend(key string, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.window(key, now).spent++
}

// perAccount budgets signed-in work: n requests a minute per account and per kind of action
// (filing, order actions, evidence, bookings, ratings, reveals, inspection registrations and
// case-file records, joint answers, documents, alerts), so one kind cannot use up another
// and an office behind one address is not throttled as one client. A caller without a session
// is budgeted by address.
func (s *Server) perAccount(n int) fiber.Handler {
	return limiter.New(limiter.Config{Max: n, Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			who := "a:" + s.clientAddr(c)
			if u := viewerOf(c).User; u != nil {
				who = "u:" + strconv.FormatUint(uint64(u.ID), 10)
			}
			return who + "|" + actionKind(c.Route().Path)
		},
		LimitReached: func(c *fiber.Ctx) error { return errLimited }})
}

// actionKind is the budget a route's requests count against; the API and page twins share one.
func actionKind(route string) string {
	r := strings.TrimPrefix(route, "/api/v1")
	switch {
	case strings.HasSuffix(r, "/reveal"):
		return "reveal" // naming an anonymous reporter, or the outbox's personal data
	case r == "/inspections" || r == "/manage/inspections" || r == "/inspections/import":
		return "inspection"
	case strings.HasSuffix(r, "/records"):
		return "record"
	case strings.HasPrefix(r, "/joint-inspections/") || strings.HasSuffix(r, "/joint"):
		return "joint"
	case strings.HasSuffix(r, "/evidence"):
		return "evidence"
	case r == "/complaints":
		return "filing"
	case strings.HasPrefix(r, "/complaints/"):
		return "order"
	case strings.HasPrefix(r, "/bookings"):
		return "booking"
	case strings.HasPrefix(r, "/appointments"):
		return "appointment"
	case strings.HasPrefix(r, "/inspections/") && (strings.HasSuffix(r, "/rating") || strings.HasSuffix(r, "/rate")):
		return "rating"
	}
	return r
}

// badKey tells whether a client's key (Idempotency-Key) holds what no text column keeps or no
// header should carry: invalid UTF-8, NUL or another control character.
func badKey(k string) bool {
	if !utf8.ValidString(k) {
		return true
	}
	for _, r := range k {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// errBadKey is the 400 naming the key's field.
func errBadKey(field string) error {
	return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: map[string]string{field: "err.invalid"}}
}
