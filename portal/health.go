package portal

import (
	"context"
	"errors"
	"net"
	"time"

	"qijian/internal/admin"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthz answers while the process runs.
func (s *Server) healthz(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) }

// probeTimeout bounds readiness's write: a database that cannot take one row in this time is
// not ready to serve, whatever its ping says.
const probeTimeout = 1500 * time.Millisecond

// readyz answers 200 when this process can serve: the database takes a write within
// probeTimeout (not a ping: a full disk, a read-only database or a held lock answer pings) and
// the process is not draining. The queue is not a web process's need (a request writes the
// outbox; the relay hands rows on when the queue is back), so its state is in the detail and in
// /metrics, never in the status: a Redis blip must not take every web process out at once.
func (s *Server) readyz(c *fiber.Ctx) error {
	checks := fiber.Map{"database": "ok", "queue": "ok"}
	ok := true
	if err := s.probe(c.UserContext()); err != nil {
		checks["database"], ok = "unavailable", false
		if s.Log != nil {
			s.Log.Warn("not ready: the database takes no write", "err", err)
		}
	}
	if s.Queue == nil {
		checks["queue"] = "not configured"
	} else {
		qctx, cancel := context.WithTimeout(c.UserContext(), time.Second)
		if err := s.Queue.Ping(qctx); err != nil {
			checks["queue"] = "unavailable"
		}
		cancel()
	}
	if gaps := s.calendarGaps(); len(gaps) > 0 {
		// A detail, not a failure: deadlines are still counted, with holidays missing.
		checks["calendar_years_without_data"] = gaps
	}
	if !ok {
		c.Set(fiber.HeaderRetryAfter, "2")
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "checks": checks})
	}
	return c.JSON(fiber.Map{"status": "ok", "checks": checks})
}

// probe runs the database's write probe, at most once a second however often readiness is
// asked: the answer of the last second is reused.
func (s *Server) probe(ctx context.Context) error {
	s.probeMu.Lock()
	defer s.probeMu.Unlock()
	if time.Since(s.probedAt) < time.Second {
		return s.probeErr
	}
	if s.Database == nil {
		s.probeErr = errors.New("no database configured")
	} else {
		s.probeErr = s.Database.Probe(ctx, probeTimeout)
	}
	s.probedAt = time.Now()
	return s.probeErr
}

func (s *Server) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
}

// MetricsApp serves GET /metrics and nothing else. It is never on the public listener: the
// counts (reveals, documents, reports) are for the operators, on QIJIAN_METRICS_ADDR.
func (s *Server) MetricsApp() *fiber.App {
	m := fiber.New(fiber.Config{DisableStartupMessage: true, ReadTimeout: headerTimeout, WriteTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute, BodyLimit: 4 << 10, CaseSensitive: true, StrictRouting: true, AppName: "qijian-metrics"})
	m.Get("/metrics", s.metricsHandler())
	return m
}

// ServeMetrics serves MetricsApp on ln until it is shut down.
func (s *Server) ServeMetrics(ln net.Listener) error { return s.MetricsApp().Listener(ln) }

// calendarGaps are the years without holiday data a deadline or count falls in (docs/rules.md).
func (s *Server) calendarGaps() []int {
	if s.svc == nil || s.svc.Calendar == nil || s.svc.Clock == nil {
		return nil
	}
	return admin.CalendarWarnings(s.svc.Calendar, s.svc.Clock.Now())
}
