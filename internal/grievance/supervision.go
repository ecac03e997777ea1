package grievance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/message"
	"qijian/internal/store"
)

// Concentrated complaints (§2.10 二: 约谈): when one unit gets the monthly limit of orders or more
// in a Wenzhou calendar month (SupervisionSettings.ConcentrationLimit, default 5, admins edit it),
// a supervision item is raised once for that unit and month for the city liaisons, who handle it
// with a note (a talk held, or why none is needed).

// SupervisionSettings are the settings an admin edits, by page and API.
type SupervisionSettings struct {
	ConcentrationLimit  int    `json:"concentration_limit" form:"concentration_limit" validate:"min=1,max=1000" doc:"orders one unit may get in a calendar month before the city liaison is asked to consider a talk (约谈)"`
	ReferralContactName string `json:"referral_contact_name" form:"referral_contact_name" validate:"max=200" doc:"the discipline inspection contact a referral (移送纪检监察) is addressed to"`
	ReferralMobile      string `json:"referral_mobile" form:"referral_mobile" validate:"omitempty,mobile" doc:"the contact's mobile: each referral goes to it by SMS"`
}

func settingsOf(r *store.SupervisionSettings) SupervisionSettings {
	return SupervisionSettings{ConcentrationLimit: r.ConcentrationLimit, ReferralContactName: r.ReferralContactName, ReferralMobile: r.ReferralMobile}
}

// Settings reads the supervision settings (admins).
func (s *Service) Settings(ctx context.Context, by account.Actor) (SupervisionSettings, error) {
	if !account.Can(by, account.ManageSupervision, account.Object{}) {
		return SupervisionSettings{}, ErrForbidden
	}
	r, err := s.St.SupervisionSettings(ctx)
	if err != nil {
		return SupervisionSettings{}, fmt.Errorf("complaint: supervision settings: %w", err)
	}
	return settingsOf(r), nil
}

// SaveSettings replaces the supervision settings (admins); in has passed the validator.
func (s *Service) SaveSettings(ctx context.Context, by account.Actor, in SupervisionSettings) (SupervisionSettings, error) {
	if !account.Can(by, account.ManageSupervision, account.Object{}) {
		return SupervisionSettings{}, ErrForbidden
	}
	in.ReferralContactName, in.ReferralMobile = strings.TrimSpace(in.ReferralContactName), strings.TrimSpace(in.ReferralMobile)
	if in.ConcentrationLimit < 1 {
		return SupervisionSettings{}, errs.Field("concentration_limit", "err.invalid")
	}
	now := s.Clock.Now()
	r := &store.SupervisionSettings{ConcentrationLimit: in.ConcentrationLimit, ReferralContactName: in.ReferralContactName, ReferralMobile: in.ReferralMobile, UpdatedBy: by.UserID, UpdatedAt: now}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.SaveSupervisionSettings(ctx, r); err != nil {
			return err
		}
		return s.St.QueueAudit(ctx, auditEvent(now, by, "supervision.settings", "settings", 1, fmt.Sprintf(`{"concentration_limit":%d}`, in.ConcentrationLimit)))
	})
	if err != nil {
		return SupervisionSettings{}, fmt.Errorf("complaint: save supervision settings: %w", err)
	}
	return settingsOf(r), nil
}

// monthOf is the Wenzhou calendar month of t, as YYYY-MM, with its bounds.
func monthOf(t time.Time) (string, time.Time, time.Time) {
	l := t.In(shanghai)
	from := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, shanghai)
	return from.Format("2006-01"), from, from.AddDate(0, 1, 0)
}

// ParseMonth reads YYYY-MM as a Wenzhou month's bounds.
func ParseMonth(m string) (time.Time, time.Time, error) {
	from, err := time.ParseInLocation("2006-01", m, shanghai)
	if err != nil {
		return time.Time{}, time.Time{}, errs.Field("month", "err.invalid")
	}
	return from, from.AddDate(0, 1, 0), nil
}

