package rules

import (
	"slices"
	"testing"
)

// triggered is a complaint-triggered visit of enterprise 7 by body 1 on 2026-04-17, id 200.
func triggered() Inspection {
	in := lawful()
	in.ID, in.Kind = 200, Triggered
	return in
}

// planned is body 1's pending planned task for enterprise 7 later in 2026, id 150.
func planned() Inspection {
	return Inspection{ID: 150, Kind: Planned, Status: Scheduled, EnterpriseID: 7, BodyIDs: []uint{1}, ItemIDs: []uint{20}, ScheduledAt: day(2026, 9, 8, 9)}
}

// FREQ-3 (§2.6 三): which planned tasks a triggered inspection can be merged with, at each edge.
func TestMergeableAtTheBoundaries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(in, p *Inspection)
		want   bool
	}{
		{"pending planned task of the same body and enterprise", func(in, p *Inspection) {}, true},
		{"notified counts as pending", func(in, p *Inspection) { p.Status = Notified }, true},
		{"already under way", func(in, p *Inspection) { p.Status = InProgress }, false},
		{"already done", func(in, p *Inspection) { p.Status = Done }, false},
		{"cancelled", func(in, p *Inspection) { p.Status = Cancelled }, false},
		{"already merged", func(in, p *Inspection) { p.Status = Merged }, false},
		{"another enterprise", func(in, p *Inspection) { p.EnterpriseID = 8 }, false},
		{"another body", func(in, p *Inspection) { p.BodyIDs = []uint{2} }, false},
		{"a joint plan with a body the triggered visit does not bring", func(in, p *Inspection) { p.BodyIDs = []uint{1, 2} }, false},
		{"a triggered visit of two bodies takes one body's plan", func(in, p *Inspection) { in.BodyIDs = []uint{1, 2} }, true},
		{"a special inspection is not a planned task", func(in, p *Inspection) { p.Kind = Special }, false},
		{"only a triggered inspection merges", func(in, p *Inspection) { in.Kind = Requested }, false},
		{"a cancelled triggered inspection merges nothing", func(in, p *Inspection) { in.Status = Cancelled }, false},
		{"planned task overdue but not carried out", func(in, p *Inspection) { p.ScheduledAt = day(2026, 1, 5, 9) }, true},
		{"last day of the plan's year (Wenzhou time)", func(in, p *Inspection) { p.ScheduledAt = day(2026, 12, 31, 23) }, true},
		{"first hour of next year (Wenzhou time) is another plan", func(in, p *Inspection) { p.ScheduledAt = day(2027, 1, 1, 0) }, false},
		{"last year's plan", func(in, p *Inspection) { p.ScheduledAt = day(2025, 12, 31, 23) }, false},
		{"planned task registered after the triggered one", func(in, p *Inspection) { p.ID = 201 }, false},
		{"triggered visit not yet stored (id 0) sees every plan", func(in, p *Inspection) { in.ID, p.ID = 0, 999 }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, p := triggered(), planned()
			tc.change(&in, &p)
			if got := Mergeable(in, p); got != tc.want {
				t.Fatalf("Mergeable = %v, want %v", got, tc.want)
			}
			_, found := MergeCandidate(in, []Inspection{p})
			if found != tc.want {
				t.Fatalf("MergeCandidate found = %v, want %v", found, tc.want)
			}
		})
	}
}

func TestMergeCandidatePicksTheEarliestTask(t *testing.T) {
	t.Parallel()
	in := triggered()
	a, b, c := planned(), planned(), planned()
	a.ID, a.ScheduledAt = 120, day(2026, 10, 1, 9)
	b.ID, b.ScheduledAt = 130, day(2026, 6, 1, 9)
	c.ID, c.ScheduledAt, c.Status = 110, day(2026, 5, 1, 9), Done
	got, ok := MergeCandidate(in, []Inspection{a, b, c})
	if !ok || got.ID != 130 {
		t.Fatalf("candidate %d %v, want 130", got.ID, ok)
	}
	d := b
	d.ID = 125 // same time: the lower id
	if got, _ := MergeCandidate(in, []Inspection{a, b, d}); got.ID != 125 {
		t.Fatalf("tie: %d, want 125", got.ID)
	}
}

// Covering the planned items makes the planned task count as done; otherwise the merged visit
// takes the planned items on, and then covers them.
func TestCoversAndMergedItems(t *testing.T) {
	t.Parallel()
	in, p := triggered(), planned()
	p.ItemIDs = []uint{20, 23}
	if Covers(in, p) {
		t.Fatal("triggered [20] covers planned [20 23]")
	}
	merged := MergedItems(in, p)
	if !slices.Equal(merged, []uint{20, 23}) {
		t.Fatalf("merged items %v", merged)
	}
	in.ItemIDs = merged
	if !Covers(in, p) {
		t.Fatal("after the merge the triggered visit should cover the plan")
	}
	p.ItemIDs = nil
	if !Covers(triggered(), p) {
		t.Fatal("a plan without items is covered by any visit")
	}
	if got := MergedItems(triggered(), p); !slices.Equal(got, []uint{20}) {
		t.Fatalf("nothing to add: %v", got)
	}
}

// Check flags a triggered inspection left apart from a mergeable pending planned task (FREQ-3),
// not one merged (the plan's status is then Merged) and not one whose plan was already carried out.
func TestCheckFlagsAnUnmergedTriggeredInspection(t *testing.T) {
	t.Parallel()
	f := facts(day(2026, 4, 17, 12))
	in := triggered()
	f.Others = []Inspection{planned()}
	if got := rules(Check(in, f)); got != "FREQ-3" {
		t.Fatalf("left apart: %q", got)
	}
	merged := planned()
	merged.Status, merged.MergedInto = Merged, in.ID
	f.Others = []Inspection{merged}
	if got := rules(Check(in, f)); got != "" {
		t.Fatalf("merged: %q", got)
	}
	// The merged planned task itself is never flagged, and no longer counts towards FREQ-1.
	if got := rules(Check(merged, f)); got != "" {
		t.Fatalf("the merged plan: %q", got)
	}
	third := lawful()
	merged.ScheduledAt = day(2026, 3, 1, 9) // before the third, so it would count if it could
	f.Others = []Inspection{other(1, Planned, day(2026, 2, 10, 9)), merged}
	if got := rules(Check(third, f)); got != "" {
		t.Fatalf("a merged plan counted towards FREQ-1: %q", got)
	}
	done := planned()
	done.Status = Done
	f.Others = []Inspection{done}
	if got := rules(Check(in, f)); got != "" {
		t.Fatalf("plan already carried out: %q", got)
	}
}
