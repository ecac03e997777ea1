package admin_test

import (
	"context"
	"testing"

	"qijian/internal/admin"
	"qijian/internal/errs"
	"qijian/internal/testkit"
)

func TestSaveBodyCreatesAndChangesAndAudits(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	in := admin.BodyInput{NameZh: " 龙湾区市场监督管理局 ", NameEn: "Longwan market regulator", County: "330303", Qualified: true, AnnouncedOn: "2025-03-01"}
	id, err := f.App.Admin.SaveBody(ctx, adm, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	wantAudit(t, f, adm.UserID, "body.save", "body", uint64(id), "")
	got, err := f.App.Admin.Body(ctx, adm, id)
	if err != nil || got.NameZh != "龙湾区市场监督管理局" || got.AnnouncedOn != "2025-03-01" || got.County != "330303" || !got.Qualified {
		t.Fatalf("read back %+v, %v", got, err)
	}
	got.Short, got.Qualified = "龙湾市监", false
	if again, err := f.App.Admin.SaveBody(ctx, adm, id, got); err != nil || again != id {
		t.Fatalf("update: %d %v", again, err)
	}
	list, err := f.App.Admin.Bodies(ctx, adm, "en")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, b := range list {
		if b.ID == id {
			found = b.Name == "Longwan market regulator" && b.Short == "龙湾市监" && !b.Qualified && b.CountyName == "Longwan District"
			if !found {
				t.Errorf("listed as %+v", b)
			}
		}
	}
	if !found {
		t.Fatal("the new body is not listed")
	}
	if n := len(trail(t, f)); n != 2 {
		t.Fatalf("audit entries: %d, want one per save", n)
	}
}

func TestBodyRefusals(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	_, err := f.App.Admin.Body(ctx, adm, 9999)
	wantKind(t, err, errs.NotFound)
	_, err = f.App.Admin.SaveBody(ctx, adm, 9999, admin.BodyInput{NameZh: "无此机关"})
	wantKind(t, err, errs.NotFound)
	_, err = f.App.Admin.SaveBody(ctx, adm, 0, admin.BodyInput{NameZh: "某机关", AnnouncedOn: "2025-02-30"})
	wantKind(t, err, errs.Invalid)
	for _, who := range staff {
		a := f.Actor(who)
		_, err := f.App.Admin.SaveBody(ctx, a, 0, admin.BodyInput{NameZh: "某机关"})
		wantKind(t, err, errs.Forbidden)
		_, err = f.App.Admin.Bodies(ctx, a, "zh")
		wantKind(t, err, errs.Forbidden)
		_, err = f.App.Admin.Counties(ctx, a)
		wantKind(t, err, errs.Forbidden)
	}
	if n := len(trail(t, f)); n != 0 {
		t.Fatalf("refusals wrote %d audit entries", n)
	}
}

func TestCountiesInTheirOfficialOrder(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	list, err := f.App.Admin.Counties(context.Background(), f.Actor("admin"))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 12 || list[0].Code != "330302" || list[0].NameZh != "鹿城区" || list[len(list)-1].Code != "330383" {
		t.Fatalf("counties: %+v", list)
	}
}
