package portal

import (
	"errors"
	"fmt"
	"strconv"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/inspection"
	"qijian/internal/store"
)

// inspectionScope bounds the list by who asks.
func inspectionScope(v *viewer) (store.InspectionFilter, error) {
	switch v.User.Role {
	case account.RoleEnterprise:
		return store.InspectionFilter{EnterpriseID: v.Actor.EnterpriseID}, nil
	case account.RoleOfficer:
		return store.InspectionFilter{BodyID: v.Actor.BodyID}, nil
	case account.RoleLiaison:
		return store.InspectionFilter{CountyCode: v.Actor.CountyCode}, nil
	case account.RoleAdmin:
		return store.InspectionFilter{}, nil
	}
	return store.InspectionFilter{}, errForbidden
}

func inspectionProblem(err error) error {
	switch {
	case errors.Is(err, inspection.ErrForbidden):
		return errForbidden
	case errors.Is(err, inspection.ErrTransition):
		return &errs.Error{Kind: errs.Conflict, Code: "not_allowed", Key: "err.forbidden"}
	case errors.Is(err, inspection.ErrRatingClosed):
		return &errs.Error{Kind: errs.Conflict, Code: "rating_closed", Key: "err.rating_closed"}
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	}
	return err
}

// inspectionView is an inspection with what the viewer may see of it.
func (s *Server) inspectionView(c *fiber.Ctx, in *store.Inspection) (fiber.Map, error) {
	refs, err := s.loadInspRefs(c.UserContext(), []store.Inspection{*in})
	if err != nil {
		return nil, err
	}
	return s.inspectionViewRefs(in, refs)
}

// inspectionViewRefs builds an inspection's view from references already loaded for its list.
func (s *Server) inspectionViewRefs(in *store.Inspection, refs *inspRefs) (fiber.Map, error) {
	var bodies []string
	for _, id := range store.ParseIDs(in.BodyIDs) {
		name, ok := refs.bodies[id]
		if !ok {
			return nil, fmt.Errorf("inspection %d: body %d: %w", in.ID, id, store.ErrNotFound)
		}
		bodies = append(bodies, name)
	}
	var people []store.Inspector
	for _, id := range dedupe(store.ParseIDs(in.InspectorIDs)) {
		if p, ok := refs.inspectors[id]; ok {
			people = append(people, p)
		}
	}
	var items []store.InspectionItem
	for _, id := range dedupe(store.ParseIDs(in.ItemIDs)) {
		if it, ok := refs.items[id]; ok {
			items = append(items, it)
		}
	}
	m := fiber.Map{"id": in.ID, "notice_number": fmt.Sprintf("温企检通〔%d〕%06d号", in.CreatedAt.In(shanghai).Year(), in.ID), "kind": in.Kind, "status": in.Status, "code": in.Code, "scheduled_at": in.ScheduledAt.UTC(), "place": in.Place,
		"county": in.CountyCode, "bodies": bodies, "notice_delivered_at": utcPtr(in.NoticeDeliveredAt), "notice_ack_at": utcPtr(in.NoticeAckAt)}
	var ps, its []fiber.Map
	for _, p := range people {
		ps = append(ps, fiber.Map{"name": p.Name, "credential": p.CredentialNo, "valid_to": p.ValidTo.UTC()})
	}
	for _, it := range items {
		its = append(its, fiber.Map{"name": it.Name, "basis": it.LegalBasis, "method": it.Method, "standard": it.Standard})
	}
	m["inspectors"], m["items"] = ps, its
	if rt := refs.ratings[in.ID]; rt != nil {
		m["rating"] = fiber.Map{"score": rt.Score, "comment": rt.Comment, "code_shown": rt.CodeShown, "credential_shown": rt.CredentialShown, "data_demanded": rt.DataDemanded, "disrupted": rt.Disrupted}
	}
	return m, nil
}

