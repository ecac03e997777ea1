package store

import (
	"context"
	"time"
)

// InspectionRecord is one document of an inspection's case file (RECORD-1). A file is optional;
// its content is addressed by hash and no file name is kept.
type InspectionRecord struct {
	ID           uint64 `gorm:"primaryKey"`
	InspectionID uint64
	Kind         string
	Number       string
	IssuedOn     time.Time
	Summary      string
	ContentType  string
	Size         int64
	SHA256       string `gorm:"column:sha256"`
	CreatedBy    uint
	CreatedAt    time.Time
}

// TableName maps the row to its table.
func (InspectionRecord) TableName() string { return "inspection_records" }

// AddInspectionRecord stores a record; the same kind and number twice on one inspection is ErrConflict.
func (s *Store) AddInspectionRecord(ctx context.Context, r *InspectionRecord) error {
	return mapErr("add inspection record", s.DB(ctx).Create(r).Error)
}

// InspectionRecords lists an inspection's case file, by date.
func (s *Store) InspectionRecords(ctx context.Context, inspectionID uint64) ([]InspectionRecord, error) {
	var out []InspectionRecord
	err := s.DB(ctx).Where("inspection_id = ?", inspectionID).Order("issued_on, id").Find(&out).Error
	return out, mapErr("inspection records", err)
}

// InspectionRecordOf reads one record of one inspection (both ids must match).
func (s *Store) InspectionRecordOf(ctx context.Context, inspectionID, id uint64) (*InspectionRecord, error) {
	var r InspectionRecord
	err := s.DB(ctx).Where("inspection_id = ? AND id = ?", inspectionID, id).First(&r).Error
	return &r, mapErr("inspection record", err)
}

// InspectionRecordByID reads one record.
func (s *Store) InspectionRecordByID(ctx context.Context, id uint64) (*InspectionRecord, error) {
	var r InspectionRecord
	err := s.DB(ctx).First(&r, id).Error
	return &r, mapErr("inspection record", err)
}

// MergeInspection marks a pending planned task as carried out by the triggered inspection into
// (FREQ-3). Only a task still scheduled or notified moves; it reports whether this one did.
func (s *Store) MergeInspection(ctx context.Context, plannedID, into uint64, at time.Time) (bool, error) {
	res := s.DB(ctx).Model(&Inspection{}).Where("id = ? AND status IN ?", plannedID, []string{"scheduled", "notified"}).
		Updates(map[string]any{"status": "merged", "merged_into": into, "updated_at": at})
	return res.RowsAffected == 1, mapErr("merge inspection", res.Error)
}

// MergedInto lists the planned tasks merged into a triggered inspection.
func (s *Store) MergedInto(ctx context.Context, into uint64) ([]Inspection, error) {
	var out []Inspection
	if err := s.DB(ctx).Where("merged_into = ?", into).Order("id").Find(&out).Error; err != nil {
		return nil, mapErr("merged inspections", err)
	}
	return out, s.fillListsOf(ctx, out)
}

// SetInspectionItems replaces the items an inspection covers.
func (s *Store) SetInspectionItems(ctx context.Context, id uint64, itemIDs []uint, at time.Time) error {
	if err := s.DB(ctx).Where("inspection_id = ?", id).Delete(&InspectionCoveredItem{}).Error; err != nil {
		return mapErr("inspection items", err)
	}
	if err := insertLinks(ctx, s, "inspection items", itemLinks(id, itemIDs)); err != nil {
		return err
	}
	return mapErr("inspection items", s.DB(ctx).Model(&Inspection{}).Where("id = ?", id).Update("updated_at", at).Error)
}

// BodyPlans lists a body's annual plans, latest year first.
func (s *Store) BodyPlans(ctx context.Context, bodyID uint) ([]Plan, error) {
	var out []Plan
	err := s.DB(ctx).Where("body_id = ?", bodyID).Order("year DESC").Find(&out).Error
	return out, mapErr("body plans", err)
}

// BodyPublishedSpecials lists the special inspections body bodyID takes part in whose
// publication (seed §2.5 二) is dated on or before until, not cancelled, latest first (at most
// limit), with their lists filled. The dates are compared here, not in SQL: SQLite keeps them
// as text in the writer's offset.
func (s *Store) BodyPublishedSpecials(ctx context.Context, bodyID uint, until time.Time, limit int) ([]Inspection, error) {
	var all []Inspection
	err := s.DB(ctx).Model(&Inspection{}).Joins("JOIN inspection_bodies ON inspection_bodies.inspection_id = inspections.id").
		Where("inspection_bodies.body_id = ? AND inspections.kind = ? AND inspections.status <> ? AND inspections.special_published_on IS NOT NULL",
			bodyID, "special", "cancelled").
		Order("inspections.scheduled_at DESC, inspections.id DESC").Limit(4 * limit).Find(&all).Error
	if err != nil {
		return nil, mapErr("published specials", err)
	}
	out := all[:0]
	for _, in := range all {
		if !in.SpecialPublishedOn.After(until) && len(out) < limit {
			out = append(out, in)
		}
	}
	return out, s.fillListsOf(ctx, out)
}
