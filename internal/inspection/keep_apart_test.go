package inspection_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"qijian/internal/errs"
)

// FREQ-3: a triggered visit kept apart from a pending planned task needs the body's reason; the
// clue carries it. A reason without keeping apart is refused too.
func TestKeepingAVisitApartNeedsAReason(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	p := lawful("plan-r", time.Date(2026, 10, 8, 9, 0, 0, 0, sh))
	p.Kind, p.NoticeDeliveredAt = "planned", nil
	if _, _, err := f.svc.Register(ctx, off, p); err != nil {
		t.Fatal(err)
	}
	apart := lawful("apart-r", time.Date(2026, 5, 6, 9, 0, 0, 0, sh))
	apart.KeepSeparate = true
	if _, _, err := f.svc.Register(ctx, off, apart); errs.FieldsOf(err)["keep_separate_reason"] == "" {
		t.Fatalf("kept apart without a reason: %v", err)
	}
	apart.KeepSeparate, apart.KeepSeparateReason = false, "理由"
	if _, _, err := f.svc.Register(ctx, off, apart); errs.FieldsOf(err)["keep_separate"] == "" {
		t.Fatalf("a reason without keeping apart: %v", err)
	}
	apart.KeepSeparate, apart.KeepSeparateReason = true, "  举报涉及燃气泄漏，须立即核查  "
	in, _, err := f.svc.Register(ctx, off, apart)
	if err != nil {
		t.Fatal(err)
	}
	c := f.clue(t, in.ID, "FREQ-3")
	if c == nil || !strings.Contains(c.Evidence, "理由：举报涉及燃气泄漏，须立即核查") {
		t.Fatalf("the clue does not carry the reason: %+v", c)
	}
	if got, _ := f.st.InspectionByID(ctx, in.ID); got.KeepSeparateReason != "举报涉及燃气泄漏，须立即核查" {
		t.Fatalf("stored reason %q", got.KeepSeparateReason)
	}
}