// checkConcentration raises the unit's item for this month once it got the limit of orders or
// more; in the transaction of the dispatch that made the count.
func (s *Service) checkConcentration(ctx context.Context, unit uint, now time.Time) error {
	set, err := s.St.SupervisionSettings(ctx)
	if err != nil {
		return err
	}
	month, from, to := monthOf(now)
	n, err := s.St.UnitOrdersIn(ctx, unit, from, to)
	if err != nil || n < int64(set.ConcentrationLimit) {
		return err
	}
	raised, err := s.St.RaiseSupervisionItem(ctx, &store.SupervisionItem{UnitBodyID: unit, Month: month, Orders: int(n), Limit: set.ConcentrationLimit, RaisedAt: now})
	if err != nil || !raised {
		return err
	}
	b, err := s.St.Body(ctx, unit)
	if err != nil {
		return err
	}
	users, err := s.St.Liaisons(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Disabled || u.CountyCode != "" {
			continue
		}
		if err := message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "order.concentrated",
			TitleZh: fmt.Sprintf("%s 本月已收到 %d 件工单，建议约谈", b.NameZh, n), TitleEn: fmt.Sprintf("%s: %d orders this month, consider a talk", b.NameEn, n),
			Link: "/supervision"}); err != nil {
			return err
		}
	}
	return nil
}

// SupervisionItem is a concentrated-complaint item as the city liaison sees it.
type SupervisionItem struct {
	ID        uint64
	UnitID    uint
	UnitZh    string
	UnitEn    string
	Month     string
	Orders    int // the orders counted when it was raised, or since
	Limit     int
	OrderRefs []OrderRef // the orders the unit got that month
	RaisedAt  time.Time
	HandledAt *time.Time
	Note      string
}

// OrderRef names an order by its outside id and number.
type OrderRef struct {
	ID     uint64
	Number string
}

// SupervisionItems lists the items (the city level), the unhandled first; month empty: all.
func (s *Service) SupervisionItems(ctx context.Context, by account.Actor, month string) ([]SupervisionItem, error) {
	if !account.Can(by, account.SuperviseCity, account.Object{}) {
		return nil, ErrForbidden
	}
	if month != "" {
		if _, _, err := ParseMonth(month); err != nil {
			return nil, err
		}
	}
	rows, err := s.St.SupervisionItems(ctx, month)
	if err != nil {
		return nil, fmt.Errorf("complaint: supervision items: %w", err)
	}
	bodies, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, fmt.Errorf("complaint: supervision items: %w", err)
	}
	names := map[uint]account.Body{}
	for _, b := range bodies {
		names[b.ID] = b
	}
	out := make([]SupervisionItem, 0, len(rows))
	for _, r := range rows {
		it := SupervisionItem{ID: r.ID, UnitID: r.UnitBodyID, UnitZh: names[r.UnitBodyID].NameZh, UnitEn: names[r.UnitBodyID].NameEn, Month: r.Month,
			Orders: r.Orders, Limit: r.Limit, RaisedAt: r.RaisedAt, HandledAt: r.HandledAt, Note: r.Note, OrderRefs: []OrderRef{}}
		from, to, _ := ParseMonth(r.Month)
		ids, err := s.St.UnitOrderIDs(ctx, r.UnitBodyID, from, to)
		if err != nil {
			return nil, fmt.Errorf("complaint: supervision items: %w", err)
		}
		for _, id := range ids {
			o, err := s.St.Order(ctx, id, false)
			if err != nil {
				return nil, fmt.Errorf("complaint: supervision items: %w", err)
			}
			it.OrderRefs = append(it.OrderRefs, OrderRef{ID: s.extID(o), Number: o.Number})
		}
		out = append(out, it)
	}
	return out, nil
}

// HandleItem marks an item handled with the city liaison's note (required); once.
func (s *Service) HandleItem(ctx context.Context, by account.Actor, id uint64, note string) error {
	if !account.Can(by, account.SuperviseCity, account.Object{}) {
		return ErrForbidden
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return errs.Field("note", "err.required")
	}
	now := s.Clock.Now()
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		it, err := s.St.SupervisionItem(ctx, id)
		if err != nil {
			return err
		}
		if it.HandledAt != nil {
			return errs.New(errs.Conflict, "already_handled", "err.invalid")
		}
		it.HandledAt, it.HandledBy, it.Note = &now, by.UserID, note
		if err := s.St.SaveSupervisionItem(ctx, it); err != nil {
			return err
		}
		return s.St.QueueAudit(ctx, auditEvent(now, by, "supervision.handle", "supervision_item", it.ID, "{}"))
	})
	if err != nil {
		return fmt.Errorf("complaint: handle supervision item %d: %w", id, err)
	}
	return nil
}

func auditEvent(now time.Time, by account.Actor, action, objType string, id uint64, detail string) audit.Event {
	return audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: action, ObjectType: objType, ObjectID: id, Detail: detail}
}
