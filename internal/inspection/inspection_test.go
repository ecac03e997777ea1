package inspection_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/errs"
	"qijian/internal/inspection"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

var sh = calendar.Location()

type fx struct {
	*testkit.Fixture
	st  *store.Store
	svc *inspection.Service
	clk *clock.Fake
}

// setup is a fresh database with the demo data on 2026-04-01, a Wednesday morning.
func setup(t *testing.T) *fx {
	t.Parallel()
	f := testkit.NewFixture(t, time.Date(2026, 4, 1, 9, 0, 0, 0, sh))
	return &fx{Fixture: f, st: f.St, svc: f.App.Inspections, clk: f.Clock}
}

func (f *fx) actor(t *testing.T, name string) account.Actor {
	t.Helper()
	return f.Actor(name)
}

// A lawful inspection of ent-b (瑞安, credit B) by the market regulator: notice Monday 04-13,
// inspection Friday 04-17, a listed item, two on-post inspectors.
func lawful(ext string, at time.Time) inspection.Registration {
	notice := calendar.New().AddWorkingDays(at, -4) // NOTICE-1: 3 full working days between
	return inspection.Registration{ExternalID: ext, Kind: "triggered", EnterpriseID: 2, BodyIDs: []uint{1}, ItemIDs: []uint{1}, InspectorIDs: []uint{1, 2},
		ScheduledAt: at, NoticeDeliveredAt: &notice, CrossAreaApproval: ""}
}

func (f *fx) orders(t *testing.T) []store.WorkOrder {
	l, err := f.st.Orders(context.Background(), store.OrderFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLawfulInspectionGetsACodeAndNoClue(t *testing.T) {
	f := setup(t)
	in, created, err := f.svc.Register(context.Background(), f.actor(t, "officer-scj"), lawful("prov-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)))
	if err != nil || !created {
		t.Fatal(err)
	}
	id, _, err := f.svc.Codes.Parse(in.Code)
	if err != nil || id != in.ID {
		t.Fatalf("code %q: %d %v", in.Code, id, err)
	}
	if n := len(f.orders(t)); n != 0 {
		t.Fatalf("a lawful inspection raised %d clues", n)
	}
	// The provincial platform pushes the same inspection again: nothing new.
	again, created, err := f.svc.Register(context.Background(), f.actor(t, "officer-scj"), lawful("prov-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)))
	if err != nil || created || again.ID != in.ID {
		t.Fatalf("repeat push: %v %v %d", err, created, again.ID)
	}
}

// FREQ-1 and NOTICE-1 become clues in the liaisons' queue, once per inspection and rule.
func TestViolationsBecomeCluesOnce(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	for i, d := range []int{3, 10} { // after the plan's publication on 20 February (PLAN-1)
		r := lawful("p"+string(rune('a'+i)), time.Date(2026, 3, d, 9, 0, 0, 0, sh))
		r.Kind = "planned"
		if _, _, err := f.svc.Register(ctx, off, r); err != nil {
			t.Fatal(err)
		}
	}
	third := lawful("p-third", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	third.Kind = "planned"
	late := time.Date(2026, 4, 15, 9, 0, 0, 0, sh) // two working days ahead
	third.NoticeDeliveredAt = &late
	in, _, err := f.svc.Register(ctx, off, third)
	if err != nil {
		t.Fatal(err)
	}
	clues, _ := f.st.Clues(ctx, in.ID)
	got := map[string]bool{}
	for _, c := range clues {
		got[c.Rule] = true
		if c.OrderID == 0 {
			t.Errorf("clue %s has no work order", c.Rule)
		}
	}
	if len(clues) != 2 || !got["FREQ-1"] || !got["NOTICE-1"] {
		t.Fatalf("clues: %+v", clues)
	}
	// The city liaison and 瑞安's county see them; 鹿城's liaison does not.
	for user, want := range map[string]int{"liaison-city": 2, "liaison-lc": 0} {
		a := f.actor(t, user)
		l, _ := f.st.Orders(ctx, store.OrderFilter{All: a.CountyCode == "", CountyCode: a.CountyCode})
		if len(l) != want {
			t.Errorf("%s sees %d clue orders, want %d", user, len(l), want)
		}
	}
	if _, _, err := f.svc.Register(ctx, off, third); err != nil {
		t.Fatal(err)
	}
	if n := len(f.orders(t)); n != 2 {
		t.Fatalf("re-registering raised clues again: %d orders", n)
	}
}

func TestOfficerRegistersOnlyForItsBody(t *testing.T) {
	f := setup(t)
	r := lawful("x", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	r.BodyIDs = []uint{2}
	if _, _, err := f.svc.Register(context.Background(), f.actor(t, "officer-scj"), r); !errors.Is(err, inspection.ErrBodyForbidden) || errs.FieldsOf(err)["body_ids"] == "" {
		t.Fatalf("officer for another body: %v", err)
	}
	if _, _, err := f.svc.Register(context.Background(), f.actor(t, "ent-a"), r); !errors.Is(err, inspection.ErrForbidden) {
		t.Fatalf("an enterprise registers: %v", err)
	}
}

// PLAN-1: a planned inspection by a body whose plan was published after 31 March is a clue.
func TestLatePlanIsAClue(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	p, err := f.st.PlanOf(ctx, 1, 2026)
	if err != nil {
		t.Fatal(err)
	}
	late := time.Date(2026, 4, 2, 9, 0, 0, 0, sh)
	p.PublishedOn = &late
	if err := f.st.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	r := lawful("plan-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	r.Kind = "planned"
	in, _, err := f.svc.Register(ctx, f.actor(t, "officer-scj"), r)
	if err != nil {
		t.Fatal(err)
	}
	clues, _ := f.st.Clues(ctx, in.ID)
	if len(clues) != 1 || clues[0].Rule != "PLAN-1" {
		t.Fatalf("clues: %+v", clues)
	}
}

// SPEC-1: a special inspection is lawful only with its whole approval record.
func TestSpecialInspectionRecord(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	d := time.Date(2026, 3, 1, 0, 0, 0, 0, sh)
	full := &inspection.Special{LegalReviewOn: &d, CollectiveDecisionOn: &d, ApprovedOn: &d, FiledOn: &d, PublishedOn: &d}
	r := lawful("sp-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	r.Kind, r.Special = "special", full
	in, _, err := f.svc.Register(ctx, f.actor(t, "officer-scj"), r)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := f.st.Clues(ctx, in.ID); len(c) != 0 {
		t.Fatalf("complete record: clues %+v", c)
	}
	r = lawful("sp-2", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	r.Kind, r.Special = "special", &inspection.Special{LegalReviewOn: &d, CollectiveDecisionOn: &d, ApprovedOn: &d, PublishedOn: &d}
	in, _, err = f.svc.Register(ctx, f.actor(t, "officer-scj"), r)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := f.st.Clues(ctx, in.ID); len(c) != 1 || c[0].Rule != "SPEC-1" || !strings.Contains(c[0].Evidence, "备案") {
		t.Fatalf("record without filing: clues %+v", c)
	}
}
