package grievance_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"slices"
	"testing"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance"
)

func pngFile(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const pdfFile = "%PDF-1.4\n1 0 obj <</Author (陈晓东)>> endobj\ntrailer\n%%EOF"

// An anonymous report, dispatched to the body it names: who learns who filed it, and who gets
// its PDF. The enterprise itself does; the reported body never; liaisons and admins only by an
// audited reveal. The view and the download decide alike.
func TestAnonymousReporterStaysHidden(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	files := grievance.Files{Dir: t.TempDir()}
	anon := illegal
	anon.Anonymous = true
	o := f.file("ent-a", anon, "")
	ent := f.Actor("ent-a")
	photo, err := f.svc.Attach(ctx, files, ent, o.ID, pngFile(t))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := f.svc.Attach(ctx, files, ent, o.ID, []byte(pdfFile))
	if err != nil {
		t.Fatal(err)
	}
	f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	for user, knows := range map[string]bool{"ent-a": true, "liaison-lc": false, "liaison-city": false, "officer-scj": false, "admin": false} {
		by := f.Actor(user)
		d, err := f.svc.Detail(ctx, by, o.ID)
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		if got := d.Reporter != nil; got != knows {
			t.Errorf("%s: reporter shown %v, want %v", user, got, knows)
		}
		list, err := f.svc.List(ctx, by, grievance.Query{})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(list, func(v grievance.OrderView) bool { return v.ID == o.ID })
		if i < 0 || (list[i].Reporter != nil) != knows {
			t.Errorf("%s: listed at %d, reporter shown %v, want %v", user, i, i >= 0 && list[i].Reporter != nil, knows)
		}
		var seen []uint64
		for _, e := range d.Evidence {
			seen = append(seen, e.ID)
		}
		if want := map[bool][]uint64{true: {photo.ID, pdf.ID}, false: {photo.ID}}[knows]; !slices.Equal(seen, want) {
			t.Errorf("%s: the view lists files %v, want %v", user, seen, want)
		}
		for _, e := range []grievance.EvidenceFile{photo, pdf} {
			_, data, err := f.svc.OpenEvidence(ctx, files, by, o.ID, e.ID)
			shown := slices.Contains(seen, e.ID)
			if shown && (err != nil || len(data) == 0) || !shown && !errors.Is(err, errs.NotFound) {
				t.Errorf("%s downloads %s: %v, listed %v: the download must follow the view", user, e.ContentType, err, shown)
			}
		}
		if want := user == "liaison-lc" || user == "liaison-city" || user == "admin"; d.CanReveal != want {
			t.Errorf("%s: may reveal %v, want %v", user, d.CanReveal, want)
		}
	}
	// An order filed in the open names its enterprise to everyone who may see it.
	open := f.file("ent-a", illegal, "")
	f.act("liaison-lc", open.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", open.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	if d, err := f.svc.Detail(ctx, f.Actor("officer-scj"), open.ID); err != nil || d.Reporter == nil || d.CanReveal {
		t.Fatalf("an open report to its unit: %+v %v", d, err)
	}
}

// A reveal names the reporter to liaisons and admins who may see the order, and each one is
// audited in the reveal's own transaction; everyone else is refused and nothing is recorded.
func TestRevealIsForStaffAndAudited(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	anon := illegal
	anon.Anonymous = true
	o := f.file("ent-a", anon, "")
	f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	audits := func() int64 {
		return f.count("SELECT COUNT(*) FROM audit_pending WHERE action = 'order.reveal'") + f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'order.reveal'")
	}
	for user, want := range map[string]error{"ent-a": errs.Forbidden, "officer-scj": errs.Forbidden, "obs-chamber": errs.Forbidden, "provider-1": errs.Forbidden} {
		if _, err := f.svc.Reveal(ctx, f.Actor(user), o.ID); !errors.Is(err, want) {
			t.Errorf("%s reveals: %v, want %v", user, err, want)
		}
	}
	other := f.Actor("liaison-lc")
	other.CountyCode = "330381" // a liaison of another county does not even see the order
	if _, err := f.svc.Reveal(ctx, other, o.ID); !errors.Is(err, errs.NotFound) {
		t.Errorf("another county's liaison reveals: %v, want not found", err)
	}
	if n := audits(); n != 0 {
		t.Fatalf("%d reveals audited after refusals only", n)
	}
	for i, user := range []string{"liaison-lc", "admin"} {
		r, err := f.svc.Reveal(ctx, f.Actor(user), o.ID)
		if err != nil || r.ID != o.EnterpriseID || r.Name == "" || r.USCC == "" {
			t.Fatalf("%s reveals: %+v %v", user, r, err)
		}
		if n := audits(); n != int64(i+1) {
			t.Fatalf("after %d reveals, %d audited", i+1, n)
		}
	}
}

// A list is bounded by the caller's scope, which fails closed: a caller with none (no role, a
// provider, an officer without a body) lists nothing. Filters that cannot match are refused
// naming the parameter.
func TestListScopeFailsClosedAndFiltersAreChecked(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	f.file("ent-a", illegal, "")
	f.file("ent-b", grievance.Filing{Type: "conduct", Description: "检查人员态度粗暴，干扰生产"}, "")
	for name, by := range map[string]account.Actor{
		"nobody":            {},
		"provider":          f.Actor("provider-1"),
		"officer, no body":  {UserID: f.Actor("officer-scj").UserID, Role: account.RoleOfficer},
		"enterprise, no id": {UserID: f.Actor("ent-a").UserID, Role: account.RoleEnterprise},
	} {
		if l, err := f.svc.List(ctx, by, grievance.Query{}); !errors.Is(err, errs.Forbidden) || l != nil {
			t.Errorf("%s lists %d orders, err %v; want forbidden", name, len(l), err)
		}
	}
	counts := map[string]int{"ent-a": 1, "ent-b": 1, "liaison-lc": 1, "liaison-city": 2, "admin": 2, "officer-scj": 0, "obs-chamber": 0}
	for user, want := range counts {
		l, err := f.svc.List(ctx, f.Actor(user), grievance.Query{})
		if err != nil || len(l) != want {
			t.Errorf("%s lists %d orders (%v), want %d", user, len(l), err, want)
		}
	}
	// The city narrows to a county; a county liaison asking for another keeps its own.
	if l, _ := f.svc.List(ctx, f.Actor("liaison-city"), grievance.Query{County: "330302"}); len(l) != 1 || l[0].County != "330302" {
		t.Errorf("the city narrowed to 鹿城: %+v", l)
	}
	if l, _ := f.svc.List(ctx, f.Actor("liaison-lc"), grievance.Query{County: "330381"}); len(l) != 1 || l[0].County != "330302" {
		t.Errorf("鹿城's liaison asking for 瑞安: %+v", l)
	}
	level := 9
	for field, q := range map[string]grievance.Query{"rule": {Rule: "NOPE-9"}, "level": {Level: &level}} {
		_, err := f.svc.List(ctx, f.Actor("admin"), q)
		if !errors.Is(err, errs.Malformed) || errs.FieldsOf(err)[field] == "" {
			t.Errorf("bad %s: %v, want malformed naming it", field, err)
		}
	}
	if l, _ := f.svc.List(ctx, f.Actor("admin"), grievance.Query{Rule: "NOTICE-1"}); len(l) != 1 || l[0].Type != "illegal_inspection" {
		t.Errorf("rule NOTICE-1: %+v", l)
	}
	if l, _ := f.svc.List(ctx, f.Actor("admin"), grievance.Query{Rule: "NOTICE-1", Clues: true}); len(l) != 0 {
		t.Errorf("NOTICE-1 clues: %+v, want none (both were filed by enterprises)", l)
	}
	if _, err := f.svc.Export(ctx, f.Actor("ent-a"), grievance.Query{}); !errors.Is(err, errs.Forbidden) {
		t.Errorf("an enterprise exports: %v", err)
	}
	if l, err := f.svc.Export(ctx, f.Actor("liaison-city"), grievance.Query{}); err != nil || len(l) != 2 {
		t.Errorf("the city exports %d orders (%v), want 2", len(l), err)
	}
}

// Reasons belong to illegal inspections: reclassifying an order as something else drops them,
// in the join table as in the view.
func TestClassifyDropsTheReasons(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	o := f.file("ent-a", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"FREQ-1", "NOTICE-1"}, Description: "一年内第三次检查"}, "")
	if d, _ := f.svc.Detail(context.Background(), f.Actor("liaison-lc"), o.ID); !slices.Equal(d.Reasons, []string{"FREQ-1", "NOTICE-1"}) {
		t.Fatalf("reasons as filed: %v", d.Reasons)
	}
	d := f.act("liaison-lc", o.ID, grievance.Move{Action: "classify", Type: "conduct"})
	if d.Type != "conduct" || len(d.Reasons) != 0 || f.count("SELECT COUNT(*) FROM order_reasons WHERE order_id = ?", o.ID) != 0 {
		t.Fatalf("after classify: %s %v", d.Type, d.Reasons)
	}
}

