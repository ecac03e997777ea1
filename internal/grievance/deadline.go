package grievance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"qijian/internal/audit"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// timer is the outbox payload of a deadline timer.
type timer struct {
	DeadlineID uint64 `json:"deadline_id"`
	Kind       string `json:"kind"` // remind, breach or climb
	// A climb (督办 that keeps climbing): due At, it raises the order another rung unless a
	// person acted on it after Since (then it waits a stage's length from that act).
	At    *time.Time `json:"at,omitempty"`
	Since *time.Time `json:"since,omitempty"`
}

func (s *Service) policy(ctx context.Context) (lifecycle.Policy, error) {
	rows, err := s.St.SLAPolicies(ctx)
	if err != nil {
		return nil, err
	}
	p := make(lifecycle.Policy, len(rows))
	for _, r := range rows {
		k := lifecycle.LimitKey{Channel: lifecycle.Channel(r.Channel), Type: lifecycle.Type(r.Type), Urgent: r.Urgent, Stage: lifecycle.Stage(r.Stage)}
		p[k] = lifecycle.Allowance{Amount: r.Amount, Unit: r.Unit}
	}
	return p, nil
}

// stageDeadlines builds, unsaved, a deadline per stage the policy knows for o, starting now, from
// the most specific row of the limits table (channel, matter type, urgency).
// memo, if not nil, keeps the due and reminder times worked out for each allowance from this now:
// a batch's filings share their now, and counting working time was a sixteenth of a batch's CPU.
func (s *Service) stageDeadlines(p lifecycle.Policy, o *store.WorkOrder, stages []lifecycle.Stage, now time.Time, round int, memo map[lifecycle.Allowance][2]time.Time) []store.Deadline {
	var out []store.Deadline
	for _, st := range stages {
		a, ok := p.Lookup(lifecycle.Channel(o.Channel), lifecycle.Type(o.Type), o.Urgent, lifecycle.PolicyStage(string(st)))
		if !ok {
			continue
		}
		at, ok := memo[a]
		if !ok {
			due := lifecycle.Due(s.Cal, now, a)
			at = [2]time.Time{due, lifecycle.RemindAt(s.Cal, now, due)}
			if memo != nil {
				memo[a] = at
			}
		}
		out = append(out, store.Deadline{OrderID: o.ID, Stage: string(st), Round: round, StartedAt: now, DueAt: at[0], RemindAt: at[1]})
	}
	return out
}

// armTimers arms a saved deadline's first timer as an outbox row: the reminder (at 75%), whose
// handling then arms the breach (at 100%). One row per deadline at filing instead of two: most
// stages are met before their reminder, and never need the second. (A stage with no working
// time has its reminder at the deadline; it reminds no one and arms the breach, due at once.)
func (s *Service) armTimers(ctx context.Context, d *store.Deadline, now time.Time) error {
	t := timer{DeadlineID: d.ID, Kind: "remind"}
	err := s.St.QueueOutbox(ctx, TaskDeadline, t, now, t.at(d))
	return err
}

// at is when t is due for d.
func (t timer) at(d *store.Deadline) time.Time {
	if t.Kind == "breach" {
		return d.DueAt
	}
	if t.Kind == "climb" && t.At != nil {
		return *t.At
	}
	return d.RemindAt
}

// openStages writes a deadline row per stage the policy knows, with its timers. The caller then
// refreshes the order's next due time.
func (s *Service) openStages(ctx context.Context, o *store.WorkOrder, stages []lifecycle.Stage, now time.Time, round int) ([]store.Deadline, error) {
	if len(stages) == 0 {
		return nil, nil
	}
	p, err := s.policy(ctx)
	if err != nil {
		return nil, err
	}
	// A stage of this round already running keeps its row (a re-dispatch after a bounce leaves
	// the reply stage as it was). Asked first: on PostgreSQL a refused insert would abort the
	// transaction, so the conflict below only guards a race.
	running, err := s.St.OpenDeadlines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	var opened []store.Deadline
	for _, d := range s.stageDeadlines(p, o, stages, now, round, nil) {
		if slices.ContainsFunc(running, func(r store.Deadline) bool { return r.Stage == d.Stage && r.Round == d.Round }) {
			continue
		}
		if err := s.St.CreateDeadline(ctx, &d); err != nil {
			if errors.Is(err, store.ErrConflict) {
				continue // this stage of this round is already running
			}
			return nil, err
		}
		if err := s.armTimers(ctx, &d, now); err != nil {
			return nil, err
		}
		opened = append(opened, d)
	}
	return opened, nil // the caller refreshes the order's next due time once, after all its changes
}

