package signin_test

import (
	"context"
	"testing"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/signin"
	"qijian/internal/testkit"
)

func TestProfileCarriesEachRolesScope(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	caller := func(name string) signin.Caller { return signin.Caller{User: f.User(name), Actor: f.Actor(name)} }
	cases := []struct {
		user, lang string
		check      func(signin.Profile) bool
	}{
		{"ent-a", "zh", func(p signin.Profile) bool {
			e := p.Enterprise
			return e != nil && e.Name == "温州鹿城新锐鞋业有限公司" && e.CountyName == "鹿城区" && len(e.USCC) == 18 && e.IndustryName != "" && p.Body == nil
		}},
		{"ent-a", "en", func(p signin.Profile) bool { return p.Enterprise.CountyName == "Lucheng District" }},
		{"officer-scj", "zh", func(p signin.Profile) bool {
			return p.Body != nil && p.Body.Name == "温州市市场监督管理局" && p.Enterprise == nil
		}},
		{"liaison-lc", "zh", func(p signin.Profile) bool { return p.County == "330302" && p.CountyName == "鹿城区" }},
		{"liaison-city", "zh", func(p signin.Profile) bool { return p.County == "" && p.CountyName == "" }},
		{"obs-chamber", "zh", func(p signin.Profile) bool { return len(p.Members) == 1 && p.OrgName != "" }},
		{"provider-1", "zh", func(p signin.Profile) bool { return p.OrgName == "温州市企检服务中心" }},
		{"admin", "zh", func(p signin.Profile) bool {
			return p.Role == account.RoleAdmin && p.Enterprise == nil && p.Body == nil && p.OrgName == ""
		}},
	}
	for _, tc := range cases {
		p, err := f.App.SignIn.Profile(ctx, caller(tc.user), tc.lang)
		if err != nil || p.Username != tc.user || !tc.check(p) {
			t.Errorf("%s (%s): %+v %v", tc.user, tc.lang, p, err)
		}
	}
	// A caller whose login and policy view disagree, or who has none, has no profile.
	mixed := signin.Caller{User: f.User("ent-a"), Actor: f.Actor("ent-b")}
	if _, err := f.App.SignIn.Profile(ctx, mixed, "zh"); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("mixed caller: %v", err)
	}
	if _, err := f.App.SignIn.Profile(ctx, signin.Caller{}, "zh"); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("no caller: %v", err)
	}
}
