package portal

import (
	"qijian/internal/grievance"
	"qijian/portal/api"
)

// partsOf is the API's view of an order's merges and co-handlers.
func partsOf(p *grievance.Parts) api.ComplaintParts {
	link := func(l grievance.OrderLink) api.ComplaintLink {
		return api.ComplaintLink{ID: l.ID, Number: l.Number, Status: string(l.Status), Visible: l.Visible}
	}
	out := api.ComplaintParts{MergedCount: p.MergedCount, MergeWindowDays: p.MergeWindowDays, CoPending: p.CoPending,
		Merged: []api.ComplaintLink{}, Duplicates: []api.ComplaintDuplicate{}, CoHandlers: []api.ComplaintCohandler{}}
	if p.MergedInto != nil {
		l := link(*p.MergedInto)
		out.MergedInto = &l
	}
	for _, m := range p.Merged {
		out.Merged = append(out.Merged, link(m))
	}
	for _, d := range p.Duplicates {
		out.Duplicates = append(out.Duplicates, api.ComplaintDuplicate{ComplaintLink: link(d.OrderLink), SameEnterprise: d.SameEnterprise, SameInspection: d.SameInspection})
	}
	for _, c := range p.CoHandlers {
		out.CoHandlers = append(out.CoHandlers, api.ComplaintCohandler{UnitID: c.UnitID, AddedAt: c.AddedAt.UTC(), DueAt: utcPtr(c.DueAt), AnsweredAt: utcPtr(c.AnsweredAt), Part: c.Part})
	}
	return out
}
