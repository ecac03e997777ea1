package portal

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/portal/api"
)

// Phone intake: a 12345/12348 hotline operator records a call as an order on behalf of the
// enterprise that called (grievance.TakeCall), by page (/intake) or by API.

// apiIntake records a call. With an Idempotency-Key header a repeat gets the first answer and
// creates nothing.
func (s *Server) apiIntake(c *fiber.Ctx, _ *struct{}, call *grievance.Call) (api.IntakeFiled, error) {
	key := strings.Clone(strings.TrimSpace(c.Get("Idempotency-Key")))
	if len(key) > 100 {
		return api.IntakeFiled{}, &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.max", Fields: map[string]string{"Idempotency-Key": "err.max"}}
	}
	if badKey(key) {
		return api.IntakeFiled{}, errBadKey("Idempotency-Key")
	}
	t, err := s.svc.Orders.TakeCall(c.UserContext(), viewerOf(c).Actor, *call, key)
	if err != nil {
		return api.IntakeFiled{}, err
	}
	c.Location("/api/v1/complaints/" + itoa64(t.ID))
	return api.IntakeFiled{ID: t.ID, Number: t.Number, Status: string(t.Status), Channel: string(t.Channel), Source: string(lifecycle.SourcePhone), Enterprise: t.Enterprise}, nil
}

// intakeForm is the call form's data: the call as typed so far and its field errors.
func (s *Server) intakeForm(c *fiber.Ctx, call *grievance.Call, fields map[string]string) (fiber.Map, error) {
	choices, err := s.svc.Orders.FilingChoices(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return nil, err
	}
	if call == nil {
		call = &grievance.Call{Type: "illegal_inspection"}
	}
	checked := map[string]bool{}
	for _, r := range call.Reasons {
		checked[r] = true
	}
	lang := langOf(c)
	return fiber.Map{"Title": tr(lang, "intake.title"), "Form": call, "Errors": fieldMessages(lang, fields), "C": choices, "Types": lifecycle.Types,
		"Reasons": lifecycle.Reasons, "Checked": checked}, nil
}

// mayTakeCalls refuses the call pages to anyone but a hotline operator.
func mayTakeCalls(c *fiber.Ctx) error {
	if !account.Can(viewerOf(c).Actor, account.TakeCalls, account.Object{}) {
		return errForbidden
	}
	return nil
}

func (s *Server) intakePage(c *fiber.Ctx) error {
	if err := mayTakeCalls(c); err != nil {
		return err
	}
	data, err := s.intakeForm(c, nil, nil)
	if err != nil {
		return err
	}
	return s.render(c, "intake", data)
}

// intakeSubmit records the call, or shows the form again with what was typed and each field's
// fault; on success the confirmation names the number to read back to the caller.
func (s *Server) intakeSubmit(c *fiber.Ctx) error {
	if err := mayTakeCalls(c); err != nil {
		return err
	}
	var call grievance.Call
	if err := c.BodyParser(&call); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	call.Normalize()
	key := c.FormValue("idempotency_key")
	if badKey(key) {
		return errBadKey("idempotency_key")
	}
	err := s.check(&call)
	var t grievance.TakenCall
	if err == nil {
		t, err = s.svc.Orders.TakeCall(c.UserContext(), viewerOf(c).Actor, call, strings.Clone(key))
	}
	var p *errs.Error
	if errors.As(err, &p) && len(p.Fields) > 0 {
		data, derr := s.intakeForm(c, &call, p.Fields)
		if derr != nil {
			return derr
		}
		data["Error"] = tr(langOf(c), "err.form")
		c.Status(statusOf(p))
		return s.render(c, "intake", data)
	}
	if err != nil {
		return err
	}
	lang := langOf(c)
	return s.render(c, "intake_done", fiber.Map{"Title": tr(lang, "intake.done"), "T": t, "Anonymous": call.Anonymous})
}

// callFigures are an operator's numbers: the calls it took today and those of its calls still open.
func (s *Server) callFigures(ctx context.Context, a account.Actor, h *homeFigures) error {
	d, err := s.svc.Orders.CallDay(ctx, a)
	if err != nil {
		return err
	}
	h.Figures = append(h.Figures, figure{Key: "fig.calls_today", Href: "/complaints", N: int(d.Today)}, figure{Key: "fig.calls_open", Href: "/complaints", N: int(d.Open)})
	return nil
}

func itoa64(n uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
