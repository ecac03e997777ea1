package inspection

import (
	"context"
	"fmt"
	"slices"
	"time"

	"qijian/internal/store"
)

// View is an inspection as the notice, the lists and the API show it: names resolved; bodies
// in the order registered, inspectors and items by their id.
type View struct {
	ID           uint64
	NoticeNumber string // 温企检通〔year〕number号
	Kind         string
	Status       string
	Code         string
	ScheduledAt  time.Time
	Place        string
	County       string
	Bodies       []string // names, the lead body first
	BodyIDs      []uint   // the same bodies by id (pages name them in the viewer's language)
	// PendingBodies: the other bodies a joint inspection names that have not confirmed their part.
	PendingBodies     []string
	PendingBodyIDs    []uint
	LeadBodyID        uint
	NoticeDeliveredAt *time.Time
	NoticeAckAt       *time.Time
	Inspectors        []Person
	Items             []ListedItem // the open-book list (开卷检查)
	Rating            *Rating
	MergedInto        *uint64 // a planned task merged into this triggered visit (FREQ-3)
}

// Person is an inspector as a notice names them.
type Person struct {
	Name       string
	Credential string
	ValidTo    time.Time
}

// ListedItem is an item of the body's list that the inspection covers.
type ListedItem struct {
	Name, Basis, Method, Standard string
}

// Rating is the enterprise's rating of an inspection.
type Rating struct {
	Score           int
	Comment         string
	CodeShown       bool
	CredentialShown bool
	DataDemanded    bool
	Disrupted       bool
}

// refs holds what a list of inspections refers to (bodies, inspectors, items, ratings), read
// with one query per table instead of several per row.
type refs struct {
	bodies     map[uint]string
	inspectors map[uint]store.Inspector
	items      map[uint]store.InspectionItem
	ratings    map[uint64]*store.Rating
}

func (s *Service) loadRefs(ctx context.Context, list []store.Inspection) (*refs, error) {
	var bodyIDs, inspectorIDs, itemIDs []uint
	ids := make([]uint64, len(list))
	for i := range list {
		ids[i] = list[i].ID
		bodyIDs = append(bodyIDs, list[i].BodyIDs...)
		bodyIDs = append(bodyIDs, list[i].PendingBodyIDs...)
		inspectorIDs = append(inspectorIDs, list[i].InspectorIDs...)
		itemIDs = append(itemIDs, list[i].ItemIDs...)
	}
	r := &refs{bodies: map[uint]string{}, inspectors: map[uint]store.Inspector{}, items: map[uint]store.InspectionItem{}}
	bodies, err := s.St.BodiesByID(ctx, distinct(bodyIDs))
	if err != nil {
		return nil, err
	}
	for _, b := range bodies {
		r.bodies[b.ID] = b.NameZh
	}
	people, err := s.St.InspectorsByID(ctx, distinct(inspectorIDs))
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		r.inspectors[p.ID] = p
	}
	items, err := s.St.ItemsByID(ctx, distinct(itemIDs))
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		r.items[it.ID] = it
	}
	if r.ratings, err = s.St.RatingsOf(ctx, ids); err != nil {
		return nil, err
	}
	return r, nil
}

func distinct(ids []uint) []uint {
	slices.Sort(ids)
	return slices.Compact(ids)
}

// views builds the views of a list with its references read once.
func (s *Service) views(ctx context.Context, list []store.Inspection) ([]View, error) {
	r, err := s.loadRefs(ctx, list)
	if err != nil {
		return nil, fmt.Errorf("inspections: references: %w", err)
	}
	out := make([]View, len(list))
	for i := range list {
		if out[i], err = r.view(&list[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *refs) view(in *store.Inspection) (View, error) {
	v := View{ID: in.ID, NoticeNumber: fmt.Sprintf("温企检通〔%d〕%06d号", in.CreatedAt.In(shanghai()).Year(), in.ID), Kind: in.Kind, Status: in.Status,
		Code: in.Code, ScheduledAt: in.ScheduledAt.UTC(), Place: in.Place, County: in.CountyCode, NoticeDeliveredAt: utc(in.NoticeDeliveredAt),
		NoticeAckAt: utc(in.NoticeAckAt), MergedInto: in.MergedInto, Inspectors: []Person{}, Items: []ListedItem{}}
	for _, id := range in.BodyIDs {
		name, ok := r.bodies[id]
		if !ok {
			return View{}, fmt.Errorf("inspections: %d: body %d: %w", in.ID, id, store.ErrNotFound)
		}
		v.Bodies, v.BodyIDs = append(v.Bodies, name), append(v.BodyIDs, id)
	}
	if len(in.BodyIDs) > 0 {
		v.LeadBodyID = in.BodyIDs[0]
	}
	for _, id := range in.PendingBodyIDs {
		if name, ok := r.bodies[id]; ok {
			v.PendingBodies, v.PendingBodyIDs = append(v.PendingBodies, name), append(v.PendingBodyIDs, id)
		}
	}
	// An inspector or item no longer on record is left out rather than failing the notice.
	for _, id := range distinct(slices.Clone(in.InspectorIDs)) {
		if p, ok := r.inspectors[id]; ok {
			v.Inspectors = append(v.Inspectors, Person{Name: p.Name, Credential: p.CredentialNo, ValidTo: p.ValidTo.UTC()})
		}
	}
	for _, id := range distinct(slices.Clone(in.ItemIDs)) {
		if it, ok := r.items[id]; ok {
			v.Items = append(v.Items, ListedItem{Name: it.Name, Basis: it.LegalBasis, Method: it.Method, Standard: it.Standard})
		}
	}
	if rt := r.ratings[in.ID]; rt != nil {
		v.Rating = &Rating{Score: rt.Score, Comment: rt.Comment, CodeShown: rt.CodeShown, CredentialShown: rt.CredentialShown, DataDemanded: rt.DataDemanded, Disrupted: rt.Disrupted}
	}
	return v, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
