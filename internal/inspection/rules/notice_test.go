package rules

import (
	"testing"
	"time"

	"qijian/internal/calendar"
)

// NOTICE-1's verdicts at their edges: Thursday 2026-03-05's latest delivery day is Monday 03-02.
func TestNoticeVerdicts(t *testing.T) {
	t.Parallel()
	cal := calendar.New()
	thu := day(2026, 3, 5, 9)
	base := Inspection{ID: 1, Kind: Planned, Status: Scheduled, ScheduledAt: thu}
	cases := []struct {
		name   string
		change func(*Inspection)
		now    time.Time
		want   NoticeState
	}{
		{"delivered Monday 23:00: on time", func(i *Inspection) { i.NoticeDeliveredAt = ptr(day(2026, 3, 2, 23)) }, thu, NoticeOnTime},
		{"delivered Friday before: on time", func(i *Inspection) { i.NoticeDeliveredAt = ptr(day(2026, 2, 27, 10)) }, thu, NoticeOnTime},
		{"delivered Tuesday: late", func(i *Inspection) { i.NoticeDeliveredAt = ptr(day(2026, 3, 3, 8)) }, thu, NoticeLate},
		{"triggered visits are held to it too", func(i *Inspection) { i.Kind, i.NoticeDeliveredAt = Triggered, ptr(day(2026, 3, 3, 8)) }, thu, NoticeLate},
		{"signed for in the portal Monday, recorded Tuesday: on time", func(i *Inspection) {
			i.NoticeDeliveredAt, i.NoticeAckAt = ptr(day(2026, 3, 3, 8)), ptr(day(2026, 3, 2, 16))
		}, thu, NoticeOnTime},
		{"only signed for in the portal, on Monday: on time", func(i *Inspection) { i.NoticeAckAt = ptr(day(2026, 3, 2, 16)) }, thu, NoticeOnTime},
		{"nothing yet, Monday evening: not yet due", func(i *Inspection) {}, day(2026, 3, 2, 23), NoticeNotYetDue},
		{"nothing, Tuesday 00:00: not delivered", func(i *Inspection) {}, time.Date(2026, 3, 3, 0, 0, 0, 0, sh), NoticeMissing},
		{"withheld by law", func(i *Inspection) { i.NoticeWithheld, i.NoticeBasis = true, "《安全生产法》第六十五条" }, thu, NoticeWithheld},
		{"cancelled: no verdict", func(i *Inspection) { i.Status = Cancelled }, thu, NoticeNone},
		{"merged: no verdict of its own", func(i *Inspection) { i.Status, i.MergedInto = Merged, 2 }, thu, NoticeNone},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.change(&in)
			v := Notice(in, cal, tc.now)
			if v.State != tc.want {
				t.Fatalf("verdict %q, want %q", v.State, tc.want)
			}
			if tc.want != NoticeWithheld && tc.want != NoticeNone && v.Latest != calendar.NewDate(2026, 3, 2) {
				t.Fatalf("latest delivery day %v, want 2026-03-02", v.Latest)
			}
			if tc.want == NoticeWithheld && v.Basis == "" {
				t.Fatal("a withheld notice names its basis")
			}
		})
	}
}
