package lifecycle

import (
	"errors"
	"math/rand"
	"reflect"
	"slices"
	"testing"
	"time"

	"qijian/internal/errs"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func actorFor(r Role) Actor {
	return Actor{Role: r, UserID: 50, EnterpriseID: 7, UnitID: 3, County: "330302"}
}

func inputFor(a Action) Input {
	switch a {
	case Dispatch:
		return Input{Unit: 3}
	case Transfer:
		return Input{Unit: 4, Reason: "误派"}
	case Return:
		return Input{Code: "not_our_duty", Reason: "不属本机关职责"}
	case RefuseReturn:
		return Input{Reason: "属本单位法定职责"}
	case AskExtension:
		return Input{Reason: "需现场复核", Until: t0.Add(14 * 24 * time.Hour)}
	case RefuseExtension:
		return Input{Reason: "时限充足"}
	case Escalate:
		return Input{Reason: "逾期未办", Note: "说明"}
	case RecordFollowUp:
		yes, no := true, false
		return Input{Solved: &yes, Satisfied: &no, Note: "电话回访"}
	case Rate:
		return Input{Rating: 4}
	case Reroute:
		return Input{Channel: Channel12345, Reason: "属一般诉求"}
	case Assign:
		return Input{Assignee: 50}
	case Classify:
		return Input{Type: TypeConduct}
	case Merge:
		return Input{Order: 99, Reason: "同一检查的重复投诉"}
	case Split:
		return Input{Reason: "并非同一事项"}
	case AddCohandler, RemoveCohandler:
		return Input{Unit: 4}
	case MarkUrgent, ClearUrgent:
		return Input{Reason: "企业停产待处理"}
	case DismissClue:
		return Input{Reason: "核实为误报"}
	case MergeClue:
		return Input{Target: 99, Reason: "同一检查"}
	case ConvertClue:
		return Input{Type: TypeMissingCode}
	}
	return Input{Note: "说明"}
}

// TestLifecycleTable: for every state and action, exactly the roles in the table may act.
func TestLifecycleTable(t *testing.T) {
	t.Parallel()
	for _, st := range Table { // the walk below covers every action and status the table names
		if !slices.Contains(Actions, st.Action) {
			t.Errorf("action %s is in the table but not in Actions", st.Action)
		}
		for _, s := range append(slices.Clone(st.From), st.To) {
			if s != "" && !slices.Contains(Statuses, s) {
				t.Errorf("status %s is in the table but not in Statuses", s)
			}
		}
	}
	roles := []Role{RoleEnterprise, RoleObserver, RoleLiaison, RoleOfficer, RoleAdmin, RoleSystem}
	actions := Actions
	closed := t0
	for _, s := range Statuses {
		for _, a := range actions {
			for _, r := range roles {
				o := Order{ID: 1, Status: s, Type: TypeIllegalInspection, County: "330302", EnterpriseID: 7, ObserverID: 50, Unit: 3, ReturnedUnit: 3}
				if s == Closed {
					o.ClosedAt = &closed
				}
				// What the order's record must hold for the action to be open (blocked's rules,
				// tested apart): a pending extension to decide, a pause to answer, one left to ask.
				o.ExtensionLimit = 1
				if a == ApproveExtension || a == RefuseExtension {
					o.ExtensionUntil = &closed
				}
				if a == SupplyInfo {
					o.PausedAt = &closed
				}
				o.Urgent = a == ClearUrgent // the mark to take off
				if a == Close || a == Rehandle {
					yes, no := true, false
					o.FollowSolved, o.FollowSatisfied = &yes, &no
				}
				if s == Merged {
					o.MergedInto = 99
				}
				if a == RemoveCohandler {
					o.CoHandlers = []CoHandler{{Unit: 4}}
				}
				if a == CohandlerReply { // the officer's unit (3) co-handles; another unit leads
					o.Unit, o.CoHandlers = 5, []CoHandler{{Unit: 3}}
				}
				st, inTable := find(s, a)
				want := inTable && slices.Contains(st.Roles, r)
				n, ev, err := Apply(o, a, actorFor(r), inputFor(a), t0.Add(time.Hour))
				if got := err == nil; got != want {
					t.Errorf("%s %s by %s: allowed=%v, want %v (%v)", s, a, r, got, want, err)
					continue
				}
				if err != nil {
					if !errors.Is(err, ErrNotAllowed) {
						t.Errorf("%s %s by %s: error %v does not wrap ErrNotAllowed", s, a, r, err)
					}
					continue
				}
				if st.To != "" && n.Status != st.To || ev.From != s || ev.To != n.Status {
					t.Errorf("%s %s by %s: to %s, event %+v", s, a, r, n.Status, ev)
				}
			}
		}
	}
}

func TestScope(t *testing.T) {
	t.Parallel()
	o := Order{ID: 1, Status: Dispatched, County: "330302", EnterpriseID: 7, Unit: 3}
	cases := []struct {
		name string
		act  Action
		by   Actor
		ok   bool
	}{
		{"own unit starts", Start, Actor{Role: RoleOfficer, UnitID: 3}, true},
		{"other unit cannot start", Start, Actor{Role: RoleOfficer, UnitID: 4}, false},
		{"county liaison transfers", Transfer, Actor{Role: RoleLiaison, County: "330302"}, true},
		{"other county liaison cannot", Transfer, Actor{Role: RoleLiaison, County: "330381"}, false},
		{"city liaison can", Transfer, Actor{Role: RoleLiaison}, true},
		{"own enterprise messages", Message, Actor{Role: RoleEnterprise, EnterpriseID: 7}, true},
		{"other enterprise cannot", Message, Actor{Role: RoleEnterprise, EnterpriseID: 8}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Apply(o, tc.act, tc.by, Input{Unit: 9, Reason: "r", Note: "n"}, t0)
			if (err == nil) != tc.ok {
				t.Fatalf("err %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestReopenWithin15DaysRaisesLevel(t *testing.T) {
	t.Parallel()
	closed := t0
	o := Order{ID: 1, Status: Closed, EnterpriseID: 7, ClosedAt: &closed, Level: 1, Rating: 2}
	ent := Actor{Role: RoleEnterprise, EnterpriseID: 7}
	n, _, err := Apply(o, Reopen, ent, Input{Note: "不满意"}, t0.Add(ReopenWindow))
	if err != nil || n.Status != Accepted || n.Level != 2 || n.ReopenCount != 1 || n.ClosedAt != nil || n.Rating != 0 {
		t.Fatalf("reopen on day 15: %+v %v", n, err)
	}
	if _, _, err := Apply(o, Reopen, ent, Input{}, t0.Add(ReopenWindow+time.Second)); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("reopen after 15 days: %v", err)
	}
}

// The system's breaches climb to city-level supervision (3); only the city level refers an order
// to discipline inspection (4), and no one goes past it. Every rung a person raises needs a
// reason, and the reason is kept on the timeline.
func TestEscalationLadderStopsAtFour(t *testing.T) {
	t.Parallel()
	o := Order{ID: 1, Status: InProgress, County: "330302"}
	sys := Actor{Role: RoleSystem}
	county := Actor{Role: RoleLiaison, County: "330302"}
	city := Actor{Role: RoleLiaison}
	for want := 1; want < MaxLevel; want++ {
		var err error
		o, _, err = Apply(o, Escalate, sys, Input{}, t0)
		if err != nil || o.Level != want {
			t.Fatalf("escalation %d: level %d, %v", want, o.Level, err)
		}
	}
	for _, by := range []Actor{sys, county} {
		if _, _, err := Apply(o, Escalate, by, Input{Reason: "屡次超时"}, t0); !errors.Is(err, ErrNotAllowed) || slices.Contains(Allowed(o, by, t0), Escalate) {
			t.Fatalf("referral by %s: %v", by.Role, err)
		}
	}
	if _, _, err := Apply(o, Escalate, city, Input{}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("referral without a reason: %v", err)
	}
	o, ev, err := Apply(o, Escalate, city, Input{Reason: "屡次超时且未说明理由", Note: "案情摘要"}, t0)
	if err != nil || o.Level != MaxLevel || ev.Note != "屡次超时且未说明理由 案情摘要" {
		t.Fatalf("referral by the city: level %d note %q %v", o.Level, ev.Note, err)
	}
	if _, _, err := Apply(o, Escalate, Actor{Role: RoleAdmin}, Input{Reason: "x"}, t0); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("escalating past 4: %v", err)
	}
	if slices.Contains(Allowed(o, city, t0), Escalate) {
		t.Fatal("Allowed offers escalation at level 4")
	}
}

func TestInputIsRequired(t *testing.T) {
	t.Parallel()
	li := Actor{Role: RoleLiaison}
	off := Actor{Role: RoleOfficer, UnitID: 3}
	cases := []struct {
		name string
		o    Order
		act  Action
		by   Actor
		in   Input
	}{
		{"dispatch without unit", Order{Status: Accepted}, Dispatch, li, Input{}},
		{"transfer to the same unit", Order{Status: Dispatched, Unit: 3}, Transfer, li, Input{Unit: 3, Reason: "x"}},
		{"transfer without reason", Order{Status: Dispatched, Unit: 3}, Transfer, li, Input{Unit: 4}},
		{"return without reason", Order{Status: Dispatched, Unit: 3}, Return, off, Input{}},
		{"return without a code", Order{Status: Dispatched, Unit: 3}, Return, off, Input{Reason: "不属本单位"}},
		{"return with an unknown code", Order{Status: Signed, Unit: 3}, Return, off, Input{Code: "busy", Reason: "人手不足"}},
		{"return with a code and no text", Order{Status: Signed, Unit: 3}, Return, off, Input{Code: "incomplete"}},
		{"refusing a bounce without reason", Order{Status: Returned, ReturnedUnit: 3}, RefuseReturn, li, Input{}},
		{"refusing a bounce no unit made", Order{Status: Returned}, RefuseReturn, li, Input{Reason: "x"}},
		{"transfer to an unknown channel", Order{Status: Dispatched, Unit: 3}, Transfer, li, Input{Unit: 4, Channel: "110", Reason: "x"}},
		{"reply without text", Order{Status: InProgress, Unit: 3}, Reply, off, Input{}},
		{"internal note without text", Order{Status: InProgress, Unit: 3}, InternalNote, off, Input{Note: "  "}},
		{"rating 6", Order{Status: FollowUp, EnterpriseID: 7}, Rate, Actor{Role: RoleEnterprise, EnterpriseID: 7}, Input{Rating: 6}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Apply(tc.o, tc.act, tc.by, tc.in, t0); !errors.Is(err, ErrInput) {
				t.Fatalf("err %v, want ErrInput", err)
			}
		})
	}
}

// TestPropertyNoSequenceBreaksAnOrder drives random actions by random actors: every accepted
// move is in the table, and the order stays valid and itself.
func TestPropertyNoSequenceBreaksAnOrder(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(20261128))
	roles := []Role{RoleEnterprise, RoleObserver, RoleLiaison, RoleOfficer, RoleAdmin, RoleSystem}
	actions := Actions
	took, reached := map[Action]bool{}, map[Status]bool{}
	defer func() { // every action was taken and every status reached somewhere in the runs
		for _, a := range Actions {
			if !took[a] {
				t.Errorf("no run took %s", a)
			}
		}
		for _, s := range Statuses {
			if !reached[s] {
				t.Errorf("no run reached %s", s)
			}
		}
	}()
	for run := 0; run < 3000; run++ {
		o := Order{ID: uint64(run + 1), Status: Submitted, Type: TypeConduct, County: "330302", EnterpriseID: 7, ObserverID: 50, ExtensionLimit: 2}
		if run%4 == 0 {
			o.Status, o.Type = Clue, TypeIllegalInspection // a clue the automatic checks raised
		}
		now := t0
		for i := 0; i < 60; i++ {
			now = now.Add(time.Duration(rng.Intn(72)) * time.Hour)
			a := actions[rng.Intn(len(actions))]
			by := actorFor(roles[rng.Intn(len(roles))])
			if rng.Intn(4) == 0 {
				by.UnitID = 4 // sometimes the wrong unit
			}
			if open := Allowed(o, by, now); len(open) > 0 && rng.Intn(2) == 0 {
				a = open[rng.Intn(len(open))] // half the time a move the actor is offered: the runs go deep
			}
			if a == Merge && rng.Intn(4) != 0 {
				continue // a merge ends a run's way through the handling stages: a quarter of the time
			}
			in := inputFor(a)
			if a == Dispatch && rng.Intn(2) == 0 {
				in.Unit = 3 + uint(rng.Intn(2))
			}
			if a == AskExtension {
				in.Until = now.Add(time.Duration(rng.Intn(200)-20) * time.Hour) // sometimes already past
			}
			if a == AddCohandler {
				in.Unit = 3 + uint(rng.Intn(3))
				if rng.Intn(2) == 0 {
					in.Until = now.Add(time.Duration(rng.Intn(100)-10) * time.Hour) // a deadline, sometimes already past
				}
			}
			if a == RemoveCohandler && len(o.CoHandlers) > 0 {
				in.Unit = o.CoHandlers[rng.Intn(len(o.CoHandlers))].Unit
			}
			n, _, err := Apply(o, a, by, in, now)
			if err != nil {
				if !reflect.DeepEqual(n, o) {
					t.Fatalf("a refused %s changed the order", a)
				}
				continue
			}
			if _, ok := find(o.Status, a); !ok {
				t.Fatalf("accepted %s from %s, which the table lacks", a, o.Status)
			}
			if !slices.Contains(Statuses, n.Status) || n.Level < 0 || n.Level > MaxLevel || n.ID != o.ID || !ValidType(string(n.Type)) || (a != Classify && a != ConvertClue && n.Type != o.Type) || n.EnterpriseID != o.EnterpriseID {
				t.Fatalf("invalid order after %s: %+v", a, n)
			}
			if a == Escalate && n.Level == MaxLevel && !(by.Role == RoleAdmin || (by.Role == RoleLiaison && by.County == "")) {
				t.Fatalf("referred by %+v", by)
			}
			if a == Close && !answered(o) && o.FollowFailures < FollowUpAttempts {
				t.Fatalf("closed without the follow-up's answer: %+v", o)
			}
			if a != Escalate && n.Level == MaxLevel && o.Level != MaxLevel {
				t.Fatalf("%s by %s reached referral without the city level's escalation", a, by.Role)
			}
			if a == Rehandle && (n.Status != InProgress || n.Level != max(o.Level, min(o.Level+1, MaxLevel-1)) || n.FollowSatisfied != nil) {
				t.Fatalf("re-handled as %+v", n)
			}
			if (n.Status == Closed) != (n.ClosedAt != nil) {
				t.Fatalf("closed and ClosedAt disagree: %+v", n)
			}
			if (a == MarkUrgent) != (n.Urgent && !o.Urgent) || (a == ClearUrgent) != (!n.Urgent && o.Urgent) {
				t.Fatalf("urgent mark changed by %s: %v → %v", a, o.Urgent, n.Urgent)
			}
			if o.Status == Clue && n.Status != Clue && a != DismissClue && a != MergeClue && a != ConvertClue {
				t.Fatalf("a clue left review by %s", a)
			}
			if n.Level < o.Level {
				t.Fatalf("level went down on %s", a)
			}
			if n.ReturnCount < o.ReturnCount || (n.Status == Returned && n.Unit != 0) || (a == Return && n.ReturnedUnit != o.Unit) {
				t.Fatalf("bounce record broken by %s: %+v", a, n)
			}
			if n.ExtensionCount > n.ExtensionLimit || (n.PausedAt != nil && (n.Status == Closed || n.Status == Replied || a == Reply || a == SupplyInfo)) ||
				(a == RequestInfo && n.PausedAt == nil) || (a == ApproveExtension && n.ExtensionCount != o.ExtensionCount+1) {
				t.Fatalf("extension or pause record broken by %s: %+v", a, n)
			}
			if a == InternalNote && (!reflect.DeepEqual(n, o) || by.Role == RoleEnterprise || by.Role == RoleObserver || by.Role == RoleSystem || (by.Role == RoleOfficer && by.UnitID != o.Unit)) {
				t.Fatalf("an internal note by %+v changed the order or was taken by someone outside the handlers: %+v", by, n)
			}
			if n.Status == Returned && n.ReturnCount >= ReturnsToEscalate && n.Level == 0 {
				t.Fatalf("bounced %d times and still at level 0", n.ReturnCount)
			}
			if (n.Status == Merged) != (n.MergedInto != 0) || (a == Merge && (n.MergedInto != in.Order || len(n.CoHandlers) != 0)) {
				t.Fatalf("merge record broken by %s: %+v", a, n)
			}
			if a == Reply && coPending(o, now) {
				t.Fatalf("the lead replied while a co-handler's part was awaited: %+v", o)
			}
			if a == CohandlerReply && (by.Role != RoleOfficer || by.UnitID == o.Unit || !coAwaits(o, by.UnitID) || coAwaits(n, by.UnitID)) {
				t.Fatalf("co-handler part by %+v on %+v", by, o)
			}
			for i, c := range n.CoHandlers {
				if c.Unit == 0 || c.Unit == n.Unit || coIndex(n, c.Unit) != i {
					t.Fatalf("co-handlers broken by %s: %+v", a, n)
				}
			}
			took[a], reached[n.Status] = true, true
			o = n
		}
	}
}

func BenchmarkApply(b *testing.B) {
	o := Order{ID: 1, Status: Dispatched, Unit: 3}
	by := Actor{Role: RoleOfficer, UnitID: 3}
	for i := 0; i < b.N; i++ {
		_, _, _ = Apply(o, Start, by, Input{}, t0)
	}
}

// The lifecycle's refusals are error kinds, so the one error map answers them: a move the order's
// state or the caller's role does not allow is a conflict (409), a move lacking what it needs is
// bad input (422).
func TestRefusalsAreErrorKinds(t *testing.T) {
	t.Parallel()
	o := Order{ID: 1, Status: Submitted}
	_, _, err := Apply(o, Close, Actor{Role: RoleEnterprise}, Input{}, t0)
	if !errors.Is(err, ErrNotAllowed) || !errors.Is(err, errs.Conflict) {
		t.Errorf("closing a new order: %v, want ErrNotAllowed, a conflict", err)
	}
	_, _, err = Apply(Order{ID: 1, Status: Accepted}, Dispatch, Actor{Role: RoleLiaison}, Input{}, t0)
	if !errors.Is(err, ErrInput) || !errors.Is(err, errs.Invalid) {
		t.Errorf("a dispatch without a unit: %v, want ErrInput, invalid input", err)
	}
}

// A unit bounces an order only before it starts handling it: once signed for, or while the
// sign-for limit runs; past the limit unsigned, or once started, it must handle it.
func TestReturnOnlyBeforeHandling(t *testing.T) {
	t.Parallel()
	off := Actor{Role: RoleOfficer, UnitID: 3}
	due := t0.Add(8 * time.Hour)
	in := Input{Code: "not_our_duty", Reason: "属税务部门"}
	cases := []struct {
		name string
		o    Order
		now  time.Time
		ok   bool
	}{
		{"dispatched, within the sign-for limit", Order{Status: Dispatched, Unit: 3, SignDue: &due}, due, true},
		{"dispatched, past the sign-for limit", Order{Status: Dispatched, Unit: 3, SignDue: &due}, due.Add(time.Second), false},
		{"signed, past the limit", Order{Status: Signed, Unit: 3, SignDue: &due}, due.Add(48 * time.Hour), true},
		{"in progress", Order{Status: InProgress, Unit: 3}, t0, false},
	}
	for _, tc := range cases {
		n, _, err := Apply(tc.o, Return, off, in, tc.now)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok=%v", tc.name, err, tc.ok)
		}
		if got := slices.Contains(Allowed(tc.o, off, tc.now), Return); got != tc.ok {
			t.Errorf("%s: Allowed offers return=%v, want %v", tc.name, got, tc.ok)
		}
		if err == nil && (n.Status != Returned || n.Unit != 0 || n.ReturnedUnit != 3 || n.ReturnCode != "not_our_duty" || n.ReturnReason != "属税务部门") {
			t.Errorf("%s: bounced as %+v", tc.name, n)
		}
	}
	for _, c := range ReturnCodes {
		if ReturnCodeNames[c][0] == "" || ReturnCodeNames[c][1] == "" {
			t.Errorf("return code %s lacks a name", c)
		}
	}
}

