package calendar

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// at builds an Asia/Shanghai instant.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Location())
}

func day(y int, m time.Month, d int) time.Time { return at(y, m, d, 10, 0) }

func TestLocation(t *testing.T) {
	t.Parallel()
	if got := Location().String(); got != "Asia/Shanghai" {
		t.Fatalf("Location() = %q, want Asia/Shanghai", got)
	}
}

// Facts below were printed from lunar-go v1.4.7 before being written down.
func TestIsWorkingDay(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"plain Wednesday", day(2026, 3, 4), true},
		{"plain Saturday", day(2026, 3, 7), false},
		{"plain Sunday", day(2026, 3, 8), false},

		{"2025 spring: Sun Jan 26 adjusted working", day(2025, 1, 26), true},
		{"2025 spring: Mon Jan 27 ordinary working", day(2025, 1, 27), true},
		{"2025 spring: Tue Jan 28 off", day(2025, 1, 28), false},
		{"2025 spring: Tue Feb 4 off", day(2025, 2, 4), false},
		{"2025 spring: Wed Feb 5 back to work", day(2025, 2, 5), true},
		{"2025 spring: Sat Feb 8 adjusted working", day(2025, 2, 8), true},
		{"2025 spring: Sun Feb 9 off", day(2025, 2, 9), false},

		{"2025 national: Sun Sep 28 adjusted working", day(2025, 9, 28), true},
		{"2025 national: Tue Sep 30 working", day(2025, 9, 30), true},
		{"2025 national: Wed Oct 8 off", day(2025, 10, 8), false},
		{"2025 national: Thu Oct 9 working", day(2025, 10, 9), true},
		{"2025 national: Sat Oct 11 adjusted working", day(2025, 10, 11), true},
		{"2025 national: Sun Oct 12 off", day(2025, 10, 12), false},

		{"2026 new year: Sun Jan 4 adjusted working", day(2026, 1, 4), true},
		{"2026 spring: Fri Feb 13 working", day(2026, 2, 13), true},
		{"2026 spring: Sat Feb 14 adjusted working", day(2026, 2, 14), true},
		{"2026 spring: Sun Feb 15 off", day(2026, 2, 15), false},
		{"2026 spring: Mon Feb 16 off", day(2026, 2, 16), false},
		{"2026 spring: Sat Feb 21 off", day(2026, 2, 21), false},
		{"2026 spring: Mon Feb 23 off", day(2026, 2, 23), false},
		{"2026 spring: Tue Feb 24 back to work", day(2026, 2, 24), true},
		{"2026 spring: Sat Feb 28 adjusted working", day(2026, 2, 28), true},

		{"2026 national: Sun Sep 20 adjusted working", day(2026, 9, 20), true},
		{"2026 national: Wed Sep 30 working", day(2026, 9, 30), true},
		{"2026 national: Wed Oct 7 off", day(2026, 10, 7), false},
		// The official 2026 notice (and the library) give Oct 1–7 only.
		{"2026 national: Thu Oct 8 working", day(2026, 10, 8), true},
		{"2026 national: Sat Oct 10 adjusted working", day(2026, 10, 10), true},
		{"2026 national: Sun Oct 11 off", day(2026, 10, 11), false},

		{"2027 spring: Sun Jan 31 adjusted working", day(2027, 1, 31), true},
		{"2027 spring: Thu Feb 4 working", day(2027, 2, 4), true},
		{"2027 spring: Fri Feb 5 off", day(2027, 2, 5), false},
		{"2027 spring: Wed Feb 10 off", day(2027, 2, 10), false},
		{"2027 spring: Sat Feb 13 off", day(2027, 2, 13), false},
		{"2027 spring: Sun Feb 14 adjusted working", day(2027, 2, 14), true},

		// The date is taken in Asia/Shanghai, not in the value's own zone.
		{"UTC 16:30 Fri is Shanghai Sat Feb 14 00:30", time.Date(2026, 2, 13, 16, 30, 0, 0, time.UTC), true},
		{"UTC 16:00 Sat is Shanghai Sun Feb 15 00:00", time.Date(2026, 2, 14, 16, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.t); got != tt.want {
				t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}
}