// retime recomputes the deadlines an order keeps when it moves (改派/转办): a transfer to another
// unit (or a re-dispatch after a bounce) sets aside the old unit's sign-for and reply stages (apply opens them again for the new
// unit, from now); a move to the other hotline recomputes every stage still open from its own
// start by the new channel's limits, or sets it aside where that channel has no such stage. Each
// set-aside row keeps its record; each new row gets its timers, which never fire early (a limit
// already past fires at once). A change of matter type or of the urgent mark (was: the order's
// key before the action) recomputes, the same way, each open stage whose limit it changes.
func (s *Service) retime(ctx context.Context, o *store.WorkOrder, newUnit bool, was limitKey, open []store.Deadline, now time.Time) error {
	moved := o.Channel != was.channel
	rekeyed := o.Type != was.typ || o.Urgent != was.urgent
	if !newUnit && !moved && !rekeyed {
		return nil
	}
	p, err := s.policy(ctx)
	if err != nil {
		return err
	}
	for i := range open {
		d := &open[i]
		anew := newUnit && (d.Stage == string(lifecycle.StageSign) || d.Stage == string(lifecycle.StageReply))
		if !anew && !moved && !(rekeyed && was.changes(p, o, lifecycle.Stage(d.Stage))) {
			continue
		}
		t := now
		d.SupersededAt = &t
		if err := s.St.SaveDeadline(ctx, d); err != nil {
			return err
		}
		if anew {
			continue // opened again from now by the new status
		}
		for _, nd := range s.stageDeadlines(p, o, []lifecycle.Stage{lifecycle.Stage(d.Stage)}, d.StartedAt, d.Round, nil) {
			if err := s.St.CreateDeadline(ctx, &nd); err != nil {
				return err
			}
			if err := s.armTimers(ctx, &nd, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// limitKey is what picks an order's row of the limits table, besides the stage.
type limitKey struct {
	channel, typ string
	urgent       bool
}

func keyOf(o *store.WorkOrder) limitKey { return limitKey{o.Channel, o.Type, o.Urgent} }

// changes tells whether o's stage st has another limit now than under k.
func (k limitKey) changes(p lifecycle.Policy, o *store.WorkOrder, st lifecycle.Stage) bool {
	before, ok1 := p.Lookup(lifecycle.Channel(k.channel), lifecycle.Type(k.typ), k.urgent, st)
	after, ok2 := p.Lookup(lifecycle.Channel(o.Channel), lifecycle.Type(o.Type), o.Urgent, st)
	return ok1 != ok2 || before != after
}

// HandleTimer is the effect of a deadline timer; it runs inside the transaction that marks its
// outbox row done. It re-reads the deadline: a met stage does nothing, a timer that fires early
// (a clock skew, a retry) re-arms itself instead of acting, and the reminded/breached marks make
// each happen once.
func (s *Service) HandleTimer(ctx context.Context, row *store.OutboxRow) error {
	var t timer
	if err := json.Unmarshal([]byte(row.Payload), &t); err != nil {
		return fmt.Errorf("complaint: timer payload: %w", err)
	}
	// Lock order first, then deadline: the same order Act takes, so the two never deadlock.
	peek, err := s.St.Deadline(ctx, t.DeadlineID)
	if err != nil {
		return err
	}
	o, err := s.St.Order(ctx, peek.OrderID, true)
	if err != nil {
		return err
	}
	d, err := s.St.LockDeadline(ctx, t.DeadlineID)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	if d.MetAt != nil || d.SupersededAt != nil || (d.BreachedAt != nil && t.Kind != "climb") {
		return nil
	}
	if o.PausedAt != nil && d.Stage != string(lifecycle.StageInfo) {
		if t.Kind == "climb" && !now.Before(t.at(d)) {
			return s.armClimb(ctx, o, d, now, now) // a missed stage's climb waits a stage's length past the pause
		}
		return nil // the clock stands still while the order waits on the enterprise; the answer re-arms it
	}
	if at := t.at(d); now.Before(at) {
		err := s.St.QueueOutbox(ctx, TaskDeadline, t, now, at)
		return err
	}
	switch t.Kind {
	case "remind":
		if d.RemindedAt != nil {
			return nil // reminded before, and the breach armed then
		}
		// The breach's timer, armed in this transaction: it exists exactly when the reminder's
		// row is done. (Orders filed before timers were chained have one already; the breach
		// runs once all the same, by its mark.)
		breach := timer{DeadlineID: d.ID, Kind: "breach"}
		if err := s.St.QueueOutbox(ctx, TaskDeadline, breach, now, breach.at(d)); err != nil {
			return err
		}
		if !now.Before(d.DueAt) {
			return nil // the worker was away past the deadline: no reminder, the breach is due now
		}
		d.RemindedAt = &now
		if err := s.St.SaveDeadline(ctx, d); err != nil {
			return err
		}
		if err := s.remindCohandler(ctx, o, d, now); err != nil { // a co-handler's part: its unit is reminded too (merge.go)
			return err
		}
		return s.notifyStaff(ctx, o, now, "deadline.remind",
			fmt.Sprintf("工单 %s 的“%s”时限将到：%s", o.Number, stageWord(d.Stage), d.DueAt.In(s.calLoc()).Format("01-02 15:04")),
			fmt.Sprintf("Work order %s: the %s deadline is near (%s)", o.Number, stageWordEn(d.Stage), d.DueAt.In(s.calLoc()).Format("01-02 15:04")))
	case "breach":
		d.BreachedAt = &now
		if err := s.St.SaveDeadline(ctx, d); err != nil {
			return err
		}
		// Every breach is on the record, whatever follows: a climb, a clue's notice, or nothing
		// past the city level.
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorRole: "system", Action: "deadline.breach", ObjectType: "order", ObjectID: o.ID, Detail: fmt.Sprintf(`{"stage":%q,"round":%d}`, d.Stage, d.Round)}); err != nil {
			return err
		}
		if d.Stage == string(lifecycle.StageInfo) && o.PausedAt != nil {
			// The enterprise did not answer in time: the clocks run again, and the order escalates.
			open, err := s.St.OpenDeadlines(ctx, o.ID)
			if err != nil {
				return err
			}
			if err := s.resume(ctx, open, *o.PausedAt, now); err != nil {
				return err
			}
			o.PausedAt = nil
		}
		if d.Stage == string(lifecycle.StageReview) {
			// A clue past its review limit is the supervision office's own lateness, not a unit's:
			// the liaisons are told, and nothing climbs the ladder.
			if err := s.refreshNextDue(ctx, o); err != nil {
				return err
			}
			return s.notifyStaff(ctx, o, now, "clue.overdue",
				fmt.Sprintf("系统线索 %s 已超过核查时限，请尽快核查", o.Number),
				fmt.Sprintf("Clue %s is past its review limit: please review it", o.Number))
		}
		if o.Status == string(lifecycle.Closed) || o.Level+1 >= lifecycle.MaxLevel {
			// The top rung, referral to discipline inspection, is the city level's decision.
			return s.refreshNextDue(ctx, o)
		}
		// A missed deadline raises the order one rung of the supervision ladder, by the system.
		o, err = s.apply(ctx, o, lifecycle.Actor{Role: lifecycle.RoleSystem}, lifecycle.Escalate, lifecycle.Input{Note: "超时未" + stageWord(d.Stage) + "，自动督办"})
		if err != nil {
			return err
		}
		return s.armClimb(ctx, o, d, now, now)
	case "climb":
		if o.Status == string(lifecycle.Closed) || o.Level+1 >= lifecycle.MaxLevel || t.Since == nil {
			return nil // the system climbs no higher than the city level
		}
		last, err := s.St.LastPersonEvent(ctx, o.ID)
		if err != nil {
			return err
		}
		if last.After(*t.Since) {
			// Someone acted on it meanwhile: the stage is still missed, and the climb waits a
			// stage's length from that act.
			return s.armClimb(ctx, o, d, last, now)
		}
		o, err = s.apply(ctx, o, lifecycle.Actor{Role: lifecycle.RoleSystem}, lifecycle.Escalate, lifecycle.Input{Note: "超时未" + stageWord(d.Stage) + "，持续未处理，自动升级督办"})
		if err != nil {
			return err
		}
		if err := s.armClimb(ctx, o, d, now, now); err != nil {
			return err
		}
		return s.St.QueueAudit(ctx, audit.Event{At: now, ActorRole: "system", Action: "deadline.climb", ObjectType: "order", ObjectID: o.ID, Detail: fmt.Sprintf(`{"stage":%q,"round":%d,"level":%d}`, d.Stage, d.Round, o.Level)})
	}
	return fmt.Errorf("complaint: unknown timer kind %q", t.Kind)
}

// armClimb arms the next climb of a missed stage d: one stage's length (its allowance by the
// policy) after since, while the order is below the city level.
func (s *Service) armClimb(ctx context.Context, o *store.WorkOrder, d *store.Deadline, since, now time.Time) error {
	if o.Status == string(lifecycle.Closed) || o.Level+1 >= lifecycle.MaxLevel {
		return nil
	}
	p, err := s.policy(ctx)
	if err != nil {
		return err
	}
	a, ok := p.Lookup(lifecycle.Channel(o.Channel), lifecycle.Type(o.Type), o.Urgent, lifecycle.PolicyStage(d.Stage))
	if !ok {
		return nil
	}
	at := lifecycle.Due(s.Cal, since, a)
	t := timer{DeadlineID: d.ID, Kind: "climb", At: &at, Since: &since}
	return s.St.QueueOutbox(ctx, TaskDeadline, t, now, at)
}

var stageZh = map[string]string{"accept": "受理", "dispatch": "派单", "sign": "签收", "reply": "答复", "resolve": "办结", "info": "补充材料", "review": "核查"}

func (s *Service) calLoc() *time.Location { return shanghai }
