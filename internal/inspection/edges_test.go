package inspection_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/inspection"
	"qijian/internal/store"
)

func truth(b bool) *bool { return &b }

// clue is the inspection's clue of rule, or nil.
func (f *fx) clue(t *testing.T, id uint64, rule string) *store.Clue {
	t.Helper()
	cs, err := f.st.Clues(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cs {
		if cs[i].Rule == rule {
			return &cs[i]
		}
	}
	return nil
}

// holds tells whether the inspection has a clue of rule that holds (raised, not withdrawn).
func (f *fx) holds(t *testing.T, id uint64, rule string) bool {
	t.Helper()
	c := f.clue(t, id, rule)
	return c != nil && c.WithdrawnAt == nil
}

// CODE-1 follows the latest answer both ways: no answer is not a "no"; a "no" raises the clue;
// corrected to "yes", the clue is withdrawn, its order's timeline says so and its deadlines stop.
func TestCodeShownClueFollowsTheRating(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	in, _, err := f.svc.Register(ctx, f.actor(t, "officer-scj"), lawful("rate-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)))
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(time.Date(2026, 4, 17, 15, 0, 0, 0, sh))
	ent := f.actor(t, "ent-b")
	if err := f.svc.Rate(ctx, ent, in.ID, inspection.RatingInput{Score: 4}); err != nil {
		t.Fatal(err)
	}
	if c := f.clue(t, in.ID, "CODE-1"); c != nil {
		t.Fatalf("a rating without code_shown raised %+v", c)
	}
	if err := f.svc.Rate(ctx, ent, in.ID, inspection.RatingInput{Score: 2, CodeShown: truth(false)}); err != nil {
		t.Fatal(err)
	}
	c := f.clue(t, in.ID, "CODE-1")
	if c == nil || c.WithdrawnAt != nil || c.OrderID == 0 {
		t.Fatalf("code not shown: clue %+v", c)
	}
	if err := f.svc.Rate(ctx, ent, in.ID, inspection.RatingInput{Score: 4, CodeShown: truth(true)}); err != nil {
		t.Fatal(err)
	}
	c = f.clue(t, in.ID, "CODE-1")
	if c == nil || c.WithdrawnAt == nil || c.WithdrawnReason == "" {
		t.Fatalf("corrected to shown: clue %+v, want withdrawn", c)
	}
	evs, _ := f.st.OrderEvents(ctx, c.OrderID)
	if len(evs) == 0 || evs[len(evs)-1].Action != grievance.ActionClueWithdrawn {
		t.Fatalf("the clue's order does not say it was withdrawn: %+v", evs)
	}
	if open, _ := f.st.OpenDeadlines(ctx, c.OrderID); len(open) != 0 {
		t.Fatalf("a withdrawn clue's order keeps %d deadlines running", len(open))
	}
	// Back to "no": the clue holds again, with an order of its own.
	if err := f.svc.Rate(ctx, ent, in.ID, inspection.RatingInput{Score: 2, CodeShown: truth(false)}); err != nil {
		t.Fatal(err)
	}
	if again := f.clue(t, in.ID, "CODE-1"); again.WithdrawnAt != nil || again.OrderID == c.OrderID {
		t.Fatalf("raised again: %+v", again)
	}
}

// SUBJ-2 from the rating: the credential not shown is a clue; unanswered is not.
func TestCredentialNotShownIsAClue(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	in, _, err := f.svc.Register(ctx, f.actor(t, "officer-scj"), lawful("cred-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)))
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(time.Date(2026, 4, 17, 15, 0, 0, 0, sh))
	if err := f.svc.Rate(ctx, f.actor(t, "ent-b"), in.ID, inspection.RatingInput{Score: 3, CodeShown: truth(true)}); err != nil || f.clue(t, in.ID, "SUBJ-2") != nil {
		t.Fatalf("unanswered credential question: %v %+v", err, f.clue(t, in.ID, "SUBJ-2"))
	}
	if err := f.svc.Rate(ctx, f.actor(t, "ent-b"), in.ID, inspection.RatingInput{Score: 3, CodeShown: truth(true), CredentialShown: truth(false)}); err != nil || !f.holds(t, in.ID, "SUBJ-2") {
		t.Fatalf("credential not shown: %v %+v", err, f.clue(t, in.ID, "SUBJ-2"))
	}
}

// A clue is withdrawn when its inspection is cancelled.
func TestCancellingWithdrawsTheClues(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	r := lawful("late-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	late := time.Date(2026, 4, 15, 9, 0, 0, 0, sh) // the latest delivery day was 04-14
	r.NoticeDeliveredAt = &late
	in, _, err := f.svc.Register(ctx, f.actor(t, "officer-scj"), r)
	if err != nil || !f.holds(t, in.ID, "NOTICE-1") {
		t.Fatalf("late notice: %v %+v", err, f.clue(t, in.ID, "NOTICE-1"))
	}
	if err := f.svc.SetStatus(ctx, f.actor(t, "officer-scj"), in.ID, "cancelled"); err != nil {
		t.Fatal(err)
	}
	if c := f.clue(t, in.ID, "NOTICE-1"); c.WithdrawnAt == nil || c.WithdrawnReason != "检查已撤销" {
		t.Fatalf("cancelled: clue %+v", c)
	}
}

// FREQ-1 is re-checked for every inspection a registration affects: one on 12-11 becomes the
// year's third when two earlier ones are registered after it, and falls back when one goes.
func TestFrequencyRecheckedForLaterInspections(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	reg := func(ext string, m time.Month, d int) uint64 {
		r := lawful(ext, time.Date(2026, m, d, 9, 0, 0, 0, sh))
		r.Kind = "joint"
		in, _, err := f.svc.Register(ctx, off, r)
		if err != nil {
			t.Fatal(err)
		}
		return in.ID
	}
	dec := reg("dec", 12, 11)
	jun := reg("jun", 6, 10)
	if f.clue(t, dec, "FREQ-1") != nil || f.clue(t, jun, "FREQ-1") != nil {
		t.Fatal("two a year are within the cap")
	}
	may := reg("may", 5, 12)
	if !f.holds(t, dec, "FREQ-1") {
		t.Fatalf("12-11 is now the year's third: %+v", f.clue(t, dec, "FREQ-1"))
	}
	if f.clue(t, may, "FREQ-1") != nil || f.clue(t, jun, "FREQ-1") != nil {
		t.Fatal("the first two of the year are within the cap")
	}
	if err := f.svc.SetStatus(ctx, off, may, "cancelled"); err != nil {
		t.Fatal(err)
	}
	if c := f.clue(t, dec, "FREQ-1"); c == nil || c.WithdrawnAt == nil {
		t.Fatalf("back under the cap: %+v, want withdrawn", c)
	}
}

// The third inspection of the year passes with a complete approval record, and is flagged
// without one or with one part missing (refused at registration).
func TestThirdInspectionWithApproval(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	for i, d := range []int{10, 20} {
		r := lawful("pre"+string(rune('a'+i)), time.Date(2026, 2, d, 9, 0, 0, 0, sh))
		r.Kind = "joint"
		if _, _, err := f.svc.Register(ctx, off, r); err != nil {
			t.Fatal(err)
		}
	}
	on := time.Date(2026, 4, 10, 0, 0, 0, 0, sh)
	r := lawful("third-ok", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	r.Kind, r.FrequencyApprover, r.FrequencyApprovalNo, r.FrequencyApprovedOn = "joint", "温州市人民政府", "温政办〔2026〕12号", &on
	in, _, err := f.svc.Register(ctx, off, r)
	if err != nil || f.clue(t, in.ID, "FREQ-1") != nil {
		t.Fatalf("third with approval: %v %+v", err, f.clue(t, in.ID, "FREQ-1"))
	}
	r.ExternalID, r.FrequencyApprover = "third-half", ""
	if _, _, err := f.svc.Register(ctx, off, r); errs.FieldsOf(err)["frequency_approver"] == "" {
		t.Fatalf("approval without its approver: %v", err)
	}
}

// A notice withheld by law needs its basis; the enterprise's own signing is a delivery.
func TestWithheldNeedsABasisAndSigningIsDelivery(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	r := lawful("wh-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	r.NoticeDeliveredAt, r.NoticeWithheld = nil, true
	if _, _, err := f.svc.Register(ctx, off, r); errs.FieldsOf(err)["notice_withheld_basis"] == "" {
		t.Fatalf("withheld without a basis: %v", err)
	}
	r.NoticeWithheldBasis = "《中华人民共和国安全生产法》第六十五条"
	in, _, err := f.svc.Register(ctx, off, r)
	if err != nil || f.clue(t, in.ID, "NOTICE-1") != nil {
		t.Fatalf("withheld with its basis: %v %+v", err, f.clue(t, in.ID, "NOTICE-1"))
	}
	// No notice recorded; ent-b signs for it in the portal on Tuesday 04-14, the latest day.
	r = lawful("ack-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	r.NoticeDeliveredAt = nil
	ack, _, err := f.svc.Register(ctx, off, r)
	if err != nil {
		t.Fatal(err)
	}
	r.ExternalID = "ack-none"
	none, _, err := f.svc.Register(ctx, off, r)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(time.Date(2026, 4, 14, 22, 0, 0, 0, sh))
	if err := f.svc.Acknowledge(ctx, f.actor(t, "ent-b"), ack.ID); err != nil {
		t.Fatal(err)
	}
	f.clk.Set(time.Date(2026, 4, 17, 9, 0, 0, 0, sh))
	for _, id := range []uint64{ack.ID, none.ID} {
		if err := f.svc.SetStatus(ctx, off, id, "in_progress"); err != nil {
			t.Fatal(err)
		}
	}
	if c := f.clue(t, ack.ID, "NOTICE-1"); c != nil {
		t.Fatalf("signed for on the latest day: %+v", c)
	}
	if !f.holds(t, none.ID, "NOTICE-1") {
		t.Fatal("never delivered: no clue")
	}
}

// FREQ-3: with two planned tasks pending, the triggered visit merges both and raises nothing.
func TestTriggeredVisitMergesEveryPendingTask(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	var plans []uint64
	for i, m := range []time.Month{9, 11} {
		p := lawful("plan"+string(rune('a'+i)), time.Date(2026, m, 8, 9, 0, 0, 0, sh))
		p.Kind, p.ItemIDs, p.NoticeDeliveredAt = "planned", []uint{uint(2 + i)}, nil
		in, _, err := f.svc.Register(ctx, off, p)
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, in.ID)
	}
	in, _, err := f.svc.Register(ctx, off, lawful("complaint", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.ItemIDs, []uint{1, 2, 3}) {
		t.Fatalf("the visit carries %v, want both tasks' items", in.ItemIDs)
	}
	for _, id := range plans {
		if got, _ := f.st.InspectionByID(ctx, id); got.Status != "merged" || *got.MergedInto != in.ID {
			t.Fatalf("task %d: %s", id, got.Status)
		}
	}
	if c := f.clue(t, in.ID, "FREQ-3"); c != nil {
		t.Fatalf("false clue: %+v", c)
	}
}

// A notice never delivered is a clue once its latest day has ended, found by the sweep without
// waiting for the inspection to move on; not the day before.
func TestSweepFindsNoticesNotDelivered(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	r := lawful("sweep", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)) // latest delivery day Tuesday 04-14
	r.NoticeDeliveredAt = nil
	in, _, err := f.svc.Register(ctx, f.actor(t, "officer-scj"), r)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Set(time.Date(2026, 4, 14, 23, 59, 0, 0, sh))
	if n, err := f.svc.SweepNotices(ctx); err != nil || n != 0 || f.clue(t, in.ID, "NOTICE-1") != nil {
		t.Fatalf("on the latest day: %d %v %+v", n, err, f.clue(t, in.ID, "NOTICE-1"))
	}
	f.clk.Set(time.Date(2026, 4, 15, 0, 0, 0, 0, sh))
	if n, err := f.svc.SweepNotices(ctx); err != nil || n != 1 || !f.holds(t, in.ID, "NOTICE-1") {
		t.Fatalf("the day after: %d %v", n, err)
	}
	if _, err := f.svc.SweepNotices(ctx); err != nil || len(f.orders(t)) != 1 {
		t.Fatalf("a second sweep: %v, %d orders", err, len(f.orders(t)))
	}
}

// A credential "valid until 2026-07-15" as the officer enters it is valid all of the 15th
// (Wenzhou date) and invalid on the 16th; the verify page agrees with the check.
func TestCredentialValidThroughItsLastDay(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	p, err := f.svc.SaveInspector(ctx, off, 1, inspection.InspectorInput{Name: "林立", CredentialNo: "浙A33030099999", ValidFrom: "2024-01-01", ValidTo: "2026-07-15", Staff: "on_post"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ext  string
		at   time.Time
		want bool // SUBJ-2 broken
	}{
		{"on-15th-late", time.Date(2026, 7, 15, 23, 30, 0, 0, sh), false},
		{"on-16th", time.Date(2026, 7, 16, 8, 30, 0, 0, sh), true},
	} {
		r := lawful(tc.ext, tc.at)
		r.InspectorIDs = []uint{1, p.ID}
		in, _, err := f.svc.Register(ctx, off, r)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.clue(t, in.ID, "SUBJ-2") != nil; got != tc.want {
			t.Errorf("%s: SUBJ-2 %v, want %v (%+v)", tc.ext, got, tc.want, f.clue(t, in.ID, "SUBJ-2"))
		}
		v, err := f.svc.Verify(ctx, account.Actor{}, in.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, vi := range v.Inspectors {
			if vi.Name == "林立" && (vi.Valid == tc.want || vi.ValidTo != "2026-07-15") {
				t.Errorf("%s: verify page shows %+v", tc.ext, vi)
			}
		}
	}
}
