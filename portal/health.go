package portal

import (
	"context"
	"time"

	"qijian/internal/admin"

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
	if gaps := s.calendarGaps(); len(gaps) > 0 {
		// A detail, not a failure: deadlines are still counted, with holidays missing.
		checks["calendar_years_without_data"] = gaps
	}
	if !ok {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "checks": checks})
	}
	return c.JSON(fiber.Map{"status": "ok", "checks": checks})
}

func (s *Server) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
}

// calendarGaps are the years without holiday data a deadline or count falls in (docs/rules.md).
func (s *Server) calendarGaps() []int {
	if s.svc == nil || s.svc.Calendar == nil || s.svc.Clock == nil {
		return nil
	}
	return admin.CalendarWarnings(s.svc.Calendar, s.svc.Clock.Now())
}
