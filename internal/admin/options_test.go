package admin_test

import (
	"context"
	"slices"
	"testing"

	"qijian/internal/testkit"
)

func TestOptionsNameBodiesAndCountiesInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	o, err := f.App.Admin.Options(context.Background(), "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Counties) != 12 || o.Counties[0].Name != "Lucheng District" {
		t.Errorf("counties: %+v", o.Counties)
	}
	if len(o.Bodies) == 0 || o.Bodies[0].Name == "" || o.Bodies[0].ID == 0 {
		t.Errorf("bodies: %+v", o.Bodies)
	}
	if slices.Contains(o.Roles, "enterprise") || !slices.Contains(o.Roles, "officer") || !slices.Contains(o.Roles, "operator") || !slices.Contains(o.Roles, "admin") {
		t.Errorf("roles an admin may create: %v", o.Roles)
	}
	if len(o.Types) != 9 { // the inspection types, 诉求, and the 12345 matter types 咨询 求助 投诉 举报 建议
		t.Errorf("order types: %v", o.Types)
	}
}
