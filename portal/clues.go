package portal

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/portal/api"
)

// Clues (issue 19 item 8): the automatic checks' clues have their own list and review, apart
// from the complaint queue.

func clueOf(v *grievance.ClueView) api.Clue {
	c := api.Clue{ID: v.ID, Number: v.Number, Status: string(v.Status), Type: string(v.Type), Channel: string(v.Channel), County: v.County,
		Rules: v.Rules, Evidence: v.Evidence, CreatedAt: v.CreatedAt.UTC(), ReviewDue: utcPtr(v.NextDueAt)}
	if c.Rules == nil {
		c.Rules = []string{}
	}
	if v.Reporter != nil {
		c.Enterprise = &api.ComplaintEnterprise{ID: v.Reporter.ID, Name: v.Reporter.Name}
	}
	return c
}

func (s *Server) apiClues(c *fiber.Ctx, q *grievance.ClueQuery, _ *struct{}) (api.List[api.Clue], error) {
	list, err := s.svc.Orders.Clues(c.UserContext(), viewerOf(c).Actor, *q)
	if err != nil {
		return api.List[api.Clue]{}, err
	}
	items := make([]api.Clue, len(list))
	for i := range list {
		items[i] = clueOf(&list[i])
	}
	return api.ListOf(items), nil
}

func (s *Server) apiReviewClue(c *fiber.Ctx, p *api.ID, m *grievance.ClueMove) (api.ComplaintDetail, error) {
	d, err := s.svc.Orders.ReviewClue(c.UserContext(), viewerOf(c).Actor, p.ID, *m)
	if err != nil {
		return api.ComplaintDetail{}, err
	}
	return complaintDetailOf(d, langOf(c)), nil
}

// cluesPage is the liaison's clue list: waiting (nearest review limit first) or done.
func (s *Server) cluesPage(c *fiber.Ctx) error {
	q := grievance.ClueQuery{State: c.Query("state"), County: c.Query("county")}
	if q.State != "" && q.State != "waiting" && q.State != "done" {
		return errs.Field("state", "err.invalid")
	}
	ctx, lang := c.UserContext(), langOf(c)
	list, err := s.svc.Orders.Clues(ctx, viewerOf(c).Actor, q)
	if err != nil {
		return err
	}
	now := s.svc.Clock.Now()
	type row struct {
		grievance.ClueView
		Due, Enterprise string
		Late            bool
	}
	rows := make([]row, len(list))
	for i := range list {
		rows[i] = row{ClueView: list[i], Enterprise: reporterName(&list[i].OrderView, lang)}
		rows[i].Due, rows[i].Late = countdown(lang, list[i].NextDueAt, now)
	}
	return s.render(c, "clues", fiber.Map{"Title": tr(lang, "clues.title"), "Rows": rows, "Done": q.State == "done"})
}

// clueReview is the order page's clue forms: dismiss, merge or convert.
func (s *Server) clueReview(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	var m grievance.ClueMove
	if err := c.BodyParser(&m); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&m); err != nil {
		return err
	}
	d, err := s.svc.Orders.ReviewClue(c.UserContext(), viewerOf(c).Actor, p.ID, m)
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/complaints/%d?done=%s_clue", d.ID, m.Action), fiber.StatusSeeOther)
}

// clueFigures adds the clues waiting for review, and those past their limit, to a liaison's
// home figures: counted apart from the complaints.
func (s *Server) clueFigures(ctx context.Context, a account.Actor, h *homeFigures) error {
	n, err := s.svc.Orders.ClueCounts(ctx, a)
	if err != nil {
		return err
	}
	h.Figures = append(h.Figures,
		figure{Key: "fig.clues", Href: "/clues", N: int(n.Waiting)},
		figure{Key: "fig.clues_overdue", Href: "/clues", N: int(n.Overdue), Alert: n.Overdue > 0})
	return nil
}