func (s *Server) inspectionsPage(c *fiber.Ctx) error {
	v := viewerOf(c)
	f, err := inspectionScope(v)
	if err != nil {
		return err
	}
	list, err := s.Store.Inspections(c.UserContext(), f)
	if err != nil {
		return err
	}
	refs, err := s.loadInspRefs(c.UserContext(), list)
	if err != nil {
		return err
	}
	rows := make([]fiber.Map, 0, len(list))
	for i := range list {
		m, err := s.inspectionViewRefs(&list[i], refs)
		if err != nil {
			return err
		}
		rows = append(rows, m)
	}
	// An enterprise sees this year's count per body beside the cap, FREQ-1 (or FREQ-2) for itself.
	var standing []fiber.Map
	if v.User.Role == account.RoleEnterprise {
		if standing, err = s.yearStanding(c, v.Actor.EnterpriseID); err != nil {
			return err
		}
	}
	if isAPI(c) {
		out := fiber.Map{"items": rows}
		if standing != nil {
			out["this_year"] = standing
		}
		return c.JSON(out)
	}
	return s.render(c, "inspections", fiber.Map{"Title": tr(langOf(c), "insp.title"), "Rows": rows, "Standing": standing, "Year": s.Clock.Now().In(shanghai).Year()})
}

func (s *Server) visibleInspection(c *fiber.Ctx) (*store.Inspection, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil || id == 0 {
		return nil, errNotFound
	}
	in, err := s.svc.Inspections.Visible(c.UserContext(), viewerOf(c).Actor, id)
	return in, inspectionProblem(err)
}

func (s *Server) inspectionPage(c *fiber.Ctx) error {
	in, err := s.visibleInspection(c)
	if err != nil {
		return err
	}
	m, err := s.inspectionView(c, in)
	if err != nil {
		return err
	}
	cf, err := s.caseFileView(c, in) // RECORD-1: nil for those who may not read the case file
	if err != nil {
		return err
	}
	if isAPI(c) {
		if cf != nil {
			m["records"], m["merged"], m["merged_into"] = cf["records"], cf["merged"], cf["merged_into"]
		}
		return c.JSON(m)
	}
	v := viewerOf(c)
	own := v.User.Role == account.RoleEnterprise
	return s.render(c, "inspection", fiber.Map{"Title": tr(langOf(c), "insp.notice"), "I": m, "In": in, "Own": own,
		"CanRate": own && !s.Clock.Now().Before(in.ScheduledAt), "Flash": c.Query("done"), "Case": cf})
}

func (s *Server) inspectionAck(c *fiber.Ctx) error {
	in, err := s.visibleInspection(c)
	if err != nil {
		return err
	}
	if err := s.svc.Inspections.Acknowledge(c.UserContext(), viewerOf(c).Actor, in.ID); err != nil {
		return inspectionProblem(err)
	}
	if isAPI(c) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect("/inspections/"+c.Params("id")+"?done=ack", fiber.StatusSeeOther)
}

func (s *Server) inspectionRate(c *fiber.Ctx) error {
	in, err := s.visibleInspection(c)
	if err != nil {
		return err
	}
	var r inspection.RatingInput
	if isAPI(c) {
		err = decodeJSON(c, &r)
	} else if err = c.BodyParser(&r); err != nil {
		err = errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err != nil {
		return err
	}
	if err := s.check(&r); err != nil {
		return err
	}
	if err := s.svc.Inspections.Rate(c.UserContext(), viewerOf(c).Actor, in.ID, r); err != nil {
		return inspectionProblem(err)
	}
	if isAPI(c) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect("/inspections/"+c.Params("id")+"?done=rate", fiber.StatusSeeOther)
}

// apiInspectionStatus moves an inspection on; the checks run again.
func (s *Server) apiInspectionStatus(c *fiber.Ctx) error {
	in, err := s.visibleInspection(c)
	if err != nil {
		return err
	}
	var f struct {
		Status string `json:"status" validate:"required,oneof=notified in_progress done cancelled"`
	}
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	out, err := s.svc.Inspections.SetStatus(c.UserContext(), viewerOf(c).Actor, in.ID, f.Status)
	if err != nil {
		return inspectionProblem(err)
	}
	return c.JSON(fiber.Map{"id": out.ID, "status": out.Status})
}

func (s *Server) yearStanding(c *fiber.Ctx, enterpriseID uint) ([]fiber.Map, error) {
	ctx := c.UserContext()
	list, err := s.svc.Inspections.YearStanding(ctx, enterpriseID, s.Clock.Now().In(shanghai).Year())
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(list))
	for i, b := range list {
		ids[i] = b.BodyID
	}
	bodies, err := s.Store.BodiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := map[uint]string{}
	for _, b := range bodies {
		names[b.ID] = b.NameZh
	}
	out := make([]fiber.Map, 0, len(list))
	for _, b := range list {
		out = append(out, fiber.Map{"body_id": b.BodyID, "body": names[b.BodyID], "count": b.Count, "cap": b.Cap, "over": b.Count > b.Cap})
	}
	return out, nil
}
