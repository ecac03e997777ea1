// Package portal is the HTTP side: the route table, middleware, handlers and server-rendered
// views. Handlers bind and validate, call a use case, and answer; errors are written in one place.
package portal

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/template/html/v2"

	"qijian/internal/app"
	"qijian/internal/signin"
	"qijian/static"
)

//go:embed views
var viewsFS embed.FS

// Pinger is something /readyz asks (the database, the queue).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Prober is what /readyz asks of the database: can it take a write within timeout.
type Prober interface {
	Probe(ctx context.Context, timeout time.Duration) error
}

// QueueStats reports queue depth for /metrics.
type QueueStats interface {
	Depth() (map[string]int, error)
}

// Deps is what the portal needs from the process.
type Deps struct {
	// App are the use cases with the store, calendar and clock they share, built once by the
	// process (cmd) or a test.
	App    *app.Services
	Queue  Pinger
	Stats  QueueStats
	Secret []byte
	Log    *slog.Logger
	// Database is what /readyz asks about the database (a write probe); nil means App's store.
	Database Prober
	// Outbox counts the outbox's pending rows for /metrics; nil means App's store.
	Outbox OutboxStats
	// LoginPerMinute caps login and registration attempts per client address.
	LoginPerMinute int
	// SubmitPerMinute caps complaint submissions per client address.
	SubmitPerMinute int
	// DataDir holds uploaded evidence (under uploads/evidence).
	DataDir string
	// UploadQuota is what one user may upload a day, in bytes (zero: blob.DefaultDailyQuota).
	UploadQuota int64
	// TrustedProxies are the addresses (IPs or CIDR ranges) of reverse proxies whose
	// X-Forwarded-Proto and X-Forwarded-Host are believed. Empty: no one's are, so only a TLS
	// connection counts as https (HSTS, Secure cookies) and links use the Host header.
	TrustedProxies []string
	// MaxConns and MaxConnsPerAddr cap the connections Serve holds, in total and per client
	// address (zero: 4096 and 128; a trusted proxy's are counted only in the total).
	MaxConns, MaxConnsPerAddr int
	// PublicURL (QIJIAN_PUBLIC_URL) is where people reach the portal: every absolute link (the
	// QR codes, calendar files) is built from it, never from the request's Host. Empty:
	// http://localhost.
	PublicURL string
	// RequestTimeout is the server-side deadline of every request (zero: DefaultRequestTimeout).
	RequestTimeout time.Duration
	// Federation is the unified identity platform's legal-person login (OpenID Connect); nil:
	// none, and enterprises are verified by review alone.
	Federation *signin.Federation
}

// Server is the portal.
type Server struct {
	Deps
	app      *fiber.App
	svc      *app.Services
	validate *validator.Validate
	metrics  *metrics

	apiRoutes  []apiRoute // every API route with its types, for the OpenAPI document
	openAPIDoc []byte
	draining   atomic.Bool
	proxies    proxyNets
	names      nameBook // bodies' and counties' names in both languages (names.go)

	probeMu  sync.Mutex // readiness's last write probe (health.go)
	probedAt time.Time
	probeErr error
}