// The liaison refuses a bounce and the order goes back to the unit that bounced it; the second
// bounce of one order raises it a rung.
func TestRefusedBounceAndRepeatedBouncesEscalate(t *testing.T) {
	t.Parallel()
	off := Actor{Role: RoleOfficer, UnitID: 3}
	li := Actor{Role: RoleLiaison}
	o := Order{ID: 1, Status: Dispatched, Unit: 3}
	o, _, err := Apply(o, Return, off, Input{Code: "incomplete", Reason: "缺少检查时间"}, t0)
	if err != nil || o.Level != 0 || o.ReturnCount != 1 {
		t.Fatalf("first bounce: %+v %v", o, err)
	}
	o, ev, err := Apply(o, RefuseReturn, li, Input{Reason: "时间已在附件中"}, t0)
	if err != nil || o.Status != Dispatched || o.Unit != 3 || o.ReturnCode != "" || ev.Note != "时间已在附件中" {
		t.Fatalf("refused bounce: %+v %v", o, err)
	}
	o, _, err = Apply(o, Return, off, Input{Code: "not_our_duty", Reason: "仍认为不属本单位"}, t0)
	if err != nil || o.Level != 1 || o.ReturnCount != 2 {
		t.Fatalf("second bounce: level %d count %d %v, want level 1", o.Level, o.ReturnCount, err)
	}
	o, _, err = Apply(o, Dispatch, li, Input{Unit: 4}, t0)
	if err != nil || o.Unit != 4 || o.ReturnCount != 2 || o.ReturnReason != "" {
		t.Fatalf("re-dispatch: %+v %v", o, err)
	}
}

