package portal

import (
	"context"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthz answers while the process runs.
func (s *Server) healthz(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) }

// readyz answers 200 only when the database and the queue both answer within 2 s.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	checks := fiber.Map{"database": "ok", "queue": "ok"}
	ok := true
	if s.Database == nil {
		checks["database"], ok = "not configured", false
	} else if err := s.Database.Ping(ctx); err != nil {
		checks["database"], ok = "unavailable", false
	}
	if s.Queue == nil {
		checks["queue"], ok = "not configured", false
	} else if err := s.Queue.Ping(ctx); err != nil {
		checks["queue"], ok = "unavailable", false
	}
	if !ok {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "checks": checks})
	}
	return c.JSON(fiber.Map{"status": "ok", "checks": checks})
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
