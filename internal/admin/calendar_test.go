package admin_test

import (
	"context"
	"testing"
	"time"

	"qijian/internal/admin"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/testkit"
)

func TestOverrideAppliesAtOnceAndIsAudited(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	day := time.Date(2026, 3, 9, 12, 0, 0, 0, calendar.Location())
	if !f.Cal.IsWorkingDay(day) {
		t.Fatal("2026-03-09 should be an ordinary working Monday")
	}
	if err := f.App.Admin.SaveOverride(ctx, adm, admin.OverrideInput{Day: "2026-03-09", Name: " 台风停工 "}); err != nil {
		t.Fatal(err)
	}
	if f.Cal.IsWorkingDay(day) {
		t.Fatal("the override did not make 2026-03-09 a day off in this process")
	}
	wantAudit(t, f, adm.UserID, "calendar.override", "calendar", 0, `{"day":"2026-03-09","working":false}`)
	rows, err := f.App.Admin.Overrides(ctx, adm)
	if err != nil || len(rows) != 1 || rows[0] != (admin.Override{Day: "2026-03-09", Name: "台风停工"}) {
		t.Fatalf("overrides: %+v %v", rows, err)
	}
	if err := f.App.Admin.DeleteOverride(ctx, adm, admin.OverrideDay{Day: "2026-03-09"}); err != nil {
		t.Fatal(err)
	}
	if !f.Cal.IsWorkingDay(day) {
		t.Fatal("deleting the override did not restore the working day")
	}
	wantAudit(t, f, adm.UserID, "calendar.override.delete", "calendar", 0, `{"day":"2026-03-09"}`)
	for _, who := range staff {
		a := f.Actor(who)
		wantKind(t, f.App.Admin.SaveOverride(ctx, a, admin.OverrideInput{Day: "2026-03-10"}), errs.Forbidden)
		wantKind(t, f.App.Admin.DeleteOverride(ctx, a, admin.OverrideDay{Day: "2026-03-09"}), errs.Forbidden)
		_, err := f.App.Admin.Overrides(ctx, a)
		wantKind(t, err, errs.Forbidden)
	}
	if !f.Cal.IsWorkingDay(day.AddDate(0, 0, 1)) {
		t.Fatal("a refused override changed the calendar")
	}
}
