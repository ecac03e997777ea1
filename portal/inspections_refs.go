package portal

import (
	"context"
	"slices"

	"qijian/internal/store"
)

// inspRefs holds what a list of inspections refers to (bodies, inspectors, items, ratings),
// read with one query per table instead of several per row.
type inspRefs struct {
	bodies     map[uint]string
	inspectors map[uint]store.Inspector
	items      map[uint]store.InspectionItem
	ratings    map[uint64]*store.Rating
}

func (s *Server) loadInspRefs(ctx context.Context, list []store.Inspection) (*inspRefs, error) {
	var bodyIDs, inspectorIDs, itemIDs []uint
	ids := make([]uint64, len(list))
	for i := range list {
		ids[i] = list[i].ID
		bodyIDs = append(bodyIDs, store.ParseIDs(list[i].BodyIDs)...)
		inspectorIDs = append(inspectorIDs, store.ParseIDs(list[i].InspectorIDs)...)
		itemIDs = append(itemIDs, store.ParseIDs(list[i].ItemIDs)...)
	}
	r := &inspRefs{bodies: map[uint]string{}, inspectors: map[uint]store.Inspector{}, items: map[uint]store.InspectionItem{}}
	bodies, err := s.Store.BodiesByID(ctx, dedupe(bodyIDs))
	if err != nil {
		return nil, err
	}
	for _, b := range bodies {
		r.bodies[b.ID] = b.NameZh
	}
	people, err := s.Store.InspectorsByID(ctx, dedupe(inspectorIDs))
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		r.inspectors[p.ID] = p
	}
	items, err := s.Store.ItemsByID(ctx, dedupe(itemIDs))
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		r.items[it.ID] = it
	}
	if r.ratings, err = s.Store.RatingsOf(ctx, ids); err != nil {
		return nil, err
	}
	return r, nil
}

func dedupe(ids []uint) []uint {
	slices.Sort(ids)
	return slices.Compact(ids)
}