// An extension is asked once at a time and within the order's count; only a pending one is
// decided; only a paused order is answered, and answering or replying ends the pause.
func TestExtensionAndPauseFollowTheRecord(t *testing.T) {
	t.Parallel()
	off := Actor{Role: RoleOfficer, UnitID: 3}
	li := Actor{Role: RoleLiaison}
	ent := Actor{Role: RoleEnterprise, EnterpriseID: 7}
	o := Order{ID: 1, Status: InProgress, Unit: 3, EnterpriseID: 7, ExtensionLimit: 1}
	if _, _, err := Apply(o, AskExtension, off, Input{Reason: "x", Until: t0.Add(-time.Hour)}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("an extension to an earlier date: %v", err)
	}
	if _, _, err := Apply(o, ApproveExtension, li, Input{}, t0); !errors.Is(err, ErrNotAllowed) || slices.Contains(Allowed(o, li, t0), ApproveExtension) {
		t.Fatalf("approving with nothing asked: %v", err)
	}
	o, _, err := Apply(o, AskExtension, off, Input{Reason: "需现场复核", Until: t0.Add(72 * time.Hour)}, t0)
	if err != nil || o.ExtensionUntil == nil || !o.ExtensionUntil.Equal(t0.Add(72*time.Hour)) {
		t.Fatalf("asked: %+v %v", o, err)
	}
	if _, _, err := Apply(o, AskExtension, off, inputFor(AskExtension), t0); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a second request while one is pending: %v", err)
	}
	if _, _, err := Apply(o, RefuseExtension, li, Input{}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("refusing without a reason: %v", err)
	}
	o, _, err = Apply(o, ApproveExtension, li, Input{}, t0)
	if err != nil || o.ExtensionCount != 1 || o.ExtensionUntil != nil {
		t.Fatalf("approved: %+v %v", o, err)
	}
	if _, _, err := Apply(o, AskExtension, off, inputFor(AskExtension), t0); !errors.Is(err, ErrNotAllowed) || slices.Contains(Allowed(o, off, t0), AskExtension) {
		t.Fatalf("an extension past the count: %v", err)
	}
	if _, _, err := Apply(o, SupplyInfo, ent, Input{Note: "附件已补"}, t0); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("answering with nothing asked: %v", err)
	}
	o, _, err = Apply(o, RequestInfo, off, Input{Note: "请补充检查时间"}, t0)
	if err != nil || o.PausedAt == nil || !o.PausedAt.Equal(t0) {
		t.Fatalf("request for more: %+v %v", o, err)
	}
	again, _, _ := Apply(o, RequestInfo, off, Input{Note: "另请补充照片"}, t0.Add(time.Hour))
	if !again.PausedAt.Equal(t0) {
		t.Fatal("a second request moved the pause's start")
	}
	n, _, err := Apply(o, SupplyInfo, ent, Input{Note: "附件已补"}, t0.Add(2*time.Hour))
	if err != nil || n.PausedAt != nil {
		t.Fatalf("answered: %+v %v", n, err)
	}
	if n, _, _ := Apply(o, Reply, off, Input{Note: "已办结"}, t0); n.PausedAt != nil {
		t.Fatal("a reply left the order paused")
	}
}