// New builds the portal with its routes.
func New(d Deps) *Server {
	if d.Database == nil {
		d.Database = d.App.Store
	}
	if d.Outbox == nil {
		d.Outbox = d.App.Store
	}
	d.PublicURL = strings.TrimRight(d.PublicURL, "/")
	if d.PublicURL == "" {
		d.PublicURL = "http://localhost"
	}
	if d.LoginPerMinute == 0 {
		d.LoginPerMinute = 20
	}
	if d.SubmitPerMinute == 0 {
		d.SubmitPerMinute = 30
	}
	s := &Server{Deps: d, svc: d.App, validate: newValidator(), proxies: parseProxies(d.TrustedProxies)}
	sub, err := fs.Sub(viewsFS, "views")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	engine := html.NewFileSystem(http.FS(sub), ".html")
	engine.AddFuncMap(template.FuncMap{
		"t":        tr,
		"invalid":  invalidAttrs,
		"fieldOf":  fieldOf,
		"idemKey":  newFormKey,
		"fmtClock": func(t time.Time) string { return t.In(shanghai).Format("15:04") },
		"sub":      func(a, b int) int { return a - b },
		"list":     func(v ...string) []string { return v },
		"pick": func(lang, zh, en string) string {
			if lang == "en" && en != "" {
				return en
			}
			return zh
		},
		"fmtTime": func(t time.Time) string { return t.In(shanghai).Format("2006-01-02 15:04") },
		"deref": func(p *uint) uint {
			if p == nil {
				return 0
			}
			return *p
		},
		"stateKey": func(s string) string {
			switch s {
			case "met":
				return "met"
			case "breached":
				return "breached"
			case "superseded":
				return "superseded"
			}
			return "pending"
		},
	})
	engine.AddFuncMap(plainFuncs)
	engine.AddFuncMap(restFuncs)
	engine.AddFuncMap(s.nameFuncs())
	s.app = fiber.New(fiber.Config{
		Views:                 engine,
		ViewsLayout:           "layouts/main",
		ErrorHandler:          s.handleError,
		BodyLimit:             12 << 20,
		ReadTimeout:           headerTimeout,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		// Paths are matched as written: /API/v1 is not the API (and cannot slip past the page
		// group's CSRF check as one), /complaints/ is not /complaints.
		CaseSensitive: true,
		StrictRouting: true,
		AppName:       "qijian",
		// Without this fiber believes X-Forwarded-* from any client: a plain-HTTP request could
		// claim https, and X-Forwarded-Host could point the QR codes at another site.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.TrustedProxies,

		// Bodies are read by the handler, within the route's and caller's limit (perimeter.go).
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
	})
	s.metrics = newMetrics(d.Stats, d.Outbox, s.svc.Orders, d.Queue)
	// Answers written while fasthttp shuts down say Connection: close as well.
	s.app.Server().CloseOnShutdown = true
	s.app.Server().HeaderReceived = headerReceived
	s.app.Server().ContinueHandler = continueHandler
	s.app.Use(recover.New())
	s.app.Use(s.drainMiddleware)
	s.app.Use(s.deadline)
	s.app.Use(s.metrics.middleware(d.Log))
	s.app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy:     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
		XFrameOptions:             "DENY",
		ReferrerPolicy:            "same-origin",
		HSTSMaxAge:                31536000,
		CrossOriginEmbedderPolicy: "unsafe-none",
	}))
	s.app.Use(bodyGuard) // before anything reads a body; counted and with the headers above
	s.app.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static.FS), MaxAge: 3600}))
	s.routes()
	doc, err := s.buildOpenAPI()
	if err != nil {
		panic(err) // the routes and their types are fixed at build time; every test builds it
	}
	s.openAPIDoc = doc
	return s
}

// Services are the use cases the portal calls (tests read the calendar and clock through them).
func (s *Server) Services() *app.Services { return s.svc }

// App exposes the fiber app (tests drive it with app.Test).
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Shutdown stops accepting and waits for requests in flight; answers written meanwhile carry
// Connection: close.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	return s.app.ShutdownWithContext(ctx)
}

// Drain starts the stop: /readyz answers 503 and every answer carries Connection: close, so a
// load balancer stops sending and kept-alive clients reconnect elsewhere before the listener
// closes, instead of having a request reset.
func (s *Server) Drain() { s.draining.Store(true) }

// drainMiddleware closes each connection after its answer once the server drains.
func (s *Server) drainMiddleware(c *fiber.Ctx) error {
	if !s.draining.Load() {
		return c.Next()
	}
	c.Set(fiber.HeaderConnection, "close")
	if c.Path() == "/readyz" {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "draining"})
	}
	return c.Next()
}
