package inspection

import (
	"context"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/store"
)

// Listing is the inspection list a caller sees, with, for an enterprise, this year's standing.
type Listing struct {
	Rows []View
	// Standing is set for an enterprise only (FREQ-1/2 for itself): this year's counted
	// inspections per body beside the cap; nil for every other role.
	Standing []Standing
	Year     int
}

// Standing is an enterprise's count with one body this year against the cap.
type Standing struct {
	BodyID uint
	Body   string
	Count  int
	Cap    int
	Over   bool
}

// List lists the inspections the caller may see (account.InspectionsVisible), latest first.
// A caller without a list scope gets ErrForbidden, never everything.
func (s *Service) List(ctx context.Context, by account.Actor) (*Listing, error) {
	scope, ok := account.InspectionsVisible(by)
	if !ok {
		return nil, ErrForbidden
	}
	list, err := s.St.Inspections(ctx, store.InspectionFilter{All: scope.All, EnterpriseID: scope.EnterpriseID, BodyID: scope.BodyID, CountyCode: scope.CountyCode})
	if err != nil {
		return nil, fmt.Errorf("inspections: list: %w", err)
	}
	out := &Listing{Year: s.Clock.Now().In(shanghai()).Year()}
	if out.Rows, err = s.views(ctx, list); err != nil {
		return nil, err
	}
	if by.Role == account.RoleEnterprise {
		if out.Standing, err = s.standing(ctx, by.EnterpriseID, out.Year); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// standing names the bodies of YearStanding; never nil, so an enterprise's answer says "none".
func (s *Service) standing(ctx context.Context, enterpriseID uint, year int) ([]Standing, error) {
	list, err := s.YearStanding(ctx, enterpriseID, year)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(list))
	for i, b := range list {
		ids[i] = b.BodyID
	}
	bodies, err := s.St.BodiesByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("inspections: standing: %w", err)
	}
	names := map[uint]string{}
	for _, b := range bodies {
		names[b.ID] = b.NameZh
	}
	out := make([]Standing, 0, len(list))
	for _, b := range list {
		out = append(out, Standing{BodyID: b.BodyID, Body: names[b.BodyID], Count: b.Count, Cap: b.Cap, Over: b.Count > b.Cap})
	}
	return out, nil
}
