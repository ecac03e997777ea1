package grievance_test

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/store"
)

// anonymousByObserver files, as the observation point for its first member, an anonymous report
// naming an inspection's code, at a time off the hour, then dispatches it to body 1 and has the
// reporter write on it. It answers the stored order and its outside reference.
func anonymousByObserver(t *testing.T, f *fx) (*store.WorkOrder, uint64) {
	t.Helper()
	f.Clock.Advance(17*time.Minute + 23*time.Second + 417*time.Nanosecond)
	obs := f.Actor("obs-chamber")
	if len(obs.Members) == 0 {
		t.Fatal("obs-chamber has no members")
	}
	fl := illegal
	fl.Anonymous, fl.InspectionCode, fl.EnterpriseID, fl.Consent = true, "JC330302ABCD", obs.Members[0], true
	fl.CodeForged = true // a code not on record is taken only as a report that it does not verify
	o := f.file("obs-chamber", fl, "")
	ref := f.svc.Ref(o)
	f.act("liaison-lc", ref, grievance.Move{Action: "accept"})
	f.Clock.Advance(3*time.Minute + 7*time.Second)
	f.act("liaison-lc", ref, grievance.Move{Action: "dispatch", UnitID: 1})
	f.Clock.Advance(9*time.Second + 11*time.Millisecond)
	f.act("obs-chamber", ref, grievance.Move{Action: "message", Note: "补充：检查人员未出示证件"})
	if _, err := f.svc.Attach(context.Background(), grievance.Files{Dir: t.TempDir()}, obs, ref, pngFile(t)); err != nil {
		t.Fatal(err)
	}
	return f.order(o.ID), ref
}

func onTheHour(t time.Time) bool { return t.Equal(t.Truncate(time.Hour)) }

// TestWhatEachRoleLearnsOfAnAnonymousOrder: account.RedactOrder, as every view applies it. Those
// who may know the reporter (the enterprise, the observation point that filed) see all; liaisons
// and admins see the county they route by and nothing else that leads to the reporter (the
// inspection only through the audited reveal); the handling unit sees neither. For everyone but
// the knowers, times are to the hour and the filer's kind is "reporter". Everyone names the order
// by its reference; its row id names nothing to those who may not know the reporter.
func TestWhatEachRoleLearnsOfAnAnonymousOrder(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	o, ref := anonymousByObserver(t, f)
	if ref == o.ID || ref < 1<<52 || ref >= 1<<53 {
		t.Fatalf("reference %d of row %d: not opaque, or not exact in JavaScript", ref, o.ID)
	}
	if o.Number == store.OrderNumber(o.CreatedAt.Year(), o.ID) || !regexp.MustCompile(`^QJ2026N[0-9A-HJKMNP-TV-Z]{10}$`).MatchString(o.Number) {
		t.Fatalf("anonymous number %q follows from row %d", o.Number, o.ID)
	}
	type want struct{ reporter, code, county, exact bool }
	for user, w := range map[string]want{
		"obs-chamber":  {reporter: true, code: true, county: true, exact: true},
		"liaison-lc":   {county: true},
		"liaison-city": {county: true},
		"admin":        {county: true},
		"officer-scj":  {},
	} {
		by := f.Actor(user)
		d, err := f.svc.Detail(ctx, by, ref)
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		if (d.Reporter != nil) != w.reporter || (d.InspectionCode != "") != w.code || (d.County != "") != w.county {
			t.Errorf("%s: reporter %v, code %q, county %q; want %+v", user, d.Reporter, d.InspectionCode, d.County, w)
		}
		if d.ID != ref || d.Number != o.Number {
			t.Errorf("%s: named %d %s, want the reference %d %s", user, d.ID, d.Number, ref, o.Number)
		}
		times := []time.Time{d.CreatedAt, *d.NextDueAt}
		kinds := map[string]bool{}
		for _, e := range d.Timeline {
			times = append(times, e.At)
			kinds[e.By] = true
		}
		for _, dl := range d.Deadlines {
			times = append(times, dl.DueAt, dl.RemindAt)
		}
		for _, e := range d.Evidence {
			times = append(times, e.CreatedAt)
			if e.ID < 1<<52 {
				t.Errorf("%s: evidence named by its row id %d", user, e.ID)
			}
		}
		coarse := 0
		for _, at := range times {
			if onTheHour(at) {
				coarse++
			}
		}
		if !w.exact && coarse != len(times) {
			t.Errorf("%s: %d of %d times finer than the hour", user, len(times)-coarse, len(times))
		}
		if w.exact && coarse == len(times) {
			t.Errorf("%s may know the reporter, yet every time is rounded", user)
		}
		if w.reporter != (kinds["observer"] && !kinds[grievance.RoleReporter]) || kinds["enterprise"] {
			t.Errorf("%s: timeline actors %v", user, kinds)
		}
		// The row id: the knower may still use it (links made before references); no one else.
		_, err = f.svc.Detail(ctx, by, o.ID)
		if w.reporter != (err == nil) || (!w.reporter && !errors.Is(err, errs.NotFound)) {
			t.Errorf("%s opens the row id: %v", user, err)
		}
		if !w.reporter {
			if _, err := f.svc.Act(ctx, by, o.ID, grievance.Move{Action: "message", Note: "x"}); !errors.Is(err, errs.NotFound) {
				t.Errorf("%s acts on the row id: %v", user, err)
			}
		}
		list, err := f.svc.List(ctx, by, grievance.Query{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range list {
			if v.ID == o.ID {
				t.Errorf("%s: the list names the order by its row id", user)
			}
			if v.ID == ref && ((v.County != "") != w.county || (v.Reporter != nil) != w.reporter || (!w.exact && !onTheHour(v.CreatedAt))) {
				t.Errorf("%s: the list shows more than the detail: %+v", user, v)
			}
		}
	}
	// The reveal names the inspection to staff, audited.
	r, err := f.svc.Reveal(ctx, f.Actor("liaison-lc"), ref, "核实举报线索")
	if err != nil || r.InspectionCode != "JC330302ABCD" {
		t.Fatalf("reveal: %+v %v", r, err)
	}
	// A reference that is not an anonymous order's names nothing, even to an admin.
	named := f.file("ent-a", illegal, "")
	if _, err := f.svc.Detail(ctx, f.Actor("admin"), named.ID|1<<52); !errors.Is(err, errs.NotFound) {
		t.Fatalf("a made-up reference: %v", err)
	}
	if d, err := f.svc.Detail(ctx, f.Actor("admin"), named.ID); err != nil || d.ID != named.ID || !strings.HasPrefix(d.Number, "QJ") || d.InspectionCode != "" && d.Reporter == nil {
		t.Fatalf("a named order keeps its row id: %+v %v", d, err)
	}
}

// TestUnitsNoticesOfAnAnonymousOrder: what the handling unit is told names the order by its
// reference and number, and is dated to the hour.
func TestUnitsNoticesOfAnAnonymousOrder(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	o, ref := anonymousByObserver(t, f)
	unit := f.User("officer-scj")
	notes, err := f.St.Notifications(context.Background(), unit.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, n := range notes {
		if !strings.Contains(n.Title, o.Number) {
			continue
		}
		seen++
		if n.Link != "/complaints/"+strconv.FormatUint(ref, 10) || !onTheHour(n.CreatedAt) {
			t.Errorf("the unit's notice: %+v", n)
		}
	}
	if seen == 0 {
		t.Fatal("the unit was told nothing of its order")
	}
}
