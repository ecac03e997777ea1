package admin_test

import (
	"context"
	"testing"

	"qijian/internal/account"
	"qijian/internal/admin"
	"qijian/internal/errs"
	"qijian/internal/signin"
	"qijian/internal/testkit"
)

func TestCreateUserAudits(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	body := *f.User("officer-scj").BodyID
	id, err := f.App.Admin.CreateUser(ctx, adm, admin.NewUser{Username: " Officer-2 ", Password: "a-long-password", Role: "officer", BodyID: body, DisplayName: " 执法人员 "})
	if err != nil {
		t.Fatal(err)
	}
	u := f.User("officer-2")
	if u.ID != id || u.Role != account.RoleOfficer || u.BodyID == nil || *u.BodyID != body || u.DisplayName != "执法人员" {
		t.Fatalf("created %+v", u)
	}
	wantAudit(t, f, adm.UserID, "user.create", "user", uint64(id), `{"role":"officer"}`)
	if _, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: "officer-2", Password: "a-long-password"}, signin.KindWeb, ""); err != nil {
		t.Fatalf("the new login cannot sign in: %v", err)
	}
	// A liaison keeps its county.
	lid, err := f.App.Admin.CreateUser(ctx, adm, admin.NewUser{Username: "liaison-2", Password: "a-long-password", Role: "liaison", County: "330381"})
	if err != nil || f.User("liaison-2").CountyCode != "330381" || lid == 0 {
		t.Fatalf("liaison: %v", err)
	}
}

func TestCreateUserRefusals(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	good := admin.NewUser{Username: "staff-1", Password: "a-long-password", Role: "provider"}
	cases := []struct {
		name  string
		edit  func(*admin.NewUser)
		kind  error
		field string
	}{
		{"officer without a body", func(n *admin.NewUser) { n.Role = "officer" }, errs.Invalid, "body_id"},
		{"officer of no such body", func(n *admin.NewUser) { n.Role, n.BodyID = "officer", 9999 }, errs.Invalid, "body_id"},
		{"short password", func(n *admin.NewUser) { n.Password = "short" }, errs.Invalid, "password"},
		{"an enterprise login", func(n *admin.NewUser) { n.Role = "enterprise" }, errs.Invalid, "role"},
		{"taken username", func(n *admin.NewUser) { n.Username = "ENT-A" }, errs.Conflict, "username"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := good
			tc.edit(&n)
			_, err := f.App.Admin.CreateUser(ctx, adm, n)
			wantKind(t, err, tc.kind)
			if errs.FieldsOf(err)[tc.field] == "" {
				t.Fatalf("%v does not name %s", err, tc.field)
			}
		})
	}
	for _, who := range staff {
		_, err := f.App.Admin.CreateUser(ctx, f.Actor(who), good)
		wantKind(t, err, errs.Forbidden)
	}
	if _, err := f.App.Admin.Users(ctx, f.Actor("officer-scj")); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("an officer lists the users: %v", err)
	}
	if n := len(trail(t, f)); n != 0 {
		t.Fatalf("refused creations wrote %d audit entries", n)
	}
}

func TestDisableEndsSessionsAndAudits(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	target := f.User("ent-b")
	st, err := f.App.SignIn.StartSession(ctx, target.ID, signin.KindWeb)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.App.Admin.SetDisabled(ctx, adm, target.ID, true); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, f, adm.UserID, "user.disable", "user", uint64(target.ID), "")
	if _, err := f.App.SignIn.Resolve(ctx, st.Secret, signin.KindWeb); errs.KindOf(err) != errs.Unauthorized {
		t.Fatalf("a disabled login's session still resolves: %v", err)
	}
	users, err := f.App.Admin.Users(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Username == "ent-b" && !u.Disabled {
			t.Fatal("the list does not show ent-b disabled")
		}
	}
	if err := f.App.Admin.SetDisabled(ctx, adm, target.ID, false); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, f, adm.UserID, "user.enable", "user", uint64(target.ID), "")

	wantKind(t, f.App.Admin.SetDisabled(ctx, adm, adm.UserID, true), errs.Forbidden)
	wantKind(t, f.App.Admin.SetDisabled(ctx, adm, 9999, true), errs.NotFound)
	for _, who := range staff {
		wantKind(t, f.App.Admin.SetDisabled(ctx, f.Actor(who), target.ID, true), errs.Forbidden)
	}
	if n := len(trail(t, f)); n != 2 {
		t.Fatalf("audit entries: %d, want the disable and the enable only", n)
	}
}
