package outreach

import (
	"context"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/idem"
	"qijian/internal/message"
	"qijian/internal/outreach/appointment"
	"qijian/internal/store"
)

// AppointmentRequest is what an enterprise head asks, by the API or the page form.
type AppointmentRequest struct {
	BodyID      uint   `json:"body_id" form:"body_id" validate:"required" doc:"a municipal enforcement body"`
	Topic       string `json:"topic" form:"topic" validate:"required,max=2000"`
	PreferredAt string `json:"preferred_at" form:"preferred_at" doc:"RFC 3339, or YYYY-MM-DDTHH:MM in Wenzhou time; empty: any time"`
}

// Normalize trims what people type.
func (in *AppointmentRequest) Normalize() { in.Topic = strings.TrimSpace(in.Topic) }

// RequestAppointment records the request and tells the body's officers.
func (s *Service) RequestAppointment(ctx context.Context, a account.Actor, in AppointmentRequest) (*AppointmentView, error) {
	if !account.Can(a, account.RequestAppointment, account.Object{}) {
		return nil, ErrForbidden
	}
	in.Normalize()
	pref, ok := ParseTime(in.PreferredAt)
	if !ok {
		return nil, ErrPreferredAt
	}
	var out AppointmentView
	var replay uint64
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		claim, err := idem.Take(ctx, s.St, a.UserID, "appointment", in, s.Clock.Now())
		if err != nil || claim.Prior != 0 {
			replay = claim.Prior
			return err
		}
		b, err := s.St.Body(ctx, in.BodyID)
		if err != nil {
			return notFound(err)
		}
		if b.CountyCode != "" {
			return ErrMunicipal // the seed's 约见 is with municipal (市级) bodies
		}
		now := s.Clock.Now()
		ap := &store.Appointment{EnterpriseID: a.EnterpriseID, UserID: a.UserID, BodyID: b.ID, Topic: in.Topic, PreferredAt: pref,
			Status: string(appointment.Requested), CreatedAt: now, UpdatedAt: now}
		if err := s.St.CreateAppointment(ctx, ap); err != nil {
			return err
		}
		if err := claim.Made(ctx, ap.ID); err != nil {
			return err
		}
		out = appointmentView(ap, b, a)
		return s.tellBody(ctx, ap, now, "企业家约见申请", "An entrepreneur asks to meet")
	})
	if err != nil {
		return nil, err
	}
	if replay != 0 {
		return s.Appointment(ctx, a, replay)
	}
	return &out, nil
}

func canView(a account.Actor, ap *store.Appointment) bool {
	return account.Can(a, account.ViewAppointment, account.Object{EnterpriseID: ap.EnterpriseID, BodyID: ap.BodyID})
}

// sideOf is the side a stands on in a meeting; admins oversee and stand on neither.
func sideOf(a account.Actor) appointment.Side {
	switch a.Role {
	case account.RoleEnterprise:
		return appointment.Enterprise
	case account.RoleOfficer:
		return appointment.Body
	}
	return ""
}

// Appointment reads one a may see: the enterprise that asked, the body asked, admins.
func (s *Service) Appointment(ctx context.Context, a account.Actor, id uint64) (*AppointmentView, error) {
	ap, err := s.St.Appointment(ctx, id, false)
	if err != nil {
		return nil, notFound(err)
	}
	if !canView(a, ap) {
		return nil, ErrNotFound
	}
	b, err := s.St.Body(ctx, ap.BodyID)
	if err != nil {
		return nil, err
	}
	v := appointmentView(ap, b, a)
	return &v, nil
}

// Appointments lists a's own: its enterprise's requests, or those to its body. Other roles have
// no list.
func (s *Service) Appointments(ctx context.Context, a account.Actor) ([]AppointmentView, error) {
	sc := account.OwnScopeOf(a, account.ViewAppointment)
	if sc.Empty() {
		return nil, ErrForbidden
	}
	list, err := s.St.Appointments(ctx, sc.EnterpriseID, sc.BodyID)
	if err != nil {
		return nil, err
	}
	bodies, err := s.bodies(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AppointmentView, len(list))
	for i := range list {
		out[i] = appointmentView(&list[i], bodies[list[i].BodyID], a)
	}
	return out, nil
}

func (s *Service) bodies(ctx context.Context) (map[uint]*account.Body, error) {
	all, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uint]*account.Body, len(all))
	for i := range all {
		out[all[i].ID] = &all[i]
	}
	return out, nil
}

// AppointmentDesk is the appointments page: a's own and, for an enterprise, the bodies it may
// ask to meet.
type AppointmentDesk struct {
	Appointments []AppointmentView
	CanRequest   bool
	Bodies       []BodyOption // municipal bodies, when a may ask
}

