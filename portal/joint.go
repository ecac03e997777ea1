package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/portal/api"
)

// apiJointRequests lists the joint inspections awaiting the caller's body's answer.
func (s *Server) apiJointRequests(c *fiber.Ctx, _ *struct{}, _ *struct{}) (api.JointRequests, error) {
	list, err := s.svc.Inspections.JointRequests(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return api.JointRequests{}, err
	}
	out := api.JointRequests{Items: make([]api.JointRequest, len(list))}
	for i, r := range list {
		out.Items[i] = api.JointRequest{InspectionID: r.ID, Kind: r.Kind, ScheduledAt: r.ScheduledAt, Place: r.Place, Enterprise: r.Enterprise, Coordinator: r.Coordinator}
	}
	return out, nil
}

// apiAnswerJoint confirms or declines the caller's body's part in a joint inspection.
func (s *Server) apiAnswerJoint(c *fiber.Ctx, p *api.ID, b *api.JointAnswer) (api.JointAnswered, error) {
	state, err := s.svc.Inspections.AnswerJoint(c.UserContext(), viewerOf(c).Actor, p.ID, b.Answer == "confirm")
	if err != nil {
		return api.JointAnswered{}, err
	}
	return api.JointAnswered{InspectionID: p.ID, State: state}, nil
}

// jointAnswerSubmit is the page form's confirm or decline; back to the inspection list.
func (s *Server) jointAnswerSubmit(c *fiber.Ctx) error {
	id, err := pageID(c)
	if err != nil {
		return err
	}
	var f api.JointAnswer
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	state, err := s.svc.Inspections.AnswerJoint(c.UserContext(), viewerOf(c).Actor, id, f.Answer == "confirm")
	if err != nil {
		return err
	}
	return c.Redirect("/inspections?joint="+state, fiber.StatusSeeOther)
}
