package outreach

import (
	"context"
	"errors"
	"strings"

	"qijian/internal/message"

	"qijian/internal/account"
	"qijian/internal/store"
)

// Alert is a risk alert as an officer or admin writes it.
type Alert struct {
	Title, Body          string
	Industries, Counties []string // empty: all
}

// PublishAlert stores the alert and puts it in the inbox of every login of every enterprise it
// targets, and no one else's. Officers publish for their own body.
func (s *Service) PublishAlert(ctx context.Context, a account.Actor, al Alert) (*store.RiskAlert, error) {
	if a.Role != account.RoleOfficer && a.Role != account.RoleAdmin {
		return nil, ErrForbidden
	}
	var row *store.RiskAlert
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		row = &store.RiskAlert{AuthorID: a.UserID, Title: strings.TrimSpace(al.Title), Body: strings.TrimSpace(al.Body),
			Industries: strings.Join(al.Industries, ","), Counties: strings.Join(al.Counties, ","), CreatedAt: now}
		if a.BodyID != 0 {
			id := a.BodyID
			row.BodyID = &id
		}
		if err := s.St.CreateAlert(ctx, row); err != nil {
			return err
		}
		ents, err := s.St.EnterpriseIDsIn(ctx, al.Industries, al.Counties)
		if err != nil {
			return err
		}
		users, err := s.St.EnterpriseUserIDs(ctx, ents)
		if err != nil {
			return err
		}
		for _, u := range users {
			if err := message.Send(ctx, s.St, now, message.Message{UserID: u, Kind: "alert.risk", TitleZh: "风险提示：" + row.Title, TitleEn: "Risk alert: " + row.Title,
				Body: row.Body, Link: "/alerts/" + itoa(row.ID)}); err != nil {
				return err
			}
		}
		row.Reached = len(ents)
		return s.St.SetAlertReach(ctx, row.ID, len(ents))
	})
	return row, err
}

// Targets tells whether an alert is meant for e.
func Targets(al *store.RiskAlert, e *account.Enterprise) bool {
	in := func(list, v string) bool {
		if list == "" {
			return true
		}
		for _, x := range strings.Split(list, ",") {
			if x == v {
				return true
			}
		}
		return false
	}
	return in(al.Industries, e.Industry) && in(al.Counties, e.CountyCode)
}

// AlertFor reads an alert a may see: its targets, officers and admins.
func (s *Service) AlertFor(ctx context.Context, a account.Actor, id uint64) (*store.RiskAlert, error) {
	al, err := s.St.Alert(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	switch a.Role {
	case account.RoleOfficer, account.RoleAdmin:
		return al, nil
	case account.RoleEnterprise:
		e, err := s.St.Enterprise(ctx, a.EnterpriseID)
		if err != nil {
			return nil, err
		}
		if Targets(al, e) {
			return al, nil
		}
	}
	return nil, ErrNotFound
}

// AlertsFor lists the alerts a may see (an enterprise: those aimed at it).
func (s *Service) AlertsFor(ctx context.Context, a account.Actor) ([]store.RiskAlert, error) {
	all, err := s.St.Alerts(ctx, 200)
	if err != nil {
		return nil, err
	}
	switch a.Role {
	case account.RoleOfficer, account.RoleAdmin:
		return all, nil
	case account.RoleEnterprise:
		e, err := s.St.Enterprise(ctx, a.EnterpriseID)
		if err != nil {
			return nil, err
		}
		var out []store.RiskAlert
		for _, al := range all {
			if Targets(&al, e) {
				out = append(out, al)
			}
		}
		return out, nil
	}
	return nil, ErrForbidden
}