// An order closes only after the follow-up records the enterprise's answer (solved and satisfied
// apart) or three documented failures to reach it; a reply cannot be closed at once. A
// dissatisfied answer, or a rating of 1 or 2, makes it re-handled: back to the unit a rung up.
func TestCloseOnlyAfterTheFollowUp(t *testing.T) {
	t.Parallel()
	li := Actor{Role: RoleLiaison}
	ent := Actor{Role: RoleEnterprise, EnterpriseID: 7}
	yes, no := true, false
	replied := Order{ID: 1, Status: Replied, Unit: 3, EnterpriseID: 7}
	if _, _, err := Apply(replied, Close, li, Input{}, t0); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("closing right after the reply: %v", err)
	}
	o, _, _ := Apply(replied, StartFollow, li, Input{}, t0)
	if _, _, err := Apply(o, Close, li, Input{}, t0); !errors.Is(err, ErrNotAllowed) || slices.Contains(Allowed(o, li, t0), Close) {
		t.Fatalf("closing a follow-up with no answer: %v", err)
	}
	if _, _, err := Apply(o, RecordFollowUp, li, Input{Solved: &yes}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("a follow-up without satisfaction: %v", err)
	}
	if _, _, err := Apply(o, FollowUpFailed, li, Input{}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("an undocumented failed attempt: %v", err)
	}
	tried := o
	for i := 0; i < FollowUpAttempts; i++ {
		if slices.Contains(Allowed(tried, li, t0), Close) {
			t.Fatalf("close offered after %d failed attempts", i)
		}
		tried, _, _ = Apply(tried, FollowUpFailed, li, Input{Note: "电话无人接听"}, t0)
	}
	if n, _, err := Apply(tried, Close, li, Input{}, t0); err != nil || n.Status != Closed {
		t.Fatalf("closing after three failed attempts: %v", err)
	}
	happy, _, _ := Apply(o, RecordFollowUp, li, Input{Solved: &yes, Satisfied: &yes, Note: "电话回访"}, t0)
	if Dissatisfied(happy) {
		t.Fatal("a satisfied answer counts as dissatisfied")
	}
	if n, _, err := Apply(happy, Close, li, Input{}, t0); err != nil || n.Status != Closed {
		t.Fatalf("closing after a satisfied answer: %v", err)
	}
	rated, _, _ := Apply(o, Rate, ent, Input{Rating: 1}, t0)
	if !Dissatisfied(rated) {
		t.Fatal("a rating of 1 is not dissatisfied")
	}
	n, _, err := Apply(rated, Rehandle, Actor{Role: RoleSystem}, Input{Note: "不满意，重办"}, t0)
	if err != nil || n.Status != InProgress || n.Unit != 3 || n.Level != 1 || n.ReopenCount != 1 || n.FollowSatisfied != nil || n.Rating != 0 {
		t.Fatalf("re-handled: %+v %v", n, err)
	}
	unsolved, _, _ := Apply(o, RecordFollowUp, li, Input{Solved: &no, Satisfied: &no, Note: "问题未解决"}, t0)
	if !Dissatisfied(unsolved) {
		t.Fatal("a dissatisfied answer is not re-handled")
	}
}

