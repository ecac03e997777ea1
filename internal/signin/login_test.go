package signin_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/signin"
	"qijian/internal/testkit"
)

func TestLogInStartsASessionAndEndsThePrevious(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	creds := signin.Credentials{Username: "ent-a", Password: testkit.DemoPassword}
	first, err := f.App.SignIn.LogIn(ctx, creds, signin.KindWeb, "")
	if err != nil {
		t.Fatal(err)
	}
	if first.UserID != f.User("ent-a").ID || !first.ExpiresAt.Equal(f.Clock.Now().Add(signin.AbsoluteTimeout)) {
		t.Fatalf("started %+v", first)
	}
	// Case and spaces in the username do not matter.
	second, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: " ENT-A ", Password: testkit.DemoPassword}, signin.KindWeb, first.Secret)
	if err != nil || second.Secret == first.Secret {
		t.Fatalf("second login: %v", err)
	}
	if _, err := f.App.SignIn.Resolve(ctx, first.Secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("the replaced session still resolves: %v", err)
	}
	if c, err := f.App.SignIn.Resolve(ctx, second.Secret, signin.KindWeb); err != nil || c.User.Username != "ent-a" {
		t.Fatalf("the new session: %v", err)
	}
}

func TestWrongPasswordAndUnknownUserAreTheSameRefusal(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	for _, c := range []signin.Credentials{{Username: "ent-a", Password: "wrong-password"}, {Username: "no-such-user", Password: "wrong-password"}} {
		_, err := f.App.SignIn.LogIn(ctx, c, signin.KindAPI, "")
		if err != signin.ErrBadCredentials || errs.KindOf(err) != errs.Unauthorized {
			t.Errorf("%s: %v, want ErrBadCredentials (unauthorized)", c.Username, err)
		}
	}
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	wrong := signin.Credentials{Username: "ent-b", Password: "wrong-password"}
	for i := 1; i < signin.MaxFailures; i++ {
		if _, err := f.App.SignIn.LogIn(ctx, wrong, signin.KindAPI, ""); !errors.Is(err, signin.ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	_, err := f.App.SignIn.LogIn(ctx, wrong, signin.KindAPI, "")
	if !errors.Is(err, signin.ErrLocked) || errs.KindOf(err) != errs.Limited {
		t.Fatalf("failure %d: %v, want locked (limited)", signin.MaxFailures, err)
	}
	right := signin.Credentials{Username: "ent-b", Password: testkit.DemoPassword}
	if _, err := f.App.SignIn.LogIn(ctx, right, signin.KindAPI, ""); !errors.Is(err, signin.ErrLocked) {
		t.Fatalf("the right password while locked: %v", err)
	}
	f.Clock.Advance(signin.LockFor - time.Second)
	if _, err := f.App.SignIn.LogIn(ctx, right, signin.KindAPI, ""); !errors.Is(err, signin.ErrLocked) {
		t.Fatalf("a second before the lock ends: %v", err)
	}
	f.Clock.Advance(time.Second)
	if _, err := f.App.SignIn.LogIn(ctx, right, signin.KindAPI, ""); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// The count starts again: four more failures do not lock.
	for i := 1; i < signin.MaxFailures; i++ {
		if _, err := f.App.SignIn.LogIn(ctx, wrong, signin.KindAPI, ""); !errors.Is(err, signin.ErrBadCredentials) {
			t.Fatalf("failure %d after the lock: %v", i, err)
		}
	}
}

func TestDisabledLoginCannotLogIn(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	if err := f.St.SetUserDisabled(ctx, f.User("provider-1").ID, true); err != nil {
		t.Fatal(err)
	}
	_, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: "provider-1", Password: testkit.DemoPassword}, signin.KindWeb, "")
	if !errors.Is(err, signin.ErrBadCredentials) {
		t.Fatalf("disabled login: %v, want the same refusal as a wrong password", err)
	}
}
