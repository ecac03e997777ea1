package inspection

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/store"
)

// HomeInspection is one inspection on an enterprise's home page, with the behaviour code its
// inspectors must show.
type HomeInspection struct {
	ID          uint64
	ScheduledAt time.Time
	Code        string
}

// HomeInspections lists an enterprise login's newest inspections for its home page. Any other
// caller gets none: the list never widens to everyone's inspections.
func (s *Service) HomeInspections(ctx context.Context, a account.Actor, limit int) ([]HomeInspection, error) {
	if a.Role != account.RoleEnterprise || a.EnterpriseID == 0 || a.UserID == 0 {
		return nil, nil
	}
	rows, err := s.St.Inspections(ctx, store.InspectionFilter{EnterpriseID: a.EnterpriseID, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("inspection: home: %w", err)
	}
	out := make([]HomeInspection, len(rows))
	for i, in := range rows {
		out[i] = HomeInspection{ID: in.ID, ScheduledAt: in.ScheduledAt, Code: in.Code}
	}
	return out, nil
}
