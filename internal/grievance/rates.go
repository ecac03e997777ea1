package grievance

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
)

// Rates are the hotline's response figures over a period (响应率): of the orders dispatched to a
// unit whose sign-for limit has run out or been met, how many the unit signed for in time.
type Rates struct {
	Dispatched   int64
	SignedInTime int64
	ResponseRate float64 // SignedInTime / Dispatched; 0 when nothing was dispatched
}

// Rates counts the response figures of the sign-for stages begun in [from, to), over the
// caller's scope: a county liaison's county, or every county for the city level and admins.
func (s *Service) Rates(ctx context.Context, by account.Actor, from, to time.Time) (Rates, error) {
	if by.Role != account.RoleLiaison && by.Role != account.RoleAdmin {
		return Rates{}, ErrForbidden
	}
	county := ""
	if by.Role == account.RoleLiaison {
		county = by.CountyCode
	}
	c, err := s.St.SignFigures(ctx, county, from, to, s.Clock.Now())
	if err != nil {
		return Rates{}, fmt.Errorf("complaint: rates: %w", err)
	}
	r := Rates{Dispatched: c.Dispatched, SignedInTime: c.SignedInTime}
	if c.Dispatched > 0 {
		r.ResponseRate = float64(c.SignedInTime) / float64(c.Dispatched)
	}
	return r, nil
}