// An internal note (内部备注) is the handlers' own: liaisons, admins and the officers of the unit
// handling the order, in every status, closed included; it changes nothing on the order, and the
// enterprise, the observation point, the timers and another unit's officers may not write one.
func TestInternalNoteIsForHandlersAndChangesNothing(t *testing.T) {
	t.Parallel()
	closed := t0
	for _, s := range Statuses {
		o := Order{ID: 1, Status: s, County: "330302", EnterpriseID: 7, ObserverID: 50, Unit: 3, Level: 2}
		if s == Closed {
			o.ClosedAt = &closed
		}
		if s == Returned || s == Submitted || s == Accepted {
			o.Unit = 0 // no unit handles it: no officer is in scope
		}
		cases := []struct {
			by Actor
			ok bool
		}{
			{Actor{Role: RoleLiaison, County: "330302"}, true},
			{Actor{Role: RoleLiaison}, true},
			{Actor{Role: RoleAdmin}, true},
			{Actor{Role: RoleOfficer, UnitID: 3}, o.Unit == 3},
			{Actor{Role: RoleOfficer, UnitID: 4}, false},
			{Actor{Role: RoleLiaison, County: "330381"}, false},
			{Actor{Role: RoleEnterprise, EnterpriseID: 7}, false},
			{Actor{Role: RoleObserver, UserID: 50}, false},
			{Actor{Role: RoleSystem}, false},
		}
		for _, tc := range cases {
			n, ev, err := Apply(o, InternalNote, tc.by, Input{Note: "  企业负责人电话已核实 "}, t0)
			if (err == nil) != tc.ok {
				t.Errorf("%s: note by %+v: %v, want ok=%v", s, tc.by, err, tc.ok)
				continue
			}
			if offered := slices.Contains(Allowed(o, tc.by, t0), InternalNote); offered != tc.ok {
				t.Errorf("%s: note offered to %+v: %v, want %v", s, tc.by, offered, tc.ok)
			}
			if err == nil && (!reflect.DeepEqual(n, o) || ev.Note != "企业负责人电话已核实" || ev.From != s || ev.To != s) {
				t.Errorf("%s: a note changed the order or lost its text: %+v %+v", s, n, ev)
			}
		}
	}
}

