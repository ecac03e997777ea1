package store

import (
	"context"

	"qijian/internal/account"
)

// RatingsOf reads the ratings of many inspections in one query, keyed by inspection id; an
// inspection without a rating has no entry.
func (s *Store) RatingsOf(ctx context.Context, inspectionIDs []uint64) (map[uint64]*Rating, error) {
	out := make(map[uint64]*Rating, len(inspectionIDs))
	if len(inspectionIDs) == 0 {
		return out, nil
	}
	var rows []Rating
	if err := s.DB(ctx).Where("inspection_id IN ?", inspectionIDs).Find(&rows).Error; err != nil {
		return nil, mapErr("ratings", err)
	}
	for i := range rows {
		out[rows[i].InspectionID] = &rows[i]
	}
	return out, nil
}

// BodiesByID reads many enforcement bodies in one query.
func (s *Store) BodiesByID(ctx context.Context, ids []uint) ([]account.Body, error) {
	var out []account.Body
	if len(ids) == 0 {
		return out, nil
	}
	err := s.DB(ctx).Where("id IN ?", ids).Order("id").Find(&out).Error
	return out, mapErr("bodies", err)
}
