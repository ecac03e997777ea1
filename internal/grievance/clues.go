package grievance

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// Clues are not complaints (issue 19 item 8): what the automatic checks raise waits in status
// clue, with its own review limit, out of the complaint queue, until a liaison of its county (or
// the city's) dismisses it with a reason, merges it into another clue or order, or converts it
// into an order that then runs on the ordinary limits.

// ClueQuery narrows the clue list: the query of GET /api/v1/clues and of the clues page.
type ClueQuery struct {
	State  string `query:"state" validate:"omitempty,oneof=waiting done" doc:"waiting (the default): clues to review; done: dismissed or merged"`
	County string `query:"county" doc:"one county (city-level liaisons and admins; others keep their own)"`
	Limit  int    `query:"limit" doc:"how many clues, up to 500 (absent or larger: 200)"`
}

// ClueView is one clue in the list: the order's view, the rules it found broken, and what the
// checks saw.
type ClueView struct {
	OrderView
	Rules    []string
	Evidence string
}

// Clues lists the clues the caller may review, nearest review limit first.
func (s *Service) Clues(ctx context.Context, by account.Actor, q ClueQuery) ([]ClueView, error) {
	if !account.Can(by, account.ReviewClues, account.Object{CountyCode: by.CountyCode}) {
		return nil, ErrForbidden
	}
	f, err := s.filter(by, Query{County: q.County, Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	f.NotStatuses, f.Source, f.Status = nil, string(lifecycle.SourceSystem), string(lifecycle.Clue)
	if q.State == "done" {
		f.Status = string(lifecycle.Dismissed)
	}
	rows, err := s.St.Orders(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("complaint: clues: %w", err)
	}
	ids := make([]uint64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	reasons, err := s.St.ReasonsOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("complaint: clues: %w", err)
	}
	var ents []uint
	for i := range rows {
		ents = append(ents, rows[i].EnterpriseID)
	}
	names, err := s.St.EnterpriseNames(ctx, ents)
	if err != nil {
		return nil, fmt.Errorf("complaint: clues: %w", err)
	}
	out := make([]ClueView, len(rows))
	for i := range rows {
		out[i] = ClueView{OrderView: s.view(by, &rows[i], names), Rules: reasons[rows[i].ID], Evidence: strings.TrimPrefix(rows[i].Description, "【系统线索】")}
	}
	return out, nil
}

// ClueCounts are the clues waiting in the caller's scope and how many are past their review
// limit, for the liaison's home page, counted apart from the complaints.
func (s *Service) ClueCounts(ctx context.Context, by account.Actor) (store.ClueCounts, error) {
	if !account.Can(by, account.ReviewClues, account.Object{CountyCode: by.CountyCode}) {
		return store.ClueCounts{}, nil
	}
	c, err := s.St.CountClues(ctx, by.CountyCode, by.CountyCode == "", s.Clock.Now())
	if err != nil {
		return store.ClueCounts{}, fmt.Errorf("complaint: clue counts: %w", err)
	}
	return c, nil
}

// ClueMove is a liaison's review of a clue: the body of POST /api/v1/clues/{id}/review and the
// form of the order page.
type ClueMove struct {
	Action string `json:"action" form:"action" validate:"required,oneof=dismiss merge convert" doc:"dismiss (with a reason), merge (into target), convert (into an order, on the ordinary limits)"`
	Reason string `json:"reason" form:"reason" validate:"max=500" doc:"dismiss: why the clue does not hold (required)"`
	Target string `json:"target" form:"target" validate:"max=40" doc:"merge: the clue or order it goes into, by its number (QJ…) or its id as in links"`
	Type   string `json:"type" form:"type" validate:"omitempty,oneof=illegal_inspection missing_code conduct appeal consultation help complaint report suggestion" doc:"convert: the order's type, if not the clue's"`
}

// Clue outcomes, as recorded.
const (
	ClueDismissed = "dismissed"
	ClueMerged    = "merged"
	ClueConverted = "converted"
)

// ReviewClue dismisses, merges or converts a clue the caller may review, and answers the clue's
// order as the caller now sees it. A merge's target must be another clue waiting or an open
// order the caller may see; its timeline records what came in.
func (s *Service) ReviewClue(ctx context.Context, by account.Actor, id uint64, m ClueMove) (*OrderDetail, error) {
	var out *store.WorkOrder
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.load(ctx, by, id, true)
		if err != nil {
			return err
		}
		if o.Source != string(lifecycle.SourceSystem) || !account.Can(by, account.ReviewClues, object(o)) {
			return ErrNotFound // not a clue, or not one this caller reviews
		}
		in := lifecycle.Input{Reason: m.Reason, Type: lifecycle.Type(m.Type)}
		var act lifecycle.Action
		var target *store.WorkOrder
		switch m.Action {
		case "dismiss":
			act = lifecycle.DismissClue
			if strings.TrimSpace(m.Reason) == "" {
				return errs.Field("reason", "err.required")
			}
		case "merge":
			act = lifecycle.MergeClue
			if target, err = s.clueMergeTarget(ctx, by, o, m.Target); err != nil {
				return err
			}
			in.Target = target.ID
			in.Note = "并入 " + target.Number
		case "convert":
			act = lifecycle.ConvertClue
		default:
			return errs.Field("action", "err.invalid")
		}
		if out, err = s.apply(ctx, o, actorOf(by), act, in); err != nil {
			return err
		}
		r := &store.ClueReview{OrderID: o.ID, Reason: strings.TrimSpace(m.Reason), ActorID: by.UserID, At: s.Clock.Now()}
		switch act {
		case lifecycle.DismissClue:
			r.Outcome = ClueDismissed
		case lifecycle.MergeClue:
			r.Outcome = ClueMerged
			tid := target.ID
			r.TargetOrderID = &tid
			if err := s.St.AddOrderEvent(ctx, &store.OrderEvent{OrderID: target.ID, At: r.At, ActorID: by.UserID, ActorRole: string(by.Role), Action: ActionClueMergedIn,
				FromStatus: target.Status, ToStatus: target.Status, Level: target.Level, Note: strings.TrimSpace("系统线索 " + o.Number + " 并入 " + r.Reason)}); err != nil {
				return err
			}
		case lifecycle.ConvertClue:
			r.Outcome = ClueConverted
		}
		return s.St.AddClueReview(ctx, r)
	})
	if err != nil {
		return nil, fmt.Errorf("complaint: review clue %d: %w", id, err)
	}
	return s.detail(ctx, by, out)
}

// ActionClueMergedIn is the timeline event of the order a clue was merged into.
const ActionClueMergedIn = "clue_merged_in"

// clueMergeTarget finds the clue or order a clue merges into, by number or id: one the caller may
// see, not the clue itself, still waiting (a clue) or open (an order).
func (s *Service) clueMergeTarget(ctx context.Context, by account.Actor, clue *store.WorkOrder, ref string) (*store.WorkOrder, error) {
	ref = strings.TrimSpace(ref)
	bad := errs.Field("target", "err.invalid")
	if ref == "" {
		return nil, errs.Field("target", "err.required")
	}
	var t *store.WorkOrder
	var err error
	if n, perr := strconv.ParseUint(ref, 10, 64); perr == nil {
		t, err = s.load(ctx, by, n, true)
	} else {
		t, err = s.St.OrderByNumber(ctx, strings.ToUpper(ref), true)
		if err == nil && !account.Can(by, account.ViewOrder, object(t)) {
			err = ErrNotFound
		}
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, store.ErrNotFound) {
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	switch lifecycle.Status(t.Status) {
	case lifecycle.Closed, lifecycle.Dismissed:
		return nil, bad
	}
	if t.ID == clue.ID {
		return nil, bad
	}
	return t, nil
}
