package rules

import (
	"cmp"
	"slices"

	"qijian/internal/calendar"
)

// FREQ-3, second half (seed §2.6 三): 触发式现场检查内容能够与尚未执行的计划检查任务合并实施的，
// 原则上应当合并实施；触发式现场检查内容能够覆盖计划检查内容的，可视为已完成本次计划检查任务。

// Pending reports whether a planned task has not been carried out yet.
func Pending(x Inspection) bool { return x.Status == Scheduled || x.Status == Notified }

// Mergeable reports whether the planned task p can be carried out by the triggered inspection
// in: the same enterprise, a planned task of the same calendar year (the annual plan) not yet
// carried out, registered before in, and every body of p among in's, so one visit does all of p.
func Mergeable(in, p Inspection) bool {
	if in.Kind != Triggered || in.Status == Cancelled || p.Kind != Planned || !Pending(p) || p.ID == in.ID {
		return false
	}
	if p.EnterpriseID != in.EnterpriseID || len(p.BodyIDs) == 0 {
		return false
	}
	if in.ID != 0 && p.ID > in.ID {
		return false // planned after the triggered one was registered: nothing was there to merge with
	}
	loc := calendar.Location()
	if p.ScheduledAt.In(loc).Year() != in.ScheduledAt.In(loc).Year() {
		return false
	}
	for _, b := range p.BodyIDs {
		if !slices.Contains(in.BodyIDs, b) {
			return false
		}
	}
	return true
}

// MergeCandidate returns the pending planned task in should be merged with: of those Mergeable,
// the one scheduled first (then the lowest id).
func MergeCandidate(in Inspection, others []Inspection) (Inspection, bool) {
	var best Inspection
	found := false
	for _, x := range others {
		if !Mergeable(in, x) {
			continue
		}
		if !found || x.ScheduledAt.Before(best.ScheduledAt) || (x.ScheduledAt.Equal(best.ScheduledAt) && x.ID < best.ID) {
			best, found = x, true
		}
	}
	return best, found
}

// MergeCandidates lists every pending planned task in can carry out, scheduled first first (then
// the lowest id): all of them are merged, not only the first.
func MergeCandidates(in Inspection, others []Inspection) []Inspection {
	var out []Inspection
	for _, x := range others {
		if Mergeable(in, x) {
			out = append(out, x)
		}
	}
	slices.SortStableFunc(out, func(a, b Inspection) int {
		if c := a.ScheduledAt.Compare(b.ScheduledAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// Covers reports whether the triggered inspection's items include every item of the planned
// task, so the planned task counts as done as it is.
func Covers(in, p Inspection) bool {
	for _, id := range p.ItemIDs {
		if !slices.Contains(in.ItemIDs, id) {
			return false
		}
	}
	return true
}

// MergedItems is what the triggered inspection carries once it takes over the planned task: its
// own items, then the planned task's it lacks, in order. It then covers the planned task.
func MergedItems(in, p Inspection) []uint {
	out := slices.Clone(in.ItemIDs)
	for _, id := range p.ItemIDs {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
