package signin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/signin"
	"qijian/internal/testkit"
)

func TestResolveGivesTheCallerAndItsScope(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	for _, tc := range []struct {
		user  string
		check func(signin.Caller) bool
	}{
		{"ent-a", func(c signin.Caller) bool {
			return c.Actor.Role == account.RoleEnterprise && c.Actor.EnterpriseID != 0 && c.Actor.EnterpriseCounty == "330302"
		}},
		{"obs-chamber", func(c signin.Caller) bool { return len(c.Actor.Members) == 1 }},
		{"officer-scj", func(c signin.Caller) bool { return c.Actor.BodyID != 0 }},
		{"liaison-lc", func(c signin.Caller) bool { return c.Actor.CountyCode == "330302" }},
	} {
		st, err := f.App.SignIn.StartSession(ctx, f.User(tc.user).ID, signin.KindAPI)
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.App.SignIn.Resolve(ctx, st.Secret, signin.KindAPI)
		if err != nil || c.User.Username != tc.user || c.Actor.UserID != c.User.ID || !tc.check(c) {
			t.Errorf("%s: %+v %v", tc.user, c.Actor, err)
		}
	}
}

func TestResolveRefusesAnythingButALiveSessionOfItsKind(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	id := f.User("ent-a").ID
	web, err := f.App.SignIn.StartSession(ctx, id, signin.KindWeb)
	if err != nil {
		t.Fatal(err)
	}
	for name, secret := range map[string]string{"empty": "", "too long": strings.Repeat("x", 101), "forged": "forged-secret"} {
		if _, err := f.App.SignIn.Resolve(ctx, secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
			t.Errorf("%s secret: %v", name, err)
		}
	}
	if _, err := f.App.SignIn.Resolve(ctx, web.Secret, signin.KindAPI); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("a cookie session used as a bearer token: %v", err)
	}
	// That attempt ended the session: a secret shown in the wrong place is spent.
	if _, err := f.App.SignIn.Resolve(ctx, web.Secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("after misuse: %v", err)
	}
	if err := f.App.SignIn.EndSession(ctx, ""); err != nil {
		t.Fatalf("ending no session: %v", err)
	}
}

func TestWebSessionsExpireWhenIdleAndAfterTwelveHours(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	id := f.User("ent-a").ID
	idle, _ := f.App.SignIn.StartSession(ctx, id, signin.KindWeb)
	api, _ := f.App.SignIn.StartSession(ctx, id, signin.KindAPI)
	f.Clock.Advance(signin.IdleTimeout)
	if _, err := f.App.SignIn.Resolve(ctx, idle.Secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("a web session idle %v: %v", signin.IdleTimeout, err)
	}
	if _, err := f.App.SignIn.Resolve(ctx, api.Secret, signin.KindAPI); err != nil {
		t.Fatalf("tokens do not expire when idle: %v", err)
	}
	active, _ := f.App.SignIn.StartSession(ctx, id, signin.KindWeb)
	for elapsed := time.Duration(0); elapsed+20*time.Minute < signin.AbsoluteTimeout; elapsed += 20 * time.Minute {
		f.Clock.Advance(20 * time.Minute)
		if _, err := f.App.SignIn.Resolve(ctx, active.Secret, signin.KindWeb); err != nil {
			t.Fatalf("an active session died after %v: %v", elapsed+20*time.Minute, err)
		}
	}
	f.Clock.Advance(20 * time.Minute)
	if _, err := f.App.SignIn.Resolve(ctx, active.Secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("after %v: %v", signin.AbsoluteTimeout, err)
	}
}