// AppointmentDesk reads the appointments page for a.
func (s *Service) AppointmentDesk(ctx context.Context, a account.Actor) (*AppointmentDesk, error) {
	list, err := s.Appointments(ctx, a)
	if err != nil {
		return nil, err
	}
	d := &AppointmentDesk{Appointments: list, CanRequest: account.Can(a, account.RequestAppointment, account.Object{})}
	if d.CanRequest {
		if d.Bodies, err = s.MunicipalBodies(ctx); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// MunicipalBodies are the bodies an enterprise may ask to meet.
func (s *Service) MunicipalBodies(ctx context.Context) ([]BodyOption, error) {
	all, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, err
	}
	var out []BodyOption
	for i := range all {
		if all[i].CountyCode == "" {
			out = append(out, bodyOption(&all[i]))
		}
	}
	return out, nil
}

// AppointmentStep is one move, by the API or the page form.
type AppointmentStep struct {
	Action string `json:"action" form:"action" validate:"required,oneof=accept propose agree decline cancel record rate"`
	MeetAt string `json:"meet_at" form:"meet_at" doc:"RFC 3339, or YYYY-MM-DDTHH:MM in Wenzhou time"`
	Place  string `json:"place" form:"place" validate:"max=200"`
	Note   string `json:"note" form:"note" validate:"max=4000" doc:"the outcome when recording, the reason when declining, a comment when rating"`
	Score  int    `json:"score" form:"score" doc:"1 to 5, when rating"`
}

// Normalize trims what people type.
func (in *AppointmentStep) Normalize() {
	in.Place, in.Note = strings.TrimSpace(in.Place), strings.TrimSpace(in.Note)
}

// ActOnAppointment applies a step by the side a stands on.
func (s *Service) ActOnAppointment(ctx context.Context, a account.Actor, id uint64, in AppointmentStep) (*AppointmentView, error) {
	in.Normalize()
	meetAt, ok := ParseTime(in.MeetAt)
	if !ok {
		return nil, ErrMeetAt
	}
	act := appointment.Action(in.Action)
	var out AppointmentView
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		ap, err := s.St.Appointment(ctx, id, true)
		if err != nil {
			return notFound(err)
		}
		if !canView(a, ap) {
			return ErrNotFound
		}
		side := sideOf(a)
		next, err := appointment.Next(appointment.Status(ap.Status), act, side)
		if err != nil {
			return err
		}
		switch act {
		case appointment.Accept:
			at := meetAt
			if at == nil {
				at = ap.PreferredAt
			}
			if ap.Status == string(appointment.Proposed) && at == nil {
				at = ap.MeetAt
			}
			if at == nil {
				return ErrNeedTime
			}
			ap.MeetAt, ap.Place = at, in.Place
		case appointment.Propose:
			if meetAt == nil {
				return ErrNeedTime
			}
			ap.MeetAt, ap.Place = meetAt, in.Place
		case appointment.Record, appointment.Decline:
			ap.Outcome = in.Note
		case appointment.Rate:
			if ap.Score != 0 {
				return appointment.ErrNotAllowed // rated once
			}
			if in.Score < 1 || in.Score > 5 {
				return ErrScore
			}
			ap.Score, ap.RatingComment = in.Score, in.Note
		}
		now := s.Clock.Now()
		ap.Status, ap.UpdatedAt = string(next), now
		if err := s.St.SaveAppointment(ctx, ap); err != nil {
			return err
		}
		b, err := s.St.Body(ctx, ap.BodyID)
		if err != nil {
			return err
		}
		out = appointmentView(ap, b, a)
		// Named by its topic, as people know it, never by a row number.
		zh, en := "约见「"+gist(ap.Topic)+"」"+actionZh[act], "Appointment “"+gist(ap.Topic)+"”: "+actionEn[act]
		if side == appointment.Body {
			return message.Send(ctx, s.St, now, message.Message{UserID: ap.UserID, Kind: "order.appointment", TitleZh: zh, TitleEn: en, Link: "/appointments/" + itoa(ap.ID)})
		}
		return s.tellBody(ctx, ap, now, zh, en)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

var actionZh = map[appointment.Action]string{appointment.Accept: "已安排", appointment.Propose: "建议改时间", appointment.Agree: "企业已同意时间", appointment.Decline: "未能安排",
	appointment.Cancel: "企业已取消", appointment.Record: "已记录会见结果", appointment.Rate: "企业已评价"}

var actionEn = map[appointment.Action]string{appointment.Accept: "arranged", appointment.Propose: "another time proposed", appointment.Agree: "the enterprise agreed to the time", appointment.Decline: "could not be arranged",
	appointment.Cancel: "cancelled by the enterprise", appointment.Record: "outcome recorded", appointment.Rate: "rated by the enterprise"}

// gist is the first 20 characters of a topic, for a message title.
func gist(topic string) string {
	r := []rune(strings.TrimSpace(topic))
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return string(r)
}

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
