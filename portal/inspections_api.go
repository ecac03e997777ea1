package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/inspection"
	"qijian/portal/api"
)

// The inspections' JSON API; the pages (inspections_pages.go) call the same use cases.

// apiInspections lists the inspections the caller may see, with an enterprise's year standing.
func (s *Server) apiInspections(c *fiber.Ctx, _, _ *struct{}) (api.InspectionList, error) {
	l, err := s.svc.Inspections.List(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return api.InspectionList{}, err
	}
	out := api.InspectionList{Items: make([]api.Inspection, len(l.Rows))}
	for i := range l.Rows {
		out.Items[i] = inspectionOut(&l.Rows[i])
	}
	if l.Standing != nil {
		st := make([]api.YearStanding, len(l.Standing))
		for i, b := range l.Standing {
			st[i] = api.YearStanding{BodyID: b.BodyID, Body: b.Body, Count: b.Count, Cap: b.Cap, Over: b.Over}
		}
		out.ThisYear = &st
	}
	return out, nil
}

// apiInspection is one inspection, with its case file for those who may read it.
func (s *Server) apiInspection(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.Inspection, error) {
	d, err := s.svc.Inspections.Detail(c.UserContext(), viewerOf(c).Actor, p.ID)
	if err != nil {
		return api.Inspection{}, err
	}
	out := inspectionOut(&d.View)
	if n := d.Notice; n.State != "" {
		out.Notice = &api.NoticeVerdict{State: string(n.State), DeliveredAt: n.Delivered, Basis: n.Basis}
		if n.State != "withheld" {
			out.Notice.LatestDay = n.Latest.String()
		}
	}
	if cf := d.Case; cf != nil {
		recs := make([]api.CaseRecord, len(cf.Records))
		for i, r := range cf.Records {
			recs[i] = api.CaseRecord{ID: r.ID, Kind: r.Kind, Number: r.Number, IssuedOn: r.IssuedOn, Summary: r.Summary, File: r.File, ContentType: r.ContentType, Size: r.Size}
		}
		merged := cf.Merged
		out.Records, out.Merged, out.MergedInto = &recs, &merged, cf.MergedInto
	}
	return out, nil
}

func inspectionOut(v *inspection.View) api.Inspection {
	out := api.Inspection{ID: v.ID, NoticeNumber: v.NoticeNumber, Kind: v.Kind, Status: v.Status, Code: v.Code, ScheduledAt: v.ScheduledAt, Place: v.Place,
		County: v.County, Bodies: v.Bodies, PendingBodies: v.PendingBodies, NoticeDeliveredAt: v.NoticeDeliveredAt, NoticeAckAt: v.NoticeAckAt,
		Inspectors: make([]api.InspectionPerson, len(v.Inspectors)), Items: make([]api.InspectionItem, len(v.Items))}
	for i, p := range v.Inspectors {
		out.Inspectors[i] = api.InspectionPerson{Name: p.Name, Credential: p.Credential, ValidTo: p.ValidTo}
	}
	for i, it := range v.Items {
		out.Items[i] = api.InspectionItem{Name: it.Name, Basis: it.Basis, Method: it.Method, Standard: it.Standard}
	}
	if r := v.Rating; r != nil {
		out.Rating = &api.InspectionRating{Score: r.Score, Comment: r.Comment, CodeShown: r.CodeShown, CredentialShown: r.CredentialShown, DataDemanded: r.DataDemanded, Disrupted: r.Disrupted}
	}
	return out
}

// apiRegisterInspection takes an inspection from an officer or the provincial platform: 201 for
// a new one, 200 for a push already on record (idempotent on external_id).
func (s *Server) apiRegisterInspection(c *fiber.Ctx, _ *struct{}, r *inspection.Registration) (api.InspectionRegistered, error) {
	in, created, err := s.svc.Inspections.Register(keyed(c), viewerOf(c).Actor, *r)
	if err != nil {
		return api.InspectionRegistered{}, err
	}
	if !created {
		answerStatus(c, fiber.StatusOK)
	}
	return api.InspectionRegistered{ID: in.ID, Code: in.Code, VerifyURL: "/v/" + in.Code, Status: in.Status, PendingBodyIDs: in.PendingBodyIDs}, nil
}

func (s *Server) apiInspectionAck(c *fiber.Ctx, p *api.ID, _ *struct{}) (NoContent, error) {
	return NoContent{}, s.svc.Inspections.Acknowledge(c.UserContext(), viewerOf(c).Actor, p.ID)
}

func (s *Server) apiInspectionRate(c *fiber.Ctx, p *api.ID, r *inspection.RatingInput) (NoContent, error) {
	return NoContent{}, s.svc.Inspections.Rate(c.UserContext(), viewerOf(c).Actor, p.ID, *r)
}

// apiInspectionStatus moves an inspection on; the checks run again.
func (s *Server) apiInspectionStatus(c *fiber.Ctx, p *api.ID, b *inspection.StatusInput) (api.InspectionStatus, error) {
	if err := s.svc.Inspections.SetStatus(c.UserContext(), viewerOf(c).Actor, p.ID, b.Status); err != nil {
		return api.InspectionStatus{}, err
	}
	return api.InspectionStatus{ID: p.ID, Status: b.Status}, nil
}
