package store

import (
	"context"
	"time"
)

// An inspection's bodies, covered items and inspectors are join tables (migration 0022); Seq
// keeps each list in registration order.

// InspectionBody is one enforcement body taking part in an inspection; the first leads. Its
// State says whether the body confirmed its part (migration 0036): only confirmed parts are read
// into Inspection.BodyIDs.
type InspectionBody struct {
	InspectionID uint64 `gorm:"primaryKey"`
	BodyID       uint   `gorm:"primaryKey"`
	Seq          int
	State        string
	DecidedBy    uint
	DecidedAt    *time.Time
}

// The states of a body's part in an inspection.
const (
	PartConfirmed = "confirmed"
	PartPending   = "pending"
	PartDeclined  = "declined"
)

// TableName maps the row to its table.
func (InspectionBody) TableName() string { return "inspection_bodies" }

// InspectionCoveredItem is one item of a body's list that an inspection covers.
type InspectionCoveredItem struct {
	InspectionID uint64 `gorm:"primaryKey"`
	ItemID       uint   `gorm:"primaryKey"`
	Seq          int
}

// TableName maps the row to its table.
func (InspectionCoveredItem) TableName() string { return "inspection_covered_items" }

// InspectionInspector is one inspector of an inspection.
type InspectionInspector struct {
	InspectionID uint64 `gorm:"primaryKey"`
	InspectorID  uint   `gorm:"primaryKey"`
	Seq          int
}

// TableName maps the row to its table.
func (InspectionInspector) TableName() string { return "inspection_inspectors" }

// linkChunk bounds the ids of one IN (…) list, well under either database's parameter limit.
const linkChunk = 1000

func itemLinks(id uint64, ids []uint) []InspectionCoveredItem {
	out := make([]InspectionCoveredItem, len(ids))
	for i, x := range ids {
		out[i] = InspectionCoveredItem{InspectionID: id, ItemID: x, Seq: i}
	}
	return out
}

// writeLists stores a new inspection's three lists.
func (s *Store) writeLists(ctx context.Context, in *Inspection) error {
	bodies := make([]InspectionBody, 0, len(in.BodyIDs)+len(in.PendingBodyIDs))
	for _, x := range in.BodyIDs {
		bodies = append(bodies, InspectionBody{InspectionID: in.ID, BodyID: x, Seq: len(bodies), State: PartConfirmed})
	}
	for _, x := range in.PendingBodyIDs {
		bodies = append(bodies, InspectionBody{InspectionID: in.ID, BodyID: x, Seq: len(bodies), State: PartPending})
	}
	people := make([]InspectionInspector, len(in.InspectorIDs))
	for i, x := range in.InspectorIDs {
		people[i] = InspectionInspector{InspectionID: in.ID, InspectorID: x, Seq: i}
	}
	if err := insertLinks(ctx, s, "inspection bodies", bodies); err != nil {
		return err
	}
	if err := insertLinks(ctx, s, "inspection items", itemLinks(in.ID, in.ItemIDs)); err != nil {
		return err
	}
	return insertLinks(ctx, s, "inspection inspectors", people)
}

// insertLinks inserts join rows; none is nothing to do (gorm refuses an empty insert). The same
// id twice in one list is ErrConflict: callers pass lists without repeats.
func insertLinks[T any](ctx context.Context, s *Store, what string, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return mapErr(what, s.DB(ctx).CreateInBatches(rows, 500).Error)
}

// fillListsOf fills the lists of every inspection of list, with one query per table.
func (s *Store) fillListsOf(ctx context.Context, list []Inspection) error {
	ptrs := make([]*Inspection, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return s.fillLists(ctx, ptrs)
}

func (s *Store) fillLists(ctx context.Context, list []*Inspection) error {
	byID := make(map[uint64]*Inspection, len(list))
	ids := make([]uint64, 0, len(list))
	for _, in := range list {
		in.BodyIDs, in.PendingBodyIDs, in.ItemIDs, in.InspectorIDs = nil, nil, nil, nil
		if _, dup := byID[in.ID]; !dup {
			byID[in.ID] = in
			ids = append(ids, in.ID)
		}
	}
	for from := 0; from < len(ids); from += linkChunk {
		chunk := ids[from:min(from+linkChunk, len(ids))]
		var bodies []InspectionBody
		if err := s.DB(ctx).Where("inspection_id IN ?", chunk).Order("inspection_id, seq").Find(&bodies).Error; err != nil {
			return mapErr("inspection bodies", err)
		}
		for _, l := range bodies {
			in := byID[l.InspectionID]
			switch l.State {
			case PartConfirmed:
				in.BodyIDs = append(in.BodyIDs, l.BodyID)
			case PartPending:
				in.PendingBodyIDs = append(in.PendingBodyIDs, l.BodyID)
			}
		}
		var items []InspectionCoveredItem
		if err := s.DB(ctx).Where("inspection_id IN ?", chunk).Order("inspection_id, seq").Find(&items).Error; err != nil {
			return mapErr("inspection items", err)
		}
		for _, l := range items {
			in := byID[l.InspectionID]
			in.ItemIDs = append(in.ItemIDs, l.ItemID)
		}
		var people []InspectionInspector
		if err := s.DB(ctx).Where("inspection_id IN ?", chunk).Order("inspection_id, seq").Find(&people).Error; err != nil {
			return mapErr("inspection inspectors", err)
		}
		for _, l := range people {
			in := byID[l.InspectionID]
			in.InspectorIDs = append(in.InspectorIDs, l.InspectorID)
		}
	}
	// A list read twice (the same inspection in list twice) shares the first one's lists.
	for _, in := range list {
		if first := byID[in.ID]; first != in {
			in.BodyIDs, in.PendingBodyIDs, in.ItemIDs, in.InspectorIDs = first.BodyIDs, first.PendingBodyIDs, first.ItemIDs, first.InspectorIDs
		}
	}
	return nil
}

// PendingParts lists the inspections whose part bodyID has not answered yet, soonest first.
func (s *Store) PendingParts(ctx context.Context, bodyID uint, limit int) ([]Inspection, error) {
	if bodyID == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	var out []Inspection
	err := s.DB(ctx).Where("id IN (?)", s.DB(ctx).Model(&InspectionBody{}).Select("inspection_id").Where("body_id = ? AND state = ?", bodyID, PartPending)).
		Order("scheduled_at, id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, mapErr("pending parts", err)
	}
	return out, s.fillListsOf(ctx, out)
}

// DecidePart records bodyID's answer (PartConfirmed or PartDeclined) to its pending part in an
// inspection, once: false when there was no pending part to decide.
func (s *Store) DecidePart(ctx context.Context, inspectionID uint64, bodyID uint, state string, by uint, at time.Time) (bool, error) {
	res := s.DB(ctx).Model(&InspectionBody{}).Where("inspection_id = ? AND body_id = ? AND state = ?", inspectionID, bodyID, PartPending).
		Updates(map[string]any{"state": state, "decided_by": by, "decided_at": at})
	return res.RowsAffected == 1, mapErr("decide part", res.Error)
}
