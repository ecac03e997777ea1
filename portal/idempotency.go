package portal

import (
	"context"
	"crypto/rand"
	"strings"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/idem"
)

// keyed is the request's context carrying its Idempotency-Key for the create's use case: the
// API's header, or the hidden idempotency_key field every page form that creates carries (so a
// double tap makes one row). The use case claims it in its transaction (internal/idem).
func keyed(c *fiber.Ctx) context.Context {
	key := strings.TrimSpace(c.Get("Idempotency-Key"))
	if key == "" {
		key = strings.TrimSpace(c.FormValue("idempotency_key"))
	}
	return idem.WithKey(c.UserContext(), strings.Clone(key))
}

// newFormKey is a fresh key for one rendering of a form that creates (the idemKey template
// function): the submits of that rendering share it, so a double tap is one request.
func newFormKey() string {
	return rand.Text()
}
