package inspection_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/inspection"
)

// The list is scoped by the policy and fails closed: ent-b's inspection by body 1 in 瑞安 is
// listed for ent-b, body 1's officer, 瑞安's and the city's liaisons and admins; not for ent-a,
// body 2, 鹿城's liaison; observation points and providers list nothing, as does an officer
// whose body is unset. Only an enterprise gets its year standing.
func TestListIsScopedAndFailsClosed(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	in, _, err := f.svc.Register(ctx, f.actor(t, "officer-scj"), lawful("list-1", time.Date(2026, 4, 17, 9, 0, 0, 0, sh)))
	if err != nil {
		t.Fatal(err)
	}
	actors := others(t, f)
	for user, want := range map[string]int{"ent-b": 1, "officer-scj": 1, "liaison-ra": 1, "liaison-city": 1, "admin": 1, "ent-a": 0, "officer-sthj": 0, "liaison-lc": 0} {
		l, err := f.svc.List(ctx, actors[user])
		if err != nil || len(l.Rows) != want {
			t.Errorf("%s lists %d (%v), want %d", user, len(l.Rows), err, want)
			continue
		}
		if want == 1 && (l.Rows[0].ID != in.ID || len(l.Rows[0].Bodies) != 1 || l.Rows[0].Bodies[0] != "温州市市场监督管理局" || len(l.Rows[0].Items) != 1) {
			t.Errorf("%s: row %+v", user, l.Rows[0])
		}
		if enterprise := user == "ent-a" || user == "ent-b"; enterprise != (l.Standing != nil) {
			t.Errorf("%s: standing %v", user, l.Standing)
		}
	}
	nobody := f.actor(t, "officer-scj")
	nobody.BodyID = 0
	for name, a := range map[string]account.Actor{"obs-chamber": f.actor(t, "obs-chamber"), "provider-1": f.actor(t, "provider-1"), "an officer without a body": nobody, "anonymous": {}} {
		if _, err := f.svc.List(ctx, a); !errors.Is(err, inspection.ErrForbidden) {
			t.Errorf("%s: %v, want ErrForbidden", name, err)
		}
	}
}

// The detail shows the case file to those who may read it and what they may do next; an
// observation point sees the notice without it; others get ErrNotFound.
func TestDetailAndItsCaseFile(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// ent-a (鹿城, a member of obs-chamber) inspected by body 1 on 2026-03-27, so it can be rated.
	r := lawful("detail-1", time.Date(2026, 3, 27, 9, 0, 0, 0, sh))
	r.EnterpriseID = 1
	in, _, err := f.svc.Register(ctx, f.actor(t, "officer-scj"), r)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		user            string
		own, rate, file bool
		manage          bool
	}{
		{"ent-a", true, true, true, false},
		{"officer-scj", false, false, true, true},
		{"admin", false, false, true, true},
		{"liaison-lc", false, false, true, false},
		{"obs-chamber", false, false, false, false},
	}
	for _, c := range cases {
		d, err := f.svc.Detail(ctx, f.actor(t, c.user), in.ID)
		if err != nil {
			t.Errorf("%s: %v", c.user, err)
			continue
		}
		if d.Own != c.own || d.CanRate != c.rate || (d.Case != nil) != c.file {
			t.Errorf("%s: own %v rate %v case %v", c.user, d.Own, d.CanRate, d.Case != nil)
		}
		if d.Case != nil && (d.Case.CanAdd != c.manage || (len(d.Case.Next) > 0) != c.manage) {
			t.Errorf("%s: case file %+v", c.user, d.Case)
		}
		if d.Code != in.Code || d.NoticeNumber == "" || len(d.Inspectors) != 2 || d.Inspectors[0].Name != "张明" {
			t.Errorf("%s: view %+v", c.user, d.View)
		}
	}
	actors := others(t, f)
	for _, user := range []string{"ent-b", "officer-sthj", "liaison-ra", "provider-1"} {
		if _, err := f.svc.Detail(ctx, actors[user], in.ID); !errors.Is(err, inspection.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", user, err)
		}
		if _, err := f.svc.Managed(ctx, actors[user], in.ID); !errors.Is(err, inspection.ErrNotFound) {
			t.Errorf("%s manages it: %v", user, err)
		}
	}
	if _, err := f.svc.Managed(ctx, f.actor(t, "ent-a"), in.ID); !errors.Is(err, inspection.ErrNotFound) {
		t.Errorf("the enterprise manages it: %v", err)
	}
}

// others is the demo's actors with two more: body 2's officer and 瑞安's liaison.
func others(t *testing.T, f *fx) map[string]account.Actor {
	out := map[string]account.Actor{}
	for _, u := range []string{"ent-a", "ent-b", "officer-scj", "liaison-lc", "liaison-city", "admin", "obs-chamber", "provider-1"} {
		out[u] = f.actor(t, u)
	}
	sthj := out["officer-scj"]
	sthj.UserID, sthj.BodyID = 9001, 2
	ra := out["liaison-lc"]
	ra.UserID, ra.CountyCode = 9002, "330381"
	out["officer-sthj"], out["liaison-ra"] = sthj, ra
	return out
}
