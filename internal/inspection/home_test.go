package inspection_test

import (
	"context"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/testkit"
)

func TestHomeInspectionsAreTheEnterprisesOwnAndNoOneElses(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, time.Date(2026, 4, 1, 9, 0, 0, 0, sh))
	ctx := context.Background()
	in, _, err := f.App.Inspections.Register(ctx, f.Actor("officer-scj"), lawful("home-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.App.Inspections.HomeInspections(ctx, f.Actor("ent-b"), 5)
	if err != nil || len(got) != 1 || got[0].ID != in.ID || got[0].Code != in.Code {
		t.Fatalf("ent-b's home: %+v %v", got, err)
	}
	for _, a := range []account.Actor{f.Actor("ent-a"), f.Actor("officer-scj"), f.Actor("liaison-city"), f.Actor("admin"),
		{UserID: f.Actor("ent-b").UserID, Role: account.RoleEnterprise}, {}} {
		if got, err := f.App.Inspections.HomeInspections(ctx, a, 5); err != nil || len(got) != 0 {
			t.Errorf("%s %+v: %d inspections, %v", a.Role, a, len(got), err)
		}
	}
}
