package inspection

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qijian/internal/message"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/store"
)

// RatingWindow is how long a rating stays editable.
const RatingWindow = 7 * 24 * time.Hour

// object is what the policy needs to know of an inspection.
func object(in *store.Inspection) account.Object {
	return account.Object{EnterpriseID: in.EnterpriseID, CountyCode: in.CountyCode, BodyIDs: in.BodyIDs, PendingBodyIDs: in.PendingBodyIDs}
}

// visible loads an inspection the caller may see (account.ViewInspection); anyone else gets
// ErrNotFound, as for an inspection that does not exist.
func (s *Service) visible(ctx context.Context, by account.Actor, id uint64) (*store.Inspection, error) {
	in, err := s.St.InspectionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !account.Can(by, account.ViewInspection, object(in))) {
		return nil, fmt.Errorf("inspections: %d: %w", id, ErrNotFound)
	}
	return in, err
}

// notifyEnterprise puts the notice in the enterprise's inbox (NOTICE-1).
func (s *Service) notifyEnterprise(ctx context.Context, in *store.Inspection, now time.Time) error {
	users, err := s.St.UsersByEnterprise(ctx, in.EnterpriseID)
	if err != nil {
		return err
	}
	when := in.ScheduledAt.In(shanghai()).Format("2006-01-02 15:04")
	for _, u := range users {
		if err := message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "inspection.notice",
			TitleZh: "行政检查通知：" + when, TitleEn: "Inspection notice: " + when, Link: "/inspections/" + strconv.FormatUint(in.ID, 10)}); err != nil {
			return err
		}
	}
	return nil
}

// Acknowledge records the enterprise's receipt of the notice.
func (s *Service) Acknowledge(ctx context.Context, by account.Actor, id uint64) error {
	if by.Role != account.RoleEnterprise {
		return ErrForbidden
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		in, err := s.visible(ctx, by, id)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if in.NoticeAckAt != nil {
			return nil // signed for once; the first time counts
		}
		if err := s.St.AckNotice(ctx, id, now); err != nil {
			return err
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "inspection.ack", ObjectType: "inspection", ObjectID: id}); err != nil {
			return err
		}
		// The enterprise's own signing is a delivery (NOTICE-1): the checks see it.
		in.NoticeAckAt = &now
		ent, err := s.St.Enterprise(ctx, in.EnterpriseID)
		if err != nil {
			return err
		}
		_, err = s.check(ctx, in, ent)
		return err
	})
	if err != nil {
		return fmt.Errorf("inspections: acknowledge %d: %w", id, err)
	}
	return nil
}

// RatingInput is the enterprise's rating of an inspection.
type RatingInput struct {
	Score   int    `json:"score" form:"score" validate:"required,min=1,max=5"`
	Comment string `json:"comment" form:"comment" validate:"max=2000"`
	// CodeShown and CredentialShown: left out, the question is unanswered (not a "no").
	CodeShown       *bool `json:"code_shown" form:"-"`
	CredentialShown *bool `json:"credential_shown" form:"-"`
	DataDemanded    bool  `json:"data_demanded" form:"data_demanded"`
	Disrupted       bool  `json:"disrupted" form:"disrupted"`
}

// Rate stores the enterprise's rating once the inspection has taken place, editable for 7 days,
// and runs the checks again: a code not shown (CODE-1), data demanded again (DATA-1) or
// production disrupted (CONDUCT-1) becomes a clue.
func (s *Service) Rate(ctx context.Context, by account.Actor, id uint64, r RatingInput) error {
	if by.Role != account.RoleEnterprise {
		return ErrForbidden
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		in, err := s.visible(ctx, by, id)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if now.Before(in.ScheduledAt) || in.Status == "cancelled" {
			return ErrRatingClosed
		}
		rt, err := s.St.RatingOf(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			rt = &store.Rating{InspectionID: id, EnterpriseID: in.EnterpriseID, CreatedAt: now}
		case err != nil:
			return err
		case now.Sub(rt.CreatedAt) > RatingWindow:
			return ErrRatingClosed
		}
		rt.Score, rt.Comment, rt.UpdatedAt = r.Score, strings.TrimSpace(r.Comment), now
		rt.CodeAnswered, rt.CodeShown = r.CodeShown != nil, r.CodeShown != nil && *r.CodeShown
		rt.CredentialAnswered, rt.CredentialShown = r.CredentialShown != nil, r.CredentialShown != nil && *r.CredentialShown
		rt.DataDemanded, rt.Disrupted = r.DataDemanded, r.Disrupted
		if err := s.St.SaveRating(ctx, rt); err != nil {
			return err
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "inspection.rate", ObjectType: "inspection", ObjectID: id}); err != nil {
			return err
		}
		ent, err := s.St.Enterprise(ctx, in.EnterpriseID)
		if err != nil {
			return err
		}
		_, err = s.check(ctx, in, ent)
		return err
	})
	if err != nil {
		return fmt.Errorf("inspections: rate %d: %w", id, err)
	}
	return nil
}