// Bulk assignment moves each order on its own: unknown or unassignable orders are skipped and
// counted out; an assignee who may not work the orders stops the lot with its field.
func TestAssignManySkipsWhatItCannotMove(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a, b := f.file("ent-a", illegal, ""), f.file("ent-a", illegal, "")
	city := f.Actor("liaison-city")
	n, err := f.svc.AssignMany(ctx, f.Actor("liaison-lc"), grievance.Assignment{IDs: []uint64{a.ID, b.ID, 99999}, AssigneeID: city.UserID})
	if err != nil || n != 2 {
		t.Fatalf("assigned %d (%v), want 2", n, err)
	}
	if got := f.order(a.ID); got.AssigneeID == nil || *got.AssigneeID != city.UserID {
		t.Fatalf("order %d assigned to %v", a.ID, got.AssigneeID)
	}
	if _, err := f.svc.AssignMany(ctx, f.Actor("liaison-lc"), grievance.Assignment{IDs: []uint64{a.ID}, AssigneeID: f.Actor("ent-a").UserID}); errs.FieldsOf(err)["assignee_id"] == "" {
		t.Fatalf("assigning to an enterprise: %v", err)
	}
	if _, err := f.svc.AssignMany(ctx, f.Actor("liaison-lc"), grievance.Assignment{AssigneeID: city.UserID}); errs.FieldsOf(err)["ids"] == "" {
		t.Fatalf("assigning nothing: %v", err)
	}
}

