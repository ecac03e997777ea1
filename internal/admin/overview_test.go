package admin_test

import (
	"context"
	"testing"

	"qijian/internal/admin"
	"qijian/internal/errs"
	"qijian/internal/testkit"
)

func TestOverviewCounts(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	before, err := f.App.Admin.Overview(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	if before.Users != 9 || before.Bodies == 0 || before.Enterprises == 0 {
		t.Fatalf("demo overview: %+v", before)
	}
	if _, err := f.App.Admin.CreateUser(ctx, adm, admin.NewUser{Username: "provider-2", Password: "a-long-password", Role: "provider"}); err != nil {
		t.Fatal(err)
	}
	if after, _ := f.App.Admin.Overview(ctx, adm); after.Users != before.Users+1 || after.Bodies != before.Bodies {
		t.Fatalf("after a new login: %+v, before %+v", after, before)
	}
	for _, who := range staff {
		_, err := f.App.Admin.Overview(ctx, f.Actor(who))
		wantKind(t, err, errs.Forbidden)
	}
}
