// Package outreach is the government side reaching enterprises outside inspections: entrepreneur
// appointments (约见, seed §2.9 一), risk alerts, the published penalty lists and the three
// documents delivered together (三书同达, seed §2.8 三).
package outreach

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"qijian/internal/message"

	"qijian/internal/account"
	"qijian/internal/clock"
	"qijian/internal/outreach/appointment"
	"qijian/internal/store"
)

// Service runs the use cases.
type Service struct {
	St    *store.Store
	Clock clock.Clock
}

// Errors with their own message.
var (
	ErrNotFound  = errors.New("outreach: not found")
	ErrForbidden = errors.New("outreach: not for this account")
	ErrNeedTime  = errors.New("outreach: a meeting time is needed")
	ErrMunicipal = errors.New("outreach: appointments are with municipal bodies")
	ErrScore     = errors.New("outreach: score must be 1 to 5")
)

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// --- appointments ---

// AppointmentRequest is what an enterprise head asks.
type AppointmentRequest struct {
	BodyID      uint
	Topic       string
	PreferredAt *time.Time
}

// RequestAppointment records the request and tells the body's officers.
func (s *Service) RequestAppointment(ctx context.Context, a account.Actor, r AppointmentRequest) (*store.Appointment, error) {
	if a.Role != account.RoleEnterprise || a.EnterpriseID == 0 {
		return nil, ErrForbidden
	}
	var ap *store.Appointment
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		b, err := s.St.Body(ctx, r.BodyID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if b.CountyCode != "" {
			return ErrMunicipal // the seed's 约见 is with municipal (市级) bodies
		}
		now := s.Clock.Now()
		ap = &store.Appointment{EnterpriseID: a.EnterpriseID, UserID: a.UserID, BodyID: b.ID, Topic: strings.TrimSpace(r.Topic), PreferredAt: r.PreferredAt,
			Status: string(appointment.Requested), CreatedAt: now, UpdatedAt: now}
		if err := s.St.CreateAppointment(ctx, ap); err != nil {
			return err
		}
		return s.tellBody(ctx, ap, now, "企业家约见申请", "An entrepreneur asks to meet")
	})
	return ap, err
}

// AppointmentVisible: the enterprise that asked, the body's officers, and admins.
func AppointmentVisible(a account.Actor, ap *store.Appointment) bool {
	switch a.Role {
	case account.RoleEnterprise:
		return a.EnterpriseID == ap.EnterpriseID
	case account.RoleOfficer:
		return a.BodyID == ap.BodyID
	case account.RoleAdmin:
		return true
	}
	return false
}

// Appointment reads one a may see.
func (s *Service) Appointment(ctx context.Context, a account.Actor, id uint64) (*store.Appointment, error) {
	ap, err := s.St.Appointment(ctx, id, false)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !AppointmentVisible(a, ap)) {
		return nil, ErrNotFound
	}
	return ap, err
}

// AppointmentStep is one move.
type AppointmentStep struct {
	Action appointment.Action
	MeetAt *time.Time
	Place  string
	Note   string // outcome when recording, reason when declining, comment when rating
	Score  int
}

// ActOnAppointment applies a step by the side a stands on.
func (s *Service) ActOnAppointment(ctx context.Context, a account.Actor, id uint64, st AppointmentStep) (*store.Appointment, error) {
	var ap *store.Appointment
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		var err error
		ap, err = s.St.Appointment(ctx, id, true)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !AppointmentVisible(a, ap)) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		side := appointment.Side("")
		switch {
		case a.Role == account.RoleEnterprise:
			side = appointment.Enterprise
		case a.Role == account.RoleOfficer:
			side = appointment.Body
		}
		next, err := appointment.Next(appointment.Status(ap.Status), st.Action, side)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		switch st.Action {
		case appointment.Accept:
			at := st.MeetAt
			if at == nil {
				at = ap.PreferredAt
			}
			if ap.Status == string(appointment.Proposed) && at == nil {
				at = ap.MeetAt
			}
			if at == nil {
				return ErrNeedTime
			}
			ap.MeetAt, ap.Place = at, strings.TrimSpace(st.Place)
		case appointment.Propose:
			if st.MeetAt == nil {
				return ErrNeedTime
			}
			ap.MeetAt, ap.Place = st.MeetAt, strings.TrimSpace(st.Place)
		case appointment.Record, appointment.Decline:
			ap.Outcome = strings.TrimSpace(st.Note)
		case appointment.Rate:
			if ap.Score != 0 {
				return appointment.ErrNotAllowed // rated once
			}
			if st.Score < 1 || st.Score > 5 {
				return ErrScore
			}
			ap.Score, ap.RatingComment = st.Score, strings.TrimSpace(st.Note)
		}
		ap.Status, ap.UpdatedAt = string(next), now
		if err := s.St.SaveAppointment(ctx, ap); err != nil {
			return err
		}
		zh, en := "约见 #"+itoa(ap.ID)+" "+actionZh[st.Action], "Appointment #"+itoa(ap.ID)+": "+string(st.Action)
		if side == appointment.Body {
			return message.Send(ctx, s.St, now, message.Message{UserID: ap.UserID, Kind: "order.appointment", TitleZh: zh, TitleEn: en, Link: "/appointments/" + itoa(ap.ID)})
		}
		return s.tellBody(ctx, ap, now, zh, en)
	})
	return ap, err
}

var actionZh = map[appointment.Action]string{appointment.Accept: "已安排", appointment.Propose: "建议改时间", appointment.Agree: "企业已同意时间", appointment.Decline: "未能安排",
	appointment.Cancel: "企业已取消", appointment.Record: "已记录会见结果", appointment.Rate: "企业已评价"}

func (s *Service) tellBody(ctx context.Context, ap *store.Appointment, now time.Time, zh, en string) error {
	users, err := s.St.UsersByBody(ctx, ap.BodyID)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Disabled {
			continue
		}
		if err := message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "order.appointment", TitleZh: zh, TitleEn: en, Link: "/appointments/" + itoa(ap.ID)}); err != nil {
			return err
		}
	}
	return nil
}
