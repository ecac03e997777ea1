package portal

import (
	"context"
	"crypto/rand"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
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

// keyedRoutes are the API's creates that take an Idempotency-Key (the OpenAPI document names
// the header on each); complaint filings keep theirs in the filing's own commit, the others in
// internal/idem.
var keyedRoutes = map[string]bool{
	"POST /complaints":                 true,
	"POST /complaints/:id/evidence":    true,
	"POST /complaints/:id/reply-files": true,
	"POST /bookings":                   true,
	"POST /appointments":               true,
	"POST /inspections":                true,
	"POST /documents":                  true,
}

// idempotencyHeader is the header's description in the OpenAPI document.
func idempotencyHeader() *openapi3.ParameterRef {
	p := openapi3.NewHeaderParameter("Idempotency-Key").WithSchema(openapi3.NewStringSchema().WithMaxLength(idem.MaxKey))
	p.Description = "A repeat with the same key and the same request answers the first answer and creates nothing, even when concurrent; " +
		"the same key with another request answers 422 idempotency_key_mismatch. Kept for QIJIAN_RETAIN."
	return &openapi3.ParameterRef{Value: p}
}
