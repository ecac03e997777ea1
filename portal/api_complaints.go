package portal

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/portal/api"
)

// apiFile files a complaint. With an Idempotency-Key header a repeat gets the first answer and
// creates nothing.
func (s *Server) apiFile(c *fiber.Ctx, _ *struct{}, f *grievance.Filing) (api.Filed, error) {
	key := strings.Clone(strings.TrimSpace(c.Get("Idempotency-Key")))
	if len(key) > 100 {
		return api.Filed{}, &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.max", Fields: map[string]string{"Idempotency-Key": "err.max"}}
	}
	if badKey(key) {
		return api.Filed{}, errBadKey("Idempotency-Key")
	}
	o, err := s.svc.Orders.File(c.UserContext(), viewerOf(c).Actor, *f, key)
	if err != nil {
		return api.Filed{}, err
	}
	c.Location("/api/v1/complaints/" + strconv.FormatUint(o.ID, 10))
	return api.Filed{ID: o.ID, Number: o.Number, Status: string(o.Status), Channel: string(o.Channel)}, nil
}

func (s *Server) apiComplaints(c *fiber.Ctx, q *grievance.Query, _ *struct{}) (api.List[api.Complaint], error) {
	list, err := s.svc.Orders.List(c.UserContext(), viewerOf(c).Actor, *q)
	if err != nil {
		return api.List[api.Complaint]{}, err
	}
	lang := langOf(c)
	items := make([]api.Complaint, len(list))
	for i := range list {
		items[i] = complaintOf(&list[i], lang)
	}
	return api.ListOf(items), nil
}

func (s *Server) apiComplaint(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.ComplaintDetail, error) {
	d, err := s.svc.Orders.Detail(c.UserContext(), viewerOf(c).Actor, p.ID)
	if err != nil {
		return api.ComplaintDetail{}, err
	}
	return complaintDetailOf(d, langOf(c)), nil
}

func (s *Server) apiAct(c *fiber.Ctx, p *api.ID, m *grievance.Move) (api.ComplaintDetail, error) {
	d, err := s.svc.Orders.Act(c.UserContext(), viewerOf(c).Actor, p.ID, *m)
	if err != nil {
		return api.ComplaintDetail{}, err
	}
	return complaintDetailOf(d, langOf(c)), nil
}

// apiReveal names the enterprise behind an anonymous order to a liaison or admin (audited).
func (s *Server) apiReveal(c *fiber.Ctx, p *api.ID, in *grievance.RevealRequest) (api.Revealed, error) {
	r, err := s.svc.Orders.Reveal(c.UserContext(), viewerOf(c).Actor, p.ID, in.Reason)
	if err != nil {
		return api.Revealed{}, err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return api.Revealed{Enterprise: api.RevealedEnterprise{ID: r.ID, Name: r.Name, USCC: r.USCC, ContactName: r.ContactName, Mobile: r.Mobile}, InspectionCode: r.InspectionCode}, nil
}