func TestHolidayBlocksAreOff(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct {
		name       string
		first      Date
		days       int
		wantAllOff bool
	}{
		{"2025 spring festival Jan 28–Feb 4", Date{2025, 1, 28}, 8, true},
		{"2025 national day Oct 1–8", Date{2025, 10, 1}, 8, true},
		{"2026 spring festival Feb 15–23", Date{2026, 2, 15}, 9, true},
		{"2026 national day Oct 1–7", Date{2026, 10, 1}, 7, true},
		{"2027 spring festival Feb 5–13", Date{2027, 2, 5}, 9, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.days {
				d := tt.first.AddDays(i)
				if c.IsWorkingDate(d) {
					t.Errorf("%v (%v) is a working day, want off", d, d.Weekday())
				}
			}
		})
	}
}

func TestHolidayName(t *testing.T) {
	t.Parallel()
	c := New(Override{Date: Date{2026, 3, 4}, Working: false, Name: "台风停工"})
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"2026 adjusted Saturday", day(2026, 2, 14), "春节调休"},
		{"2026 spring festival day", day(2026, 2, 17), "春节"},
		{"2025 combined national/mid-autumn", day(2025, 10, 3), "国庆中秋"},
		{"2026 national day", day(2026, 10, 1), "国庆节"},
		{"ordinary day", day(2026, 3, 5), ""},
		{"override name wins", day(2026, 3, 4), "台风停工"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.HolidayName(tt.t); got != tt.want {
				t.Errorf("HolidayName(%v) = %q, want %q", tt.t, got, tt.want)
			}
		})
	}
}

// The per-year cache must agree with the library's per-day API.
func TestLibraryCacheMatchesGetHoliday(t *testing.T) {
	t.Parallel()
	for d := (Date{2001, 1, 1}); d.Year <= 2028; d = d.AddDays(1) {
		h := HolidayUtil.GetHoliday(d.String())
		got, ok := libYear(d.Year)[d]
		if (h != nil) != ok {
			t.Fatalf("%v: library has holiday=%v, cache has %v", d, h != nil, ok)
		}
		if ok && (got.work != h.IsWork() || got.name != h.GetName()) {
			t.Fatalf("%v: cache %+v, library %v", d, got, h)
		}
	}
	if s := HolidayUtil.GetHoliday("2026-02-14").String(); s != "2026-02-14 春节调休 2026-02-17" {
		t.Errorf("library 2026-02-14 = %q", s)
	}
}

