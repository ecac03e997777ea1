package inspection

import (
	"context"
	"errors"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/message"
	"qijian/internal/store"
)

// askBodies tells the officers of each body a new joint inspection names, but whose part is
// pending, that their answer is awaited (the inspection list carries confirm and decline).
func (s *Service) askBodies(ctx context.Context, in *store.Inspection, now time.Time) error {
	when := in.ScheduledAt.In(shanghai()).Format("2006-01-02")
	for _, id := range in.PendingBodyIDs {
		users, err := s.St.OfficersOfBody(ctx, id)
		if err != nil {
			return err
		}
		for _, u := range users {
			if err := message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "inspection.joint",
				TitleZh: "联合检查待确认：" + when, TitleEn: "Joint inspection awaiting your answer: " + when, Link: "/inspections"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// JointRequest is a joint inspection another body named the caller's body in, awaiting its
// answer: enough to decide (who coordinates, whom, when, where), nothing of the case file.
type JointRequest struct {
	ID          uint64
	Kind        string
	ScheduledAt time.Time
	Place       string
	Enterprise  string
	Coordinator string
}

// JointRequests lists the joint inspections awaiting the caller's body's answer: an officer's
// body only; anyone else has none.
func (s *Service) JointRequests(ctx context.Context, by account.Actor) ([]JointRequest, error) {
	if by.Role != account.RoleOfficer || by.BodyID == 0 || by.UserID == 0 {
		return []JointRequest{}, nil
	}
	list, err := s.St.PendingParts(ctx, by.BodyID, 100)
	if err != nil {
		return nil, fmt.Errorf("inspections: joint requests: %w", err)
	}
	out := make([]JointRequest, 0, len(list))
	for i := range list {
		in := &list[i]
		if !account.Can(by, account.AnswerJoint, object(in)) {
			continue
		}
		jr := JointRequest{ID: in.ID, Kind: in.Kind, ScheduledAt: in.ScheduledAt.UTC(), Place: in.Place}
		if ent, err := s.St.Enterprise(ctx, in.EnterpriseID); err == nil {
			jr.Enterprise = ent.Name
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if b, err := s.St.Body(ctx, in.SourceBodyID); err == nil {
			jr.Coordinator = b.NameZh
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		out = append(out, jr)
	}
	return out, nil
}

// AnswerJoint records the caller's body's answer to its pending part in inspection id: confirmed,
// the body takes part from now on (its officers see and manage the inspection, it counts toward
// the body's yearly caps and it is named as a participant), and the checks run again for the
// enterprise's year; declined, it never takes part. It answers the part's state. A caller whose
// body has no pending part in it gets ErrNotFound.
func (s *Service) AnswerJoint(ctx context.Context, by account.Actor, id uint64, confirm bool) (string, error) {
	state := store.PartDeclined
	if confirm {
		state = store.PartConfirmed
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		in, err := s.St.InspectionByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if !account.Can(by, account.AnswerJoint, object(in)) {
			return ErrNotFound
		}
		now := s.Clock.Now()
		ok, err := s.St.DecidePart(ctx, id, by.BodyID, state, by.UserID, now)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "inspection.joint." + state, ObjectType: "inspection", ObjectID: id,
			Detail: fmt.Sprintf(`{"body_id":%d}`, by.BodyID)}); err != nil {
			return err
		}
		if !confirm {
			return nil
		}
		if in, err = s.St.InspectionByID(ctx, id); err != nil {
			return err
		}
		ent, err := s.St.Enterprise(ctx, in.EnterpriseID)
		if err != nil {
			return err
		}
		if _, err := s.check(ctx, in, ent); err != nil {
			return err
		}
		return s.recheckOthers(ctx, in, ent) // one more counts for this body's year
	})
	if err != nil {
		return "", fmt.Errorf("inspections: answer joint %d: %w", id, err)
	}
	return state, nil
}
