package grievance_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"slices"
	"testing"

	"qijian/internal/account"
	"qijian/internal/blob"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/store"
)

func mustDetail(t *testing.T, f *fx, user string, id uint64) *grievance.OrderDetail {
	t.Helper()
	d, err := f.svc.Detail(context.Background(), f.Actor(user), id)
	if err != nil {
		t.Fatalf("%s: %v", user, err)
	}
	return d
}

func pngFile(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfFile is a one-page PDF whose information dictionary names its author, 陈晓东 (as PDF text:
// UTF-16BE in hex, FEFF 9648 6653 4E1C), and an XMP packet that does too.
func pdfFile() []byte {
	xmp := "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><dc:creator>陈晓东</dc:creator></x:xmpmeta>"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
		fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(xmp), xmp),
		"<< /Author <FEFF96486653 4E1C> /Producer (WPS Office) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// An anonymous report, dispatched to the body it names: who learns who filed it, and who gets
// its files. The enterprise itself knows; the reported body never; liaisons and admins only by an
// audited reveal. Files are rebuilt without metadata, so everyone who sees the order gets them
// (the PDF without its author); a PDF stored as sent, before that, only those who know the
// reporter. The view and the download decide alike.
func TestAnonymousReporterStaysHidden(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	files := grievance.Files{Dir: t.TempDir()}
	anon := illegal
	anon.Anonymous = true
	o := f.file("ent-a", anon, "")
	ref := f.svc.Ref(o)
	ent := f.Actor("ent-a")
	photo, err := f.svc.Attach(ctx, files, ent, ref, pngFile(t))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := f.svc.Attach(ctx, files, ent, ref, pdfFile())
	if err != nil {
		t.Fatal(err)
	}
	// A PDF stored as sent, as uploads were before they were rebuilt (migration 0028).
	sum, err := blob.Put(files.Dir, pdfFile())
	if err != nil {
		t.Fatal(err)
	}
	old := &store.Evidence{OrderID: o.ID, UploadedBy: o.FiledByUserID, ContentType: "application/pdf", Size: int64(len(pdfFile())), SHA256: sum, CreatedAt: f.Clock.Now()}
	if err := f.St.AddEvidence(ctx, old); err != nil {
		t.Fatal(err)
	}
	oldRef := ref // the files of an anonymous order are named by reference too
	for _, e := range mustDetail(t, f, "ent-a", ref).Evidence {
		if e.ID != photo.ID && e.ID != pdf.ID {
			oldRef = e.ID
		}
	}
	if oldRef == ref {
		t.Fatal("the enterprise does not see its old PDF")
	}
	f.act("liaison-lc", ref, grievance.Move{Action: "accept"})
	f.act("liaison-lc", ref, grievance.Move{Action: "dispatch", UnitID: 1})
	for user, knows := range map[string]bool{"ent-a": true, "liaison-lc": false, "liaison-city": false, "officer-scj": false, "admin": false} {
		by := f.Actor(user)
		d, err := f.svc.Detail(ctx, by, ref)
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
		i := slices.IndexFunc(list, func(v grievance.OrderView) bool { return v.ID == ref })
		if i < 0 || (list[i].Reporter != nil) != knows {
			t.Errorf("%s: listed at %d, reporter shown %v, want %v", user, i, i >= 0 && list[i].Reporter != nil, knows)
		}
		var seen []uint64
		for _, e := range d.Evidence {
			seen = append(seen, e.ID)
		}
		if want := map[bool][]uint64{true: {photo.ID, pdf.ID, oldRef}, false: {photo.ID, pdf.ID}}[knows]; !slices.Equal(seen, want) {
			t.Errorf("%s: the view lists files %v, want %v", user, seen, want)
		}
		for _, id := range []uint64{photo.ID, pdf.ID, oldRef} {
			_, data, err := f.svc.OpenEvidence(ctx, files, by, ref, id)
			shown := slices.Contains(seen, id)
			if shown && (err != nil || len(data) == 0) || !shown && !errors.Is(err, errs.NotFound) {
				t.Errorf("%s downloads file %d: %v, listed %v: the download must follow the view", user, id, err, shown)
			}
			if id == pdf.ID && (bytes.Contains(data, []byte("FEFF9648")) || bytes.Contains(data, []byte("陈晓东")) || bytes.Contains(data, []byte("WPS"))) {
				t.Errorf("%s: the PDF still names its author", user)
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
	ref := f.svc.Ref(o)
	f.act("liaison-lc", ref, grievance.Move{Action: "accept"})
	f.act("liaison-lc", ref, grievance.Move{Action: "dispatch", UnitID: 1})
	audits := func() int64 {
		return f.count("SELECT COUNT(*) FROM audit_pending WHERE action = 'order.reveal'") + f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'order.reveal'")
	}
	for user, want := range map[string]error{"ent-a": errs.Forbidden, "officer-scj": errs.Forbidden, "obs-chamber": errs.Forbidden, "provider-1": errs.Forbidden} {
		if _, err := f.svc.Reveal(ctx, f.Actor(user), ref, "核实举报线索"); !errors.Is(err, want) {
			t.Errorf("%s reveals: %v, want %v", user, err, want)
		}
	}
	other := f.Actor("liaison-lc")
	other.CountyCode = "330381" // a liaison of another county does not even see the order
	if _, err := f.svc.Reveal(ctx, other, ref, "核实举报线索"); !errors.Is(err, errs.NotFound) {
		t.Errorf("another county's liaison reveals: %v, want not found", err)
	}
	if n := audits(); n != 0 {
		t.Fatalf("%d reveals audited after refusals only", n)
	}
	for i, user := range []string{"liaison-lc", "admin"} {
		r, err := f.svc.Reveal(ctx, f.Actor(user), ref, "核实举报线索")
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
