package portal

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"qijian/internal/inspection"
	"qijian/internal/inspection/actcode"
	"qijian/internal/store"
)

// verifyState is what the public verify page says of a code.
type verifyState string

const (
	codeValid   verifyState = "valid"
	codeUnknown verifyState = "unknown"
	codeForged  verifyState = "forged"
	codeRevoked verifyState = "revoked"
	codeExpired verifyState = "expired"
)

// A code stays valid for verification this long after the inspection's day.
const codeLife = 30 * 24 * time.Hour

type verifyInspector struct {
	Name, Credential, ValidTo string
	Valid                     bool
}
type verifyItem struct{ Name, Basis, Method string }

// verifyPage is public (no login): anyone at the door can check who is inspecting and why.
// It names no enterprise.
func (s *Server) verifyPage(c *fiber.Ctx) error {
	code := actcode.Normalize(c.Params("code"))
	data := fiber.Map{"Title": tr(langOf(c), "verify.title"), "Code": actcode.Format(code)}
	state, in, err := s.lookupCode(c, code)
	if err != nil {
		return err
	}
	data["State"] = string(state)
	if in != nil && state != codeForged {
		ctx := c.UserContext()
		var bodies []string
		for _, id := range store.ParseIDs(in.BodyIDs) {
			b, err := s.Store.Body(ctx, id)
			if err != nil {
				return err
			}
			bodies = append(bodies, b.NameZh)
		}
		ps, err := s.Store.InspectorsByID(ctx, store.ParseIDs(in.InspectorIDs))
		if err != nil {
			return err
		}
		var people []verifyInspector
		for _, p := range ps {
			people = append(people, verifyInspector{Name: p.Name, Credential: p.CredentialNo, ValidTo: p.ValidTo.In(shanghai).Format("2006-01-02"),
				Valid: p.Active && p.Staff == "on_post" && !in.ScheduledAt.Before(p.ValidFrom) && in.ScheduledAt.Before(p.ValidTo)})
		}
		items, err := s.Store.ItemsByID(ctx, store.ParseIDs(in.ItemIDs))
		if err != nil {
			return err
		}
		var list []verifyItem
		for _, it := range items {
			list = append(list, verifyItem{Name: it.Name, Basis: it.LegalBasis, Method: it.Method})
		}
		noticeOK := in.NoticeWithheld || (in.NoticeDeliveredAt != nil && s.Calendar.NoticeInTime(*in.NoticeDeliveredAt, in.ScheduledAt, 3))
		data["Bodies"], data["Inspectors"], data["Items"], data["When"], data["NoticeOK"] = strings.Join(bodies, "、"), people, list, in.ScheduledAt.In(shanghai).Format("2006-01-02 15:04"), noticeOK
		if ids := store.ParseIDs(in.BodyIDs); len(ids) > 0 {
			data["Report"] = fmt.Sprintf("/complaints/new?type=illegal_inspection&code=%s&body_id=%d", code, ids[0])
		}
	}
	if state == codeUnknown || state == codeForged {
		c.Status(fiber.StatusNotFound)
		data["Report"] = "/complaints/new?type=missing_code&code=" + code
	}
	c.Set("Referrer-Policy", "no-referrer")
	return s.render(c, "verify", data)
}

// lookupCode checks the signature first, so a made-up code is refused without a query.
func (s *Server) lookupCode(c *fiber.Ctx, code string) (verifyState, *store.Inspection, error) {
	id, _, err := s.svc.Inspections.Codes.Parse(code)
	if errors.Is(err, actcode.ErrForged) {
		return codeForged, nil, nil
	}
	if err != nil {
		return codeUnknown, nil, nil
	}
	in, err := s.Store.InspectionByID(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && in.Code != code) {
		return codeUnknown, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	switch {
	case in.Status == "cancelled", in.Status == "merged": // a merged planned task's code gives way to its visit's (FREQ-3)
		return codeRevoked, in, nil
	case s.Clock.Now().After(in.ScheduledAt.Add(codeLife)):
		return codeExpired, in, nil
	}
	return codeValid, in, nil
}

// verifyQR renders the verify URL of a code as a QR image, PNG or SVG.
func (s *Server) verifyQR(c *fiber.Ctx) error {
	code := actcode.Normalize(c.Params("code"))
	if _, _, err := s.svc.Inspections.Codes.Parse(code); err != nil {
		return errNotFound
	}
	url := c.BaseURL() + "/v/" + code
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	if c.Params("ext") == "svg" {
		bm := q.Bitmap()
		var b strings.Builder
		fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(bm), len(bm))
		for y, row := range bm {
			for x, on := range row {
				if on {
					fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
				}
			}
		}
		b.WriteString(`"/></svg>`)
		c.Set(fiber.HeaderContentType, "image/svg+xml")
		return c.SendString(b.String())
	}
	png, err := q.PNG(256)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(png)
}

// apiRegisterInspection takes an inspection from an officer or the provincial platform.
func (s *Server) apiRegisterInspection(c *fiber.Ctx) error {
	var r inspection.Registration
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	if err := s.check(&r); err != nil {
		return err
	}
	in, created, err := s.svc.Inspections.Register(c.UserContext(), viewerOf(c).Actor, r)
	var fe *inspection.FieldError
	switch {
	case errors.As(err, &fe):
		return errs.InvalidFields(map[string]string{fe.Field: fe.Key})
	case errors.Is(err, inspection.ErrForbidden):
		return errForbidden
	case err != nil:
		return err
	}
	status := fiber.StatusCreated
	if !created {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(fiber.Map{"id": in.ID, "code": in.Code, "verify_url": "/v/" + in.Code, "status": in.Status})
}