// A missing input names its field by the request's own name, so a form can mark it.
func TestMissingInputNamesItsField(t *testing.T) {
	t.Parallel()
	li := Actor{Role: RoleLiaison}
	off := Actor{Role: RoleOfficer, UnitID: 3}
	ent := Actor{Role: RoleEnterprise, EnterpriseID: 7}
	cases := []struct {
		name   string
		o      Order
		act    Action
		by     Actor
		in     Input
		fields []string
	}{
		{"dispatch without unit", Order{Status: Accepted}, Dispatch, li, Input{}, []string{"unit_id"}},
		{"return without anything", Order{Status: Dispatched, Unit: 3}, Return, off, Input{}, []string{"return_code", "reason"}},
		{"return without text", Order{Status: Dispatched, Unit: 3}, Return, off, Input{Code: "incomplete"}, []string{"reason"}},
		{"rating without score", Order{Status: FollowUp, EnterpriseID: 7}, Rate, ent, Input{}, []string{"rating"}},
		{"extension without a date", Order{Status: InProgress, Unit: 3, ExtensionLimit: 1}, AskExtension, off, Input{Reason: "材料多"}, []string{"until"}},
		{"escalate without reason", Order{Status: Accepted}, Escalate, li, Input{}, []string{"reason"}},
		{"follow-up half answered", Order{Status: FollowUp}, RecordFollowUp, li, Input{Solved: new(bool)}, []string{"satisfied"}},
		{"message without text", Order{Status: Accepted, EnterpriseID: 7}, Message, ent, Input{}, []string{"note"}},
		{"route without channel", Order{Status: Accepted}, Reroute, li, Input{Reason: "x"}, []string{"channel"}},
		{"classify without type", Order{Status: Accepted}, Classify, li, Input{}, []string{"type"}},
		{"assign without liaison", Order{Status: Accepted}, Assign, li, Input{}, []string{"assignee_id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Apply(tc.o, tc.act, tc.by, tc.in, t0)
			if !errors.Is(err, ErrInput) || !errors.Is(err, errs.Invalid) {
				t.Fatalf("err %v, want ErrInput", err)
			}
			got := errs.FieldsOf(err)
			if len(got) != len(tc.fields) {
				t.Fatalf("fields %v, want %v", got, tc.fields)
			}
			for _, f := range tc.fields {
				if got[f] == "" {
					t.Errorf("field %s not named in %v", f, got)
				}
			}
		})
	}
}

