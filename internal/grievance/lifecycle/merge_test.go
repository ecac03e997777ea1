package lifecycle

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// A duplicate merges into another order only, by a liaison of its county; a main order is never
// merged away; a split needs a reason and sends the order back to be dispatched.
func TestMergeAndSplitRules(t *testing.T) {
	t.Parallel()
	li := Actor{Role: RoleLiaison, County: "330302"}
	o := Order{ID: 2, Status: InProgress, County: "330302", Unit: 3, PausedAt: &t0, CoHandlers: []CoHandler{{Unit: 4}}}
	if _, _, err := Apply(o, Merge, li, Input{Order: 2}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("merging into itself: %v", err)
	}
	if _, _, err := Apply(o, Merge, Actor{Role: RoleLiaison, County: "330381"}, Input{Order: 1}, t0); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("another county's liaison merges: %v", err)
	}
	if _, _, err := Apply(Order{ID: 1, Status: InProgress, MergedCount: 1}, Merge, li, Input{Order: 2}, t0); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a main order merged away: %v", err)
	}
	n, ev, err := Apply(o, Merge, li, Input{Order: 1, Reason: "同一检查"}, t0)
	if err != nil || n.Status != Merged || n.MergedInto != 1 || n.PausedAt != nil || len(n.CoHandlers) != 0 || ev.Note != "同一检查" {
		t.Fatalf("merged: %+v %+v %v", n, ev, err)
	}
	if got := Allowed(n, li, t0); !slices.Equal(got, []Action{InternalNote, Split}) {
		t.Fatalf("a merged order offers %v, want a note or split only", got)
	}
	if _, _, err := Apply(n, Split, li, Input{}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("split without a reason: %v", err)
	}
	s, _, err := Apply(n, Split, li, Input{Reason: "不是同一事项"}, t0)
	if err != nil || s.Status != Accepted || s.MergedInto != 0 || s.Unit != 0 {
		t.Fatalf("split: %+v %v", s, err)
	}
}

// The lead's reply waits for every co-handler's part, or its deadline; only the co-handler's own
// officer posts its part, once; the lead cannot post one, nor a co-handler reply for the lead.
func TestCohandlersGateTheLeadsReply(t *testing.T) {
	t.Parallel()
	li := Actor{Role: RoleLiaison}
	lead := Actor{Role: RoleOfficer, UnitID: 3}
	co := Actor{Role: RoleOfficer, UnitID: 4}
	due := t0.Add(48 * time.Hour)
	o := Order{ID: 1, Status: InProgress, Unit: 3}
	if _, _, err := Apply(o, AddCohandler, li, Input{Unit: 3}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("the lead as its own co-handler: %v", err)
	}
	if _, _, err := Apply(o, AddCohandler, li, Input{Unit: 4, Until: t0}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("a co-handler deadline already past: %v", err)
	}
	o, _, err := Apply(o, AddCohandler, li, Input{Unit: 4, Until: due}, t0)
	if err != nil || len(o.CoHandlers) != 1 {
		t.Fatalf("added: %+v %v", o, err)
	}
	if _, _, err := Apply(o, AddCohandler, li, Input{Unit: 4}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("the same co-handler twice: %v", err)
	}
	if _, _, err := Apply(o, Transfer, li, Input{Unit: 4, Reason: "改派"}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("a transfer to a co-handler: %v", err)
	}
	for _, by := range []Actor{lead, li} {
		if _, _, err := Apply(o, Reply, by, Input{Note: "答复"}, t0); !errors.Is(err, ErrNotAllowed) || slices.Contains(Allowed(o, by, t0), Reply) {
			t.Fatalf("reply by %s before the co-handler's part: %v", by.Role, err)
		}
	}
	if _, _, err := Apply(o, CohandlerReply, lead, Input{Note: "x"}, t0); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("the lead posts a co-handler's part: %v", err)
	}
	if got := Allowed(o, co, t0); !slices.Equal(got, []Action{CohandlerReply}) {
		t.Fatalf("the co-handler is offered %v, want its part only", got)
	}
	for _, a := range []Action{Reply, Start, Message, Return, AskExtension} {
		if _, _, err := Apply(o, a, co, inputFor(a), t0); !errors.Is(err, ErrNotAllowed) {
			t.Fatalf("the co-handler %s: %v", a, err)
		}
	}
	// Past the co-handler's deadline the lead may reply without its part.
	if _, _, err := Apply(o, Reply, lead, Input{Note: "答复"}, due); err != nil {
		t.Fatalf("reply once the co-handler's deadline passed: %v", err)
	}
	if _, _, err := Apply(o, CohandlerReply, co, Input{}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("an empty part: %v", err)
	}
	o, _, err = Apply(o, CohandlerReply, co, Input{Note: "协办意见"}, t0)
	if err != nil || !o.CoHandlers[0].Answered {
		t.Fatalf("part: %+v %v", o, err)
	}
	if _, _, err := Apply(o, CohandlerReply, co, Input{Note: "again"}, t0); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a second part: %v", err)
	}
	if _, _, err := Apply(o, Reply, lead, Input{Note: "答复"}, t0); err != nil {
		t.Fatalf("reply with every part in: %v", err)
	}
	if _, _, err := Apply(o, RemoveCohandler, li, Input{Unit: 9}, t0); !errors.Is(err, ErrInput) {
		t.Fatalf("removing a unit that is no co-handler: %v", err)
	}
	if n, _, err := Apply(o, RemoveCohandler, li, Input{Unit: 4}, t0); err != nil || len(n.CoHandlers) != 0 {
		t.Fatalf("removed: %+v %v", n, err)
	}
	if u, ok := CohandleUnit(string(CohandleStage(42))); !ok || u != 42 || PolicyStage("cohandle:42") != StageCohandle {
		t.Fatal("co-handler stage names do not round-trip")
	}
}