// The forms offer what their viewer may use: an observation point its consenting members, staff
// the liaisons of the county, the city level its counties.
func TestFormChoicesFollowTheViewer(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	obs := f.Actor("obs-chamber")
	fc, err := f.svc.FilingChoices(ctx, obs)
	if err != nil || !fc.Observer || len(fc.Members) != len(obs.Members) || fc.Members[0].Name == "" || len(fc.Bodies) == 0 {
		t.Fatalf("an observation point's filing form: %+v %v", fc, err)
	}
	if fc, _ := f.svc.FilingChoices(ctx, f.Actor("ent-a")); fc.Observer || len(fc.Members) != 0 {
		t.Fatalf("an enterprise's filing form: %+v", fc)
	}
	if qc, _ := f.svc.QueueChoices(ctx, f.Actor("ent-a")); !qc.CanFile || qc.Staff || qc.Liaisons != nil || qc.Counties != nil {
		t.Fatalf("an enterprise's queue: %+v", qc)
	}
	lc, _ := f.svc.QueueChoices(ctx, f.Actor("liaison-lc"))
	city, _ := f.svc.QueueChoices(ctx, f.Actor("liaison-city"))
	if !lc.Staff || len(lc.Liaisons) == 0 || lc.Counties != nil || len(city.Counties) != 12 {
		t.Fatalf("a county liaison's queue %+v, the city's %d counties", lc, len(city.Counties))
	}
	for _, l := range lc.Liaisons {
		if l.Username == "" {
			t.Fatalf("liaison without a name: %+v", l)
		}
	}
	if ac, _ := f.svc.ActionChoices(ctx, f.Actor("officer-scj"), "330302"); ac.Staff || ac.Liaisons != nil || len(ac.Units) == 0 {
		t.Fatalf("an officer's action form: %+v", ac)
	}
}
