package inspection_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/inspection"
	"qijian/internal/store"
)

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (f *fx) clueRules(t *testing.T, id uint64) string {
	c, err := f.st.Clues(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var r []string
	for _, x := range c {
		r = append(r, x.Rule)
	}
	return strings.Join(r, ",")
}

// FREQ-3: a triggered visit by the market regulator takes over its pending planned task for the
// same enterprise; the task is merged, its items join the visit, the enterprise is told, no clue.
func TestTriggeredInspectionMergesThePendingPlannedTask(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	p := lawful("plan-ent-b", time.Date(2026, 9, 8, 9, 0, 0, 0, sh))
	p.Kind, p.ItemIDs, p.NoticeDeliveredAt = "planned", []uint{2, 3}, nil
	plan, _, err := f.svc.Register(ctx, off, p)
	if err != nil {
		t.Fatal(err)
	}
	tr := lawful("complaint-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)) // items [1]
	in, _, err := f.svc.Register(ctx, off, tr)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.ItemIDs, []uint{1, 2, 3}) {
		t.Fatalf("the visit carries %v, want the planned items added (1,2,3)", in.ItemIDs)
	}
	got, _ := f.st.InspectionByID(ctx, plan.ID)
	if got.Status != "merged" || got.MergedInto == nil || *got.MergedInto != in.ID {
		t.Fatalf("planned task: %s into %v", got.Status, got.MergedInto)
	}
	stored, _ := f.st.InspectionByID(ctx, in.ID)
	if !slices.Equal(stored.ItemIDs, []uint{1, 2, 3}) {
		t.Fatalf("stored items %v", stored.ItemIDs)
	}
	if r := f.clueRules(t, in.ID); r != "" {
		t.Fatalf("merged visit raised %q", r)
	}
	if l, _ := f.st.MergedInto(ctx, in.ID); len(l) != 1 || l[0].ID != plan.ID {
		t.Fatalf("merged into the visit: %+v", l)
	}
	// A merged task cannot be moved on.
	if err := f.svc.SetStatus(ctx, off, plan.ID, "in_progress"); !errors.Is(err, inspection.ErrTransition) {
		t.Fatalf("merged task moved: %v", err)
	}
	// A second triggered visit finds nothing left to merge and changes nothing.
	in2, _, err := f.svc.Register(ctx, off, lawful("complaint-2", time.Date(2026, 4, 20, 9, 0, 0, 0, sh)))
	if err != nil || !slices.Equal(in2.ItemIDs, []uint{1}) || f.clueRules(t, in2.ID) != "" {
		t.Fatalf("second visit: %v %v %q", err, in2.ItemIDs, f.clueRules(t, in2.ID))
	}
}

// FREQ-3: covering the plan's items, the visit is unchanged and the task counts as done; left
// apart on purpose, the visit is flagged and the task stays pending.
func TestCoveredPlanAndAVisitLeftApart(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	p := lawful("plan-a", time.Date(2026, 9, 8, 9, 0, 0, 0, sh))
	p.Kind, p.NoticeDeliveredAt = "planned", nil // items [1], as the visit's
	plan, _, _ := f.svc.Register(ctx, off, p)
	in, _, err := f.svc.Register(ctx, off, lawful("c-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)))
	if err != nil || !slices.Equal(in.ItemIDs, []uint{1}) {
		t.Fatalf("covering visit: %v items %v", err, in.ItemIDs)
	}
	if got, _ := f.st.InspectionByID(ctx, plan.ID); got.Status != "merged" {
		t.Fatalf("covered plan: %s", got.Status)
	}

	p2 := lawful("plan-b", time.Date(2026, 10, 8, 9, 0, 0, 0, sh))
	p2.Kind, p2.NoticeDeliveredAt = "planned", nil
	plan2, _, _ := f.svc.Register(ctx, off, p2)
	apart := lawful("c-2", time.Date(2026, 5, 6, 9, 0, 0, 0, sh))
	apart.KeepSeparate, apart.KeepSeparateReason = true, "举报涉及紧急安全隐患，须立即核查"
	in2, _, err := f.svc.Register(ctx, off, apart)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.st.InspectionByID(ctx, plan2.ID); got.Status != "scheduled" {
		t.Fatalf("plan left apart: %s", got.Status)
	}
	c, _ := f.st.Clues(ctx, in2.ID)
	if len(c) != 1 || c[0].Rule != "FREQ-3" || !strings.Contains(c[0].Evidence, "合并") {
		t.Fatalf("visit left apart: clues %+v", c)
	}
	// Another body's triggered visit does not touch the regulator's plan.
	r := lawful("other-body", time.Date(2026, 5, 7, 9, 0, 0, 0, sh))
	r.BodyIDs, r.ItemIDs, r.InspectorIDs = []uint{4}, []uint{4}, []uint{4}
	approved := time.Date(2026, 5, 1, 0, 0, 0, 0, sh)
	r.CrossAreaApprover, r.CrossAreaDocNo, r.CrossAreaApprovedOn, r.CrossAreaNotifiedOn = "温州市人民政府", "温政办〔2026〕1号", &approved, &approved
	if _, _, err := f.svc.Register(ctx, f.actor(t, "admin"), r); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.st.InspectionByID(ctx, plan2.ID); got.Status != "scheduled" {
		t.Fatalf("another body's visit merged the plan: %s", got.Status)
	}
}

// RECORD-1: marked done without a registration form or on-site record, an inspection becomes a
// clue; with one on file it does not. Records are the body's to add; the case file is read by
// the enterprise, liaisons and the body, not by observation points or other bodies.
func TestRecordsAndTheCaseFileCheck(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	files := inspection.Files{Dir: t.TempDir()}
	done := func(ext string) *inspection.Registered {
		in, _, err := f.svc.Register(ctx, off, lawful(ext, time.Date(2026, 3, 27, 9, 0, 0, 0, sh)))
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	bare := done("bare")
	for _, st := range []string{"in_progress", "done"} {
		if err := f.svc.SetStatus(ctx, off, bare.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := f.st.Clues(ctx, bare.ID)
	if len(c) != 1 || c[0].Rule != "RECORD-1" || !strings.Contains(c[0].Evidence, "现场检查笔录") {
		t.Fatalf("done without a record: %+v", c)
	}

	kept := done("kept")
	day := "2026-03-27"
	rec, err := f.svc.AddRecord(ctx, files, off, kept.ID, inspection.RecordInput{Kind: "onsite", Number: "温市监现〔2026〕12号", IssuedOn: day, Summary: "现场检查笔录一份"}, pngBytes(t))
	if err != nil || rec.ContentType != "image/png" {
		t.Fatalf("add record: %v %+v", err, rec)
	}
	for _, st := range []string{"in_progress", "done"} {
		if err := f.svc.SetStatus(ctx, off, kept.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	if r := f.clueRules(t, kept.ID); r != "" {
		t.Fatalf("done with an on-site record: %q", r)
	}

	// Refusals: same number twice, a bad kind, a file that is not what it claims, a date ahead.
	in := inspection.RecordInput{Kind: "onsite", Number: "温市监现〔2026〕12号", IssuedOn: day}
	if _, err := f.svc.AddRecord(ctx, files, off, kept.ID, in, nil); errs.FieldsOf(err)["number"] == "" {
		t.Fatalf("duplicate number: %v", err)
	}
	in.Number, in.Kind = "2", "photo"
	if _, err := f.svc.AddRecord(ctx, files, off, kept.ID, in, nil); errs.FieldsOf(err)["kind"] == "" {
		t.Fatalf("bad kind: %v", err)
	}
	in.Kind = "result"
	if _, err := f.svc.AddRecord(ctx, files, off, kept.ID, in, []byte("MZ\x90\x00 not a pdf at all")); !errors.Is(err, inspection.ErrRecordFileType) {
		t.Fatalf("an executable as a record: %v", err)
	}
	if _, err := f.svc.AddRecord(ctx, files, off, kept.ID, in, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)); !errors.Is(err, inspection.ErrRecordFileType) {
		t.Fatalf("a broken PNG: %v", err)
	}
	if _, err := f.svc.AddRecord(ctx, files, off, kept.ID, in, make([]byte, inspection.MaxRecordSize+1)); !errors.Is(err, inspection.ErrRecordTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	in.IssuedOn = f.clk.Now().Add(48 * time.Hour).In(sh).Format("2006-01-02")
	if _, err := f.svc.AddRecord(ctx, files, off, kept.ID, in, nil); errs.FieldsOf(err)["issued_on"] == "" {
		t.Fatalf("a date ahead: %v", err)
	}
	in.IssuedOn = day
	for _, who := range []string{"ent-b", "liaison-city"} {
		if _, err := f.svc.AddRecord(ctx, files, f.actor(t, who), kept.ID, in, nil); err == nil {
			t.Fatalf("%s added a record", who)
		}
	}
	// ent-b's inspection by body 1: 瑞安, so 鹿城's liaison and ent-a do not see it at all.
	for who, want := range map[string]bool{"officer-scj": true, "ent-b": true, "liaison-city": true, "admin": true, "liaison-lc": false, "ent-a": false, "obs-chamber": false} {
		l, err := f.svc.Records(ctx, f.actor(t, who), kept.ID)
		if want && (err != nil || len(l) != 1) {
			t.Errorf("%s reads the case file: %v %d", who, err, len(l))
		}
		if !want && err == nil {
			t.Errorf("%s read the case file", who)
		}
		rf, err := f.svc.OpenRecord(ctx, files, f.actor(t, who), rec.ID)
		if want != (err == nil) || (want && !bytes.Equal(rf.Data, pngBytes(t))) {
			t.Errorf("%s opens the file: %v", who, err)
		}
	}
	// A cancelled inspection takes no more records.
	gone := done("gone")
	if err := f.svc.SetStatus(ctx, off, gone.ID, "cancelled"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddRecord(ctx, files, off, gone.ID, inspection.RecordInput{Kind: "other", Number: "x", IssuedOn: day}, nil); !errors.Is(err, inspection.ErrRecordClosed) {
		t.Fatalf("record on a cancelled inspection: %v", err)
	}
}

// Master data: an officer writes its own body's inspectors, items and plans; not another body's.
func TestMasterDataUseCases(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	from, to := "2026-01-01", "2029-01-01"
	p, err := f.svc.SaveInspector(ctx, off, 1, inspection.InspectorInput{Name: "孙丽", CredentialNo: "浙A33030012999", ValidFrom: from, ValidTo: to, Staff: "on_post"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveInspector(ctx, off, 2, inspection.InspectorInput{Name: "x", CredentialNo: "y", ValidFrom: from, ValidTo: to, Staff: "on_post"}); !errors.Is(err, inspection.ErrForbidden) {
		t.Fatalf("another body's inspector: %v", err)
	}
	if _, err := f.svc.SaveInspector(ctx, off, 1, inspection.InspectorInput{ID: p.ID, Name: "孙丽", CredentialNo: "z", ValidFrom: to, ValidTo: to, Staff: "on_post"}); errs.FieldsOf(err)["valid_to"] == "" {
		t.Fatalf("credential ending as it starts: %v", err)
	}
	// Suspending: the status changes, and moving an inspector of body 4 via body 1 is refused.
	if _, err := f.svc.SaveInspector(ctx, off, 1, inspection.InspectorInput{ID: p.ID, Name: "孙丽", CredentialNo: "浙A33030012999", ValidFrom: from, ValidTo: to, Staff: "on_post", Active: new(bool)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.InspectorForm(ctx, off, 1, p.ID); got.On() {
		t.Fatal("inspector still active")
	}
	if _, err := f.svc.SaveInspector(ctx, off, 1, inspection.InspectorInput{ID: 4, Name: "陈刚", CredentialNo: "x", ValidFrom: from, ValidTo: to, Staff: "on_post"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("took over body 4's inspector: %v", err)
	}
	pub, wd := "2026-03-01", "2026-02-01"
	if _, err := f.svc.SaveItem(ctx, off, 1, inspection.ItemInput{Name: "特种设备", LegalBasis: "《特种设备安全法》", PublishedOn: pub, WithdrawnOn: wd}); errs.FieldsOf(err)["withdrawn_on"] == "" {
		t.Fatalf("withdrawn before published: %v", err)
	}
	it, err := f.svc.SaveItem(ctx, off, 1, inspection.ItemInput{Name: "特种设备", LegalBasis: "《特种设备安全法》", PublishedOn: pub, AudioVideo: true})
	if err != nil || !it.AudioVideo {
		t.Fatalf("item: %v", err)
	}
	pl, err := f.svc.SavePlan(ctx, off, 1, inspection.PlanInput{Year: 2028, Title: "2028 年度计划", PublishedOn: pub})
	if err != nil || pl.ChangedAt != nil {
		t.Fatalf("plan: %v", err)
	}
	if pl, _ = f.svc.SavePlan(ctx, off, 1, inspection.PlanInput{Year: 2028, Title: "2028 年度计划（调整）", PublishedOn: pub}); pl.ChangedAt == nil {
		t.Fatal("a published plan changed without being marked (PLAN-1)")
	}
	if _, err := f.svc.SavePlan(ctx, off, 3, inspection.PlanInput{Year: 2028, Title: "x"}); !errors.Is(err, inspection.ErrForbidden) {
		t.Fatalf("another body's plan: %v", err)
	}
	if _, err := f.svc.SavePlan(ctx, f.actor(t, "ent-a"), 1, inspection.PlanInput{Year: 2028, Title: "x"}); !errors.Is(err, inspection.ErrForbidden) {
		t.Fatalf("an enterprise's plan: %v", err)
	}
	if _, err := f.svc.SavePlan(ctx, f.actor(t, "admin"), 3, inspection.PlanInput{Year: 2028, Title: "x"}); err != nil {
		t.Fatalf("admin, any body: %v", err)
	}
}
