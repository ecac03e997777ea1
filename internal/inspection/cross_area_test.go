package inspection_test

import (
	"context"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/inspection"
)

// AREA-1: a county body (鹿城) inspecting in another county (瑞安) needs the structured approval;
// free text does not suppress the clue; part of the record alone is refused on the missing
// field; a complete record dated by the inspection day raises nothing; a local authority told
// after the inspection day does not count.
func TestCrossAreaApprovalIsStructured(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	admin := f.actor(t, "admin")
	at := time.Date(2026, 5, 7, 9, 0, 0, 0, sh)
	before, after := time.Date(2026, 5, 6, 0, 0, 0, 0, sh), time.Date(2026, 5, 8, 0, 0, 0, 0, sh)
	elsewhere := func(ext string) inspection.Registration {
		r := lawful(ext, at)
		r.BodyIDs, r.ItemIDs, r.InspectorIDs = []uint{4}, []uint{4}, []uint{4}
		return r
	}
	area := func(r inspection.Registration) bool {
		t.Helper()
		in, _, err := f.svc.Register(ctx, admin, r)
		if err != nil {
			t.Fatal(err)
		}
		return f.clue(t, in.ID, "AREA-1") != nil
	}
	if !area(elsewhere("a-none")) {
		t.Fatal("no approval raises nothing")
	}
	free := elsewhere("a-free")
	free.CrossAreaApproval = "已经审批"
	if !area(free) {
		t.Error("free text suppressed AREA-1")
	}
	part := elsewhere("a-part")
	part.CrossAreaApprover, part.CrossAreaDocNo = "温州市人民政府", "温政办〔2026〕1号"
	if _, _, err := f.svc.Register(ctx, admin, part); errs.FieldsOf(err)["cross_area_approved_on"] == "" {
		t.Fatalf("part of the record: %v", err)
	}
	part.CrossAreaApprovedOn = &before
	if _, _, err := f.svc.Register(ctx, admin, part); errs.FieldsOf(err)["cross_area_notified_on"] == "" {
		t.Fatalf("no notice to the local authority: %v", err)
	}
	full := elsewhere("a-full")
	full.CrossAreaApprover, full.CrossAreaDocNo, full.CrossAreaApprovedOn, full.CrossAreaNotifiedOn = "温州市人民政府", "温政办〔2026〕1号", &before, &at
	if area(full) {
		t.Error("a complete record raised AREA-1")
	}
	late := elsewhere("a-late")
	late.CrossAreaApprover, late.CrossAreaDocNo, late.CrossAreaApprovedOn, late.CrossAreaNotifiedOn = "温州市人民政府", "温政办〔2026〕2号", &before, &after
	if !area(late) {
		t.Error("the local authority told after the day passes")
	}
	approvedLate := elsewhere("a-approved-late")
	approvedLate.CrossAreaApprover, approvedLate.CrossAreaDocNo, approvedLate.CrossAreaApprovedOn, approvedLate.CrossAreaNotifiedOn = "温州市人民政府", "温政办〔2026〕3号", &after, &before
	if !area(approvedLate) {
		t.Error("an approval dated after the inspection passes")
	}
}
