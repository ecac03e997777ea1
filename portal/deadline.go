package portal

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// DefaultRequestTimeout bounds a request's work on the server when Deps.RequestTimeout is zero:
// past it, the database calls still running are cancelled and the request answers 503 with
// Retry-After. It backs up the database's own bounds (lock and statement timeouts, SQLite's busy
// timeout), which answer a held lock within seconds; it is shorter than a client's patience
// (commonly 30 s), so the client hears the answer instead of giving up on a request that goes
// on working without it.
const DefaultRequestTimeout = 25 * time.Second

// deadline gives every request's context the server-side deadline.
func (s *Server) deadline(c *fiber.Ctx) error {
	d := s.RequestTimeout
	if d <= 0 {
		d = DefaultRequestTimeout
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), d)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}