// A clue is reviewed, not handled: dismissing needs a reason, merging another clue or order,
// converting makes it a submitted order (of a corrected type, if given); nothing else moves it.
func TestClueReview(t *testing.T) {
	t.Parallel()
	clue := Order{ID: 5, Status: Clue, Type: TypeIllegalInspection, County: "330302"}
	li := actorFor(RoleLiaison)
	for _, tc := range []struct {
		act  Action
		in   Input
		want Status
		err  error
	}{
		{DismissClue, Input{}, "", ErrInput},
		{DismissClue, Input{Reason: "误报"}, Dismissed, nil},
		{MergeClue, Input{}, "", ErrInput},
		{MergeClue, Input{Target: 5}, "", ErrInput},
		{MergeClue, Input{Target: 6}, Dismissed, nil},
		{ConvertClue, Input{Type: "nope"}, "", ErrInput},
		{ConvertClue, Input{}, Submitted, nil},
		{Accept, Input{}, "", ErrNotAllowed},
		{Escalate, Input{Reason: "x"}, "", ErrNotAllowed},
	} {
		n, _, err := Apply(clue, tc.act, li, tc.in, t0)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s %+v: %v, want %v", tc.act, tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || n.Status != tc.want {
			t.Errorf("%s %+v: %s %v, want %s", tc.act, tc.in, n.Status, err, tc.want)
		}
	}
	if n, _, _ := Apply(clue, ConvertClue, li, Input{Type: TypeMissingCode}, t0); n.Type != TypeMissingCode {
		t.Errorf("converted as %s", n.Type)
	}
	other := li
	other.County = "330381"
	if _, _, err := Apply(clue, DismissClue, other, Input{Reason: "误报"}, t0); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("another county's liaison dismissed the clue: %v", err)
	}
}