func TestHasHolidayData(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		year int
		want bool
	}{{2025, true}, {2026, true}, {2027, true}, {1999, false}, {2100, false}} {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			if got := HasHolidayData(tt.year); got != tt.want {
				t.Errorf("HasHolidayData(%d) = %v, want %v", tt.year, got, tt.want)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	c := New(
		Override{Date: Date{2026, 3, 4}, Working: false, Name: "台风停工"},        // Wednesday off
		Override{Date: Date{2026, 3, 7}, Working: true, Name: "专项检查补班"},       // Saturday on
		Override{Date: Date{2026, 2, 14}, Working: false, Name: "本地不调休"},      // beats the library
		Override{Date: Date{2026, 2, 32}, Working: false, Name: "normalized"}, // = Mar 4; later entry wins
	)
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"weekday turned off", day(2026, 3, 4), false},
		{"Saturday turned on", day(2026, 3, 7), true},
		{"override beats library adjusted day", day(2026, 2, 14), false},
		{"normalized Feb 32 = Mar 4 still off", day(2026, 3, 4), false},
		{"untouched neighbour Thursday", day(2026, 3, 5), true},
		{"untouched Sunday", day(2026, 3, 8), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkingDay(tt.t); got != tt.want {
				t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}

	t.Run("overrides change day arithmetic", func(t *testing.T) {
		// Tue Mar 3 +1: Wed is off, so Thu; +3: Thu, Fri, Sat(on).
		if got, want := c.AddWorkingDays(at(2026, 3, 3, 9, 0), 1), at(2026, 3, 5, 9, 0); !got.Equal(want) {
			t.Errorf("+1 = %v, want %v", got, want)
		}
		if got, want := c.AddWorkingDays(at(2026, 3, 3, 9, 0), 3), at(2026, 3, 7, 9, 0); !got.Equal(want) {
			t.Errorf("+3 = %v, want %v", got, want)
		}
	})

	t.Run("Overrides lists sorted, normalized, last wins", func(t *testing.T) {
		got := c.Overrides()
		if len(got) != 3 || got[0].Date != (Date{2026, 2, 14}) || got[1].Date != (Date{2026, 3, 4}) || got[1].Name != "normalized" {
			t.Errorf("Overrides() = %+v", got)
		}
	})

	t.Run("SetOverrides(nil) restores library", func(t *testing.T) {
		c2 := New(Override{Date: Date{2026, 2, 14}, Working: false})
		c2.SetOverrides(nil)
		if !c2.IsWorkingDay(day(2026, 2, 14)) {
			t.Error("2026-02-14 should be working again after clearing overrides")
		}
	})
}

func TestZeroValueCalendar(t *testing.T) {
	t.Parallel()
	var c Calendar
	if !c.IsWorkingDay(day(2026, 2, 14)) || c.IsWorkingDay(day(2026, 2, 16)) {
		t.Error("zero Calendar should use library data")
	}
	if got, want := c.AddWorkingHours(at(2026, 3, 2, 11, 0), 2*time.Hour), at(2026, 3, 2, 14, 30); !got.Equal(want) {
		t.Errorf("zero Calendar AddWorkingHours = %v, want %v", got, want)
	}
}

// Overrides replaced while others read are seen whole: each reader's computation uses one set,
// never half of the old and half of the new, and the last set stands once the writers are done.
func TestSetOverridesConcurrent(t *testing.T) {
	t.Parallel()
	c := New()
	// Writers switch Wednesday 3-4 and Thursday 3-5 together, both working or both not. Five
	// working days after Monday 3-2 are then 3-9 or 3-11; a torn set (one of the two) gives 3-10.
	set := func(working bool) {
		c.SetOverrides([]Override{{Date: Date{2026, 3, 4}, Working: working}, {Date: Date{2026, 3, 5}, Working: working}})
	}
	set(true)
	both, neither := at(2026, 3, 9, 9, 0), at(2026, 3, 11, 9, 0)
	var wg sync.WaitGroup
	var torn atomic.Int64
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				if i%2 == 0 {
					set(j%2 == 0)
					continue
				}
				if got := c.AddWorkingDays(at(2026, 3, 2, 9, 0), 5); !got.Equal(both) && !got.Equal(neither) {
					torn.Add(1)
				}
				if o := c.Overrides(); len(o) != 2 || o[0].Working != o[1].Working {
					torn.Add(1)
				}
				if n := c.WorkingDaysBetween(day(2026, 3, 3), day(2026, 3, 5)); n != 0 && n != 2 {
					torn.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := torn.Load(); n != 0 {
		t.Fatalf("%d reads saw a mix of two override sets", n)
	}
	// Every writer's last set (j = 199) made both days days off.
	if c.IsWorkingDay(day(2026, 3, 4)) || c.IsWorkingDay(day(2026, 3, 5)) {
		t.Fatal("the last override set does not stand")
	}
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct {
		name string
		t    time.Time
		n    int
		want time.Time
	}{
		{"zero returns input", at(2026, 2, 15, 7, 5), 0, at(2026, 2, 15, 7, 5)},
		{"plain Friday +1 skips weekend", at(2026, 3, 6, 9, 0), 1, at(2026, 3, 9, 9, 0)},
		{"plain Monday -1 skips weekend", at(2026, 3, 9, 9, 0), -1, at(2026, 3, 6, 9, 0)},
		{"2026 Fri Feb 13 +1 lands on adjusted Saturday", at(2026, 2, 13, 10, 0), 1, at(2026, 2, 14, 10, 0)},
		{"2026 Fri Feb 13 +2 crosses spring festival", at(2026, 2, 13, 10, 0), 2, at(2026, 2, 24, 10, 0)},
		{"2026 start inside festival +1", at(2026, 2, 17, 15, 30), 1, at(2026, 2, 24, 15, 30)},
		{"2026 Tue Feb 24 -1 back to adjusted Saturday", at(2026, 2, 24, 10, 0), -1, at(2026, 2, 14, 10, 0)},
		{"2026 Tue Feb 24 -2 back across festival", at(2026, 2, 24, 10, 0), -2, at(2026, 2, 13, 10, 0)},
		{"2025 Tue Sep 30 +1 crosses national day", at(2025, 9, 30, 9, 0), 1, at(2025, 10, 9, 9, 0)},
		{"2025 Tue Sep 30 +3 ends on adjusted Saturday", at(2025, 9, 30, 9, 0), 3, at(2025, 10, 11, 9, 0)},
		{"2025 Thu Oct 9 -1 back across national day", at(2025, 10, 9, 9, 0), -1, at(2025, 9, 30, 9, 0)},
		{"2025 Thu Oct 9 -3 back to adjusted Sunday", at(2025, 10, 9, 9, 0), -3, at(2025, 9, 28, 9, 0)},
		{"2026 Wed Sep 30 +1 crosses national day", at(2026, 9, 30, 9, 0), 1, at(2026, 10, 8, 9, 0)},
		{"2027 Thu Feb 4 +1 crosses spring festival", at(2027, 2, 4, 16, 0), 1, at(2027, 2, 14, 16, 0)},
		{"2025 Fri Jan 24 +1 lands on adjusted Sunday", at(2025, 1, 24, 8, 0), 1, at(2025, 1, 26, 8, 0)},
		{"across year end 2025→2026", at(2025, 12, 31, 9, 0), 1, at(2026, 1, 4, 9, 0)},
		{"UTC input keeps Shanghai clock and UTC location",
			time.Date(2026, 2, 13, 2, 0, 0, 0, time.UTC), 2, time.Date(2026, 2, 24, 2, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(tt.t, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddWorkingDays(%v, %d) = %v, want %v", tt.t, tt.n, got, tt.want)
			}
			if got.Location() != tt.t.Location() {
				t.Errorf("location = %v, want %v", got.Location(), tt.t.Location())
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"same date", at(2026, 3, 2, 8, 0), at(2026, 3, 2, 18, 0), 0},
		{"Fri to adjusted Sat", day(2026, 2, 13), day(2026, 2, 14), 1},
		{"Fri to after spring festival", day(2026, 2, 13), day(2026, 2, 24), 2},
		{"reversed is negative", day(2026, 2, 24), day(2026, 2, 13), -2},
		{"Sep 30 to Oct 8 2025 all holiday", day(2025, 9, 30), day(2025, 10, 8), 0},
		{"Mon to Fri plain week", day(2026, 3, 2), day(2026, 3, 6), 4},
		{"clock ignored: late to early", at(2026, 3, 2, 23, 59), at(2026, 3, 3, 0, 0), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingDaysBetween(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingDaysBetween(%v, %v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
	t.Run("inverse of AddWorkingDays for n > 0", func(t *testing.T) {
		for _, start := range []time.Time{day(2025, 1, 20), day(2025, 9, 26), day(2026, 2, 10), day(2026, 2, 15), day(2027, 1, 29)} {
			for n := 1; n <= 30; n++ {
				if got := c.WorkingDaysBetween(start, c.AddWorkingDays(start, n)); got != n {
					t.Fatalf("start %v n %d: round trip %d", start, n, got)
				}
			}
		}
	})
}

// NOTICE-1 (docs/rules.md): count back three working days from the inspection day; the day
// reached is the latest delivery day, and any time on it is in time, the next day is late.
func TestNoticeInTime_NOTICE1(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct {
		name                  string
		delivered, inspection time.Time
		days                  int
		want                  bool
	}{
		{"plain week: Mon for Thu is exactly 3 (Wed, Tue, Mon)", at(2026, 3, 2, 17, 0), at(2026, 3, 5, 9, 0), 3, true},
		{"plain week: Tue for Thu is one day short", at(2026, 3, 3, 8, 0), at(2026, 3, 5, 9, 0), 3, false},
		{"plain week: Fri for Thu passes", at(2026, 2, 27, 8, 0), at(2026, 3, 5, 9, 0), 3, true},
		{"delivery at 23:59 on the latest day is in time", at(2026, 3, 2, 23, 59), at(2026, 3, 5, 0, 0), 3, true},
		{"delivered Tue 00:00 for Thu is late", at(2026, 3, 3, 0, 0), at(2026, 3, 5, 9, 0), 3, false},
		{"2026 spring: Thu Feb 12 for Tue Feb 24 (Feb 14 adjusted, 13, 12)", day(2026, 2, 12), day(2026, 2, 24), 3, true},
		{"2026 spring: Fri Feb 13 for Tue Feb 24 is late", day(2026, 2, 13), day(2026, 2, 24), 3, false},
		{"2026 national day: Mon Sep 28 for Thu Oct 8", day(2026, 9, 28), day(2026, 10, 8), 3, true},
		{"2026 national day: Tue Sep 29 for Thu Oct 8 is late", day(2026, 9, 29), day(2026, 10, 8), 3, false},
		{"2026 adjusted Sun Sep 20 for Wed Sep 23", day(2026, 9, 20), day(2026, 9, 23), 3, true},
		{"2026 Mon Sep 21 for Wed Sep 23 is late", day(2026, 9, 21), day(2026, 9, 23), 3, false},
		{"2026 Fri Sep 18 for Tue Sep 22 (Sep 21, adjusted Sep 20, 18)", day(2026, 9, 18), day(2026, 9, 22), 3, true},
		{"2026 Sat Sep 19 for Tue Sep 22 is late", day(2026, 9, 19), day(2026, 9, 22), 3, false},
		{"2026 new year: adjusted Sun Jan 4 for Wed Jan 7", day(2026, 1, 4), day(2026, 1, 7), 3, true},
		{"2026 new year: Mon Jan 5 for Wed Jan 7 is late", day(2026, 1, 5), day(2026, 1, 7), 3, false},
		{"2027 new year: Thu Dec 31 2026 for Wed Jan 6 2027", day(2026, 12, 31), day(2027, 1, 6), 3, true},
		{"2027 new year: Fri Jan 1 2027 for Wed Jan 6 is late", day(2027, 1, 1), day(2027, 1, 6), 3, false},
		{"2027 spring: Thu Feb 4 for Tue Feb 16 (Feb 15, adjusted Feb 14, Feb 4)", day(2027, 2, 4), day(2027, 2, 16), 3, true},
		{"2027 spring: Fri Feb 5 for Tue Feb 16 is late", day(2027, 2, 5), day(2027, 2, 16), 3, false},
		{"UTC inputs use Shanghai dates", time.Date(2026, 3, 2, 15, 59, 0, 0, time.UTC), time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC), 3, true},
		{"UTC 16:00 is already Tuesday in Wenzhou", time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC), time.Date(2026, 3, 5, 1, 0, 0, 0, time.UTC), 3, false},
		{"delivered after inspection is never in time", at(2026, 3, 6, 10, 0), at(2026, 3, 6, 9, 0), 0, false},
		{"days 0 same day before inspection", at(2026, 3, 6, 8, 0), at(2026, 3, 6, 9, 0), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.NoticeInTime(tt.delivered, tt.inspection, tt.days); got != tt.want {
				t.Errorf("NoticeInTime(%v, %v, %d) = %v, want %v", tt.delivered, tt.inspection, tt.days, got, tt.want)
			}
		})
	}
}

func TestLatestNoticeDate_NOTICE1(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct {
		name       string
		inspection time.Time
		want       Date
	}{
		{"plain Thursday inspection → Monday", day(2026, 3, 5), Date{2026, 3, 2}},
		{"plain Monday inspection → the Wednesday before", day(2026, 3, 9), Date{2026, 3, 4}},
		{"2025 Sat Oct 11 (adjusted) inspection → Sep 30", day(2025, 10, 11), Date{2025, 9, 30}},
		{"2026 Wed Feb 25 inspection → Feb 13", day(2026, 2, 25), Date{2026, 2, 13}},
		{"2026 Wed Sep 23 inspection → adjusted Sunday Sep 20", day(2026, 9, 23), Date{2026, 9, 20}},
		{"2027 Wed Jan 6 inspection → Dec 31 2026", day(2027, 1, 6), Date{2026, 12, 31}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.LatestNoticeDate(tt.inspection, 3)
			if got != tt.want {
				t.Fatalf("LatestNoticeDate = %v, want %v", got, tt.want)
			}
			if !c.NoticeInTime(at(got.Year, got.Month, got.Day, 23, 0), tt.inspection, 3) {
				t.Errorf("delivery on %v should be in time", got)
			}
			next := got.AddDays(1)
			if c.NoticeInTime(at(next.Year, next.Month, next.Day, 8, 0), tt.inspection, 3) {
				t.Errorf("delivery on %v should be late", next)
			}
		})
	}
}

// A period of working days starts the day after it is started and ends at 17:30 of its last
// working day, wherever in the week or the year it starts.
func TestEndOfWorkingDays(t *testing.T) {
	t.Parallel()
	c := New()
	tests := []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		{"Saturday 10:00, one day → Monday 17:30", at(2026, 3, 7, 10, 0), 1, at(2026, 3, 9, 17, 30)},
		{"Sunday 23:00, one day → Monday 17:30", at(2026, 3, 8, 23, 0), 1, at(2026, 3, 9, 17, 30)},
		{"Monday 10:00, one day → Tuesday 17:30", at(2026, 3, 9, 10, 0), 1, at(2026, 3, 10, 17, 30)},
		{"Monday 07:00, one day → Tuesday 17:30", at(2026, 3, 9, 7, 0), 1, at(2026, 3, 10, 17, 30)},
		{"Friday 18:00, one day → Monday 17:30", at(2026, 3, 6, 18, 0), 1, at(2026, 3, 9, 17, 30)},
		{"Saturday, five days → Friday 17:30", at(2026, 3, 7, 10, 0), 5, at(2026, 3, 13, 17, 30)},
		{"spring festival 2026 Feb 17, one day → Tue Feb 24 17:30", at(2026, 2, 17, 10, 0), 1, at(2026, 2, 24, 17, 30)},
		{"Fri Feb 13 2026, one day → adjusted Sat Feb 14 17:30", at(2026, 2, 13, 10, 0), 1, at(2026, 2, 14, 17, 30)},
		{"national day 2026 Oct 3, two days → Fri Oct 9 17:30", at(2026, 10, 3, 10, 0), 2, at(2026, 10, 9, 17, 30)},
		{"UTC in, UTC out", time.Date(2026, 3, 7, 2, 0, 0, 0, time.UTC), 1, time.Date(2026, 3, 9, 9, 30, 0, 0, time.UTC)},
		{"zero days returns the start", at(2026, 3, 7, 10, 0), 0, at(2026, 3, 7, 10, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.EndOfWorkingDays(tt.start, tt.n)
			if !got.Equal(tt.want) || got.Location() != tt.start.Location() {
				t.Errorf("EndOfWorkingDays(%v, %d) = %v, want %v", tt.start, tt.n, got, tt.want)
			}
		})
	}
}

func TestAddWorkingHours(t *testing.T) {
	t.Parallel()
	c := New()
	h := time.Hour
	tests := []struct {
		name string
		t    time.Time
		d    time.Duration
		want time.Time
	}{
		{"zero duration returns input even off hours", at(2026, 3, 7, 3, 0), 0, at(2026, 3, 7, 3, 0)},
		{"within morning", at(2026, 3, 2, 9, 0), h, at(2026, 3, 2, 10, 0)},
		{"fills morning exactly ends at 12:00", at(2026, 3, 2, 8, 30), 3*h + 30*time.Minute, at(2026, 3, 2, 12, 0)},
		{"across lunch", at(2026, 3, 2, 11, 0), 2 * h, at(2026, 3, 2, 14, 30)},
		{"start during lunch", at(2026, 3, 2, 12, 30), 30 * time.Minute, at(2026, 3, 2, 14, 0)},
		{"start before opening", at(2026, 3, 2, 7, 0), h, at(2026, 3, 2, 9, 30)},
		{"across evening", at(2026, 3, 2, 17, 0), h, at(2026, 3, 3, 9, 0)},
		{"start after closing", at(2026, 3, 2, 18, 0), h, at(2026, 3, 3, 9, 30)},
		{"across weekend", at(2026, 3, 6, 17, 0), h, at(2026, 3, 9, 9, 0)},
		{"start on Sunday", at(2026, 3, 8, 10, 0), h, at(2026, 3, 9, 9, 30)},
		{"across 2025 national day", at(2025, 9, 30, 17, 0), h, at(2025, 10, 9, 9, 0)},
		{"2026 Fri Feb 13 evening into adjusted Saturday", at(2026, 2, 13, 17, 0), h, at(2026, 2, 14, 9, 0)},
		{"2026 adjusted Saturday evening across spring festival", at(2026, 2, 14, 17, 0), h, at(2026, 2, 24, 9, 0)},
		{"two full days", at(2026, 3, 2, 8, 30), 15 * h, at(2026, 3, 3, 17, 30)},
		{"24 working hours SLA", at(2026, 3, 2, 8, 30), 24 * h, at(2026, 3, 5, 10, 0)},
		{"UTC input keeps UTC location", time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC), 2 * h, time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingHours(tt.t, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("AddWorkingHours(%v, %v) = %v, want %v", tt.t, tt.d, got, tt.want)
			}
			if got.Location() != tt.t.Location() {
				t.Errorf("location = %v, want %v", got.Location(), tt.t.Location())
			}
		})
	}

	t.Run("custom hours", func(t *testing.T) {
		c := New()
		c.Hours = []Span{{9 * h, 17 * h}}
		if got, want := c.AddWorkingHours(at(2026, 3, 2, 16, 0), 2*h), at(2026, 3, 3, 10, 0); !got.Equal(want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("invalid hours fall back to default", func(t *testing.T) {
		c := New()
		c.Hours = []Span{{10 * h, 9 * h}}
		if got, want := c.AddWorkingHours(at(2026, 3, 2, 11, 0), 2*h), at(2026, 3, 2, 14, 30); !got.Equal(want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

func TestWorkingDuration(t *testing.T) {
	t.Parallel()
	c := New()
	h := time.Hour
	tests := []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"empty interval", at(2026, 3, 2, 9, 0), at(2026, 3, 2, 9, 0), 0},
		{"full working day", at(2026, 3, 2, 0, 0), at(2026, 3, 3, 0, 0), 7*h + 30*time.Minute},
		{"lunch is not counted", at(2026, 3, 2, 11, 0), at(2026, 3, 2, 14, 0), 90 * time.Minute},
		{"weekend is zero", at(2026, 3, 7, 0, 0), at(2026, 3, 9, 0, 0), 0},
		{"adjusted Saturday counts", at(2026, 2, 14, 0, 0), at(2026, 2, 15, 0, 0), 7*h + 30*time.Minute},
		{"2025 national day only edges count", at(2025, 9, 30, 8, 30), at(2025, 10, 9, 17, 30), 15 * h},
		{"reversed is negative", at(2026, 3, 2, 14, 0), at(2026, 3, 2, 11, 0), -90 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingDuration(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingDuration(%v, %v) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}

	starts := []struct {
		name string
		t    time.Time
	}{
		{"morning", at(2026, 3, 2, 9, 17)},
		{"lunch", at(2026, 3, 2, 12, 45)},
		{"evening", at(2026, 3, 6, 20, 0)},
		{"before 2026 spring festival", at(2026, 2, 13, 16, 0)},
		{"inside 2025 national day", at(2025, 10, 3, 10, 0)},
		{"2027 adjusted Sunday", at(2027, 2, 14, 8, 0)},
	}
	durations := []time.Duration{time.Minute, 30 * time.Minute, 3*h + 30*time.Minute, 7*h + 30*time.Minute, 24 * h, 40 * h}
	for _, s := range starts {
		for _, d := range durations {
			t.Run(fmt.Sprintf("inverse from %s +%v", s.name, d), func(t *testing.T) {
				end := c.AddWorkingHours(s.t, d)
				if got := c.WorkingDuration(s.t, end); got != d {
					t.Errorf("WorkingDuration(%v, %v) = %v, want %v", s.t, end, got, d)
				}
			})
		}
	}
	t.Run("AddWorkingHours inverts WorkingDuration for in-hours end", func(t *testing.T) {
		from, to := at(2026, 2, 12, 10, 0), at(2026, 2, 24, 15, 0)
		if got := c.AddWorkingHours(from, c.WorkingDuration(from, to)); !got.Equal(to) {
			t.Errorf("got %v, want %v", got, to)
		}
	})
}

func TestValidateHours(t *testing.T) {
	t.Parallel()
	h := time.Hour
	tests := []struct {
		name    string
		spans   []Span
		wantErr bool
	}{
		{"default", DefaultHours(), false},
		{"single span", []Span{{9 * h, 17 * h}}, false},
		{"empty", nil, true},
		{"reversed", []Span{{10 * h, 9 * h}}, true},
		{"overlapping", []Span{{8 * h, 12 * h}, {11 * h, 17 * h}}, true},
		{"unsorted", []Span{{13 * h, 17 * h}, {8 * h, 12 * h}}, true},
		{"negative start", []Span{{-h, 2 * h}}, true},
		{"past midnight", []Span{{20 * h, 25 * h}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateHours(tt.spans)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ValidateHours = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvalidHours) {
				t.Errorf("error %v does not wrap ErrInvalidHours", err)
			}
		})
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := New(Override{Date: Date{2026, 3, 4}, Working: false})
	start := at(2026, 2, 10, 9, 0)
	for b.Loop() {
		c.AddWorkingDays(start, 20)
	}
}

// Years without data are not silently ordinary: a count that touches one is remembered until the
// year is entered; an entered year counts as loaded and its days decide.
func TestYearsWithoutData(t *testing.T) {
	t.Parallel()
	c := New()
	if c.Source(2026) != SourceLibrary || c.Source(2028) != SourceNone || c.Loaded(2028) {
		t.Fatalf("sources: 2026 %q, 2028 %q", c.Source(2026), c.Source(2028))
	}
	if got := c.Unloaded(); len(got) != 0 {
		t.Fatalf("nothing counted yet: %v", got)
	}
	// Filed Thursday 2027-12-30 with two working days: without 2028's data Jan 3 counts.
	start := at(2027, 12, 30, 10, 0)
	if got := c.EndOfWorkingDays(start, 2); !got.Equal(at(2028, 1, 3, 17, 30)) {
		t.Fatalf("without data: %v", got)
	}
	if got := c.Unloaded(); len(got) != 1 || got[0] != 2028 {
		t.Fatalf("unloaded years touched: %v, want [2028]", got)
	}
	c.SetOverrides([]Override{{Date: Date{2028, 1, 1}, Name: "元旦"}, {Date: Date{2028, 1, 2}, Name: "元旦"}, {Date: Date{2028, 1, 3}, Name: "元旦"}})
	c.SetEnteredYears([]int{2028})
	if c.Source(2028) != SourceEntered || len(c.Unloaded()) != 0 {
		t.Fatalf("entered: %q, warnings %v", c.Source(2028), c.Unloaded())
	}
	if got := c.EndOfWorkingDays(start, 2); !got.Equal(at(2028, 1, 4, 17, 30)) {
		t.Fatalf("with 2028 entered: %v, want Jan 4 17:30", got)
	}
	// A notice's count back from an inspection in a year without data is remembered too.
	c.LatestNoticeDate(day(2029, 2, 14), 3)
	if got := c.Unloaded(); len(got) != 1 || got[0] != 2029 {
		t.Fatalf("notice count in 2029: %v", got)
	}
}
