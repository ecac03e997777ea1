package outreach

import (
	"context"
	"slices"
	"strings"

	"qijian/internal/account"
	"qijian/internal/message"
	"qijian/internal/store"
)

// AlertInput is a risk alert as an officer or admin writes it.
type AlertInput struct {
	Title      string   `json:"title" form:"title" validate:"required,max=200"`
	Body       string   `json:"body" form:"body" validate:"required,max=10000"`
	Industries []string `json:"industries" form:"industries" validate:"max=20,dive,industry" doc:"industry codes; empty: all"`
	Counties   []string `json:"counties" form:"counties" validate:"max=20,dive,county" doc:"county codes; empty: all"`
}

// Normalize trims what people type.
func (in *AlertInput) Normalize() {
	in.Title, in.Body = strings.TrimSpace(in.Title), strings.TrimSpace(in.Body)
}

// PublishAlert stores the alert and puts it in the inbox of every login of every enterprise it
// targets, and no one else's. Officers publish for their own body.
func (s *Service) PublishAlert(ctx context.Context, a account.Actor, in AlertInput) (*AlertView, error) {
	if !account.Can(a, account.PublishAlert, account.Object{}) {
		return nil, ErrForbidden
	}
	in.Normalize()
	var out AlertView
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		row := &store.RiskAlert{AuthorID: a.UserID, Title: in.Title, Body: in.Body, Industries: in.Industries, Counties: in.Counties, CreatedAt: now}
		if a.BodyID != 0 {
			id := a.BodyID
			row.BodyID = &id
		}
		if err := s.St.CreateAlert(ctx, row); err != nil {
			return err
		}
		ents, err := s.St.EnterpriseIDsIn(ctx, in.Industries, in.Counties)
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
		out = alertView(row)
		return s.St.SetAlertReach(ctx, row.ID, len(ents))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Targets tells whether an alert aimed at industries and counties (each empty: all) is meant for
// an enterprise of industry in county.
func Targets(industries, counties []string, industry, county string) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	return in(industries, industry) && in(counties, county)
}

// Alert reads an alert a may see: those who publish see every one, an enterprise those aimed at
// it; to anyone else it does not exist.
func (s *Service) Alert(ctx context.Context, a account.Actor, id uint64) (*AlertView, error) {
	al, err := s.St.Alert(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if !account.Can(a, account.PublishAlert, account.Object{}) {
		if a.Role != account.RoleEnterprise || a.EnterpriseID == 0 {
			return nil, ErrNotFound
		}
		e, err := s.St.Enterprise(ctx, a.EnterpriseID)
		if err != nil {
			return nil, err
		}
		if !Targets(al.Industries, al.Counties, e.Industry, e.CountyCode) {
			return nil, ErrNotFound
		}
	}
	v := alertView(al)
	return &v, nil
}

// Alerts lists the newest alerts a may see (an enterprise: those aimed at it). Roles that
// neither publish nor receive alerts are refused.
func (s *Service) Alerts(ctx context.Context, a account.Actor) ([]AlertView, error) {
	var list []store.RiskAlert
	var err error
	switch {
	case account.Can(a, account.PublishAlert, account.Object{}):
		list, err = s.St.Alerts(ctx, 200)
	case a.Role == account.RoleEnterprise && a.EnterpriseID != 0:
		var e *account.Enterprise
		if e, err = s.St.Enterprise(ctx, a.EnterpriseID); err == nil {
			list, err = s.St.AlertsTargeting(ctx, e.Industry, e.CountyCode, 200)
		}
	default:
		return nil, ErrForbidden
	}
	if err != nil {
		return nil, err
	}
	out := make([]AlertView, len(list))
	for i := range list {
		out[i] = alertView(&list[i])
	}
	return out, nil
}

// CountyOption is a county an alert may target.
type CountyOption struct {
	Code, NameZh, NameEn string
}

// AlertBoard is the alerts page: the alerts a sees and, for those who publish, the form's
// choices.
type AlertBoard struct {
	Alerts     []AlertView
	CanPublish bool
	Counties   []CountyOption
}

// AlertBoard reads the alerts page for a.
func (s *Service) AlertBoard(ctx context.Context, a account.Actor) (*AlertBoard, error) {
	list, err := s.Alerts(ctx, a)
	if err != nil {
		return nil, err
	}
	b := &AlertBoard{Alerts: list, CanPublish: account.Can(a, account.PublishAlert, account.Object{})}
	if b.CanPublish {
		cs, err := s.St.Counties(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			b.Counties = append(b.Counties, CountyOption{Code: c.Code, NameZh: c.NameZh, NameEn: c.NameEn})
		}
	}
	return b, nil
}
