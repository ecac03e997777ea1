package signin_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/message"
	"qijian/internal/signin"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

func TestChangePasswordNeedsTheCurrentEndsOtherSessions(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	id := f.User("ent-a").ID
	here, _ := f.App.SignIn.StartSession(ctx, id, signin.KindWeb)
	other, _ := f.App.SignIn.StartSession(ctx, id, signin.KindAPI)
	c, err := f.App.SignIn.Resolve(ctx, here.Secret, signin.KindWeb)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.App.SignIn.ChangePassword(ctx, c, signin.PasswordChange{Current: "wrong-password", New: "a-new-strong-passphrase-42"}); errs.FieldsOf(err)["current_password"] == "" {
		t.Fatalf("a wrong current password: %v", err)
	}
	for _, weak := range []string{"aaaaaaaaaa", "1234567890", "password123", testkit.DemoPassword} {
		if err := f.App.SignIn.ChangePassword(ctx, c, signin.PasswordChange{Current: testkit.DemoPassword, New: weak}); errs.FieldsOf(err)["new_password"] == "" {
			t.Errorf("new password %q: %v, want refused", weak, err)
		}
	}
	if err := f.App.SignIn.ChangePassword(ctx, c, signin.PasswordChange{Current: testkit.DemoPassword, New: "a-new-strong-passphrase-42"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.App.SignIn.Resolve(ctx, here.Secret, signin.KindWeb); err != nil {
		t.Fatalf("the session that changed it: %v", err)
	}
	if _, err := f.App.SignIn.Resolve(ctx, other.Secret, signin.KindAPI); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("another session lives on: %v", err)
	}
	if _, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: "ent-a", Password: testkit.DemoPassword}, signin.KindAPI, ""); !errors.Is(err, signin.ErrBadCredentials) {
		t.Fatalf("the old password: %v", err)
	}
	if _, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: "ent-a", Password: "a-new-strong-passphrase-42"}, signin.KindAPI, ""); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	var n int64
	f.St.DB(ctx).Table("audit_pending").Where("action = ?", "password.change").Count(&n)
	var m int64
	f.St.DB(ctx).Table("audit_log").Where("action = ?", "password.change").Count(&m)
	if n+m != 1 {
		t.Fatalf("audited changes: %d", n+m)
	}
}

// resetLinks are the reset messages queued to a number, newest last.
func resetLinks(t *testing.T, f *testkit.Fixture) []message.Message {
	t.Helper()
	var rows []store.OutboxRow
	if err := f.St.DB(context.Background()).Where("task_type = ?", message.TaskDeliver).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var out []message.Message
	for _, r := range rows {
		var m message.Message
		if json.Unmarshal([]byte(r.Payload), &m) == nil && m.Kind == "account.reset" {
			out = append(out, m)
		}
	}
	return out
}

func TestResetThroughTheVerifiedMobileOnceBeforeItExpires(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	entA, _ := f.St.Enterprise(ctx, *f.User("ent-a").EnterpriseID)
	session, _ := f.App.SignIn.StartSession(ctx, f.User("ent-a").ID, signin.KindWeb)
	// Unknown, staff and enterprise logins: the same answer; only the enterprise's verified
	// mobile gets a link.
	for _, name := range []string{"no-such-user", "officer-scj", "ent-a"} {
		if err := f.App.SignIn.RequestReset(ctx, signin.ResetRequest{Username: name}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	links := resetLinks(t, f)
	if len(links) != 1 || links[0].To != entA.Mobile || links[0].UserID != 0 || !strings.HasPrefix(links[0].Link, "/password/reset?token=") {
		t.Fatalf("reset messages %+v, want one link to ent-a's registered mobile %s", links, entA.Mobile)
	}
	token := strings.TrimPrefix(links[0].Link, "/password/reset?token=")
	var stored []store.PasswordReset
	f.St.DB(ctx).Find(&stored)
	if len(stored) != 1 || stored[0].TokenHash == token || strings.Contains(stored[0].TokenHash, token) {
		t.Fatalf("reset rows %+v: want the token's hash only", stored)
	}
	// A weak password does not spend the link.
	if err := f.App.SignIn.ResetPassword(ctx, signin.PasswordReset{Token: token, New: "1234567890"}); errs.FieldsOf(err)["new_password"] == "" {
		t.Fatalf("weak: %v", err)
	}
	if err := f.App.SignIn.ResetPassword(ctx, signin.PasswordReset{Token: "forged", New: "a-new-strong-passphrase-42"}); !errors.Is(err, signin.ErrResetToken) {
		t.Fatalf("a forged token: %v", err)
	}
	if err := f.App.SignIn.ResetPassword(ctx, signin.PasswordReset{Token: token, New: "a-new-strong-passphrase-42"}); err != nil {
		t.Fatal(err)
	}
	if err := f.App.SignIn.ResetPassword(ctx, signin.PasswordReset{Token: token, New: "another-strong-passphrase-7"}); !errors.Is(err, signin.ErrResetToken) {
		t.Fatalf("the link used twice: %v", err)
	}
	if _, err := f.App.SignIn.Resolve(ctx, session.Secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("a session from before the reset: %v", err)
	}
	if _, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: "ent-a", Password: "a-new-strong-passphrase-42"}, signin.KindAPI, ""); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	// A link expires after ResetValidFor, and at most three are sent an hour.
	f.Clock.Advance(time.Hour)
	if err := f.App.SignIn.RequestReset(ctx, signin.ResetRequest{Username: "ENT-A"}); err != nil {
		t.Fatal(err)
	}
	links = resetLinks(t, f)
	late := strings.TrimPrefix(links[len(links)-1].Link, "/password/reset?token=")
	f.Clock.Advance(signin.ResetValidFor)
	if err := f.App.SignIn.ResetPassword(ctx, signin.PasswordReset{Token: late, New: "a-third-strong-passphrase-9"}); !errors.Is(err, signin.ErrResetToken) {
		t.Fatalf("an expired link: %v", err)
	}
	for range 5 {
		_ = f.App.SignIn.RequestReset(ctx, signin.ResetRequest{Username: "ent-a"})
	}
	if got := len(resetLinks(t, f)) - len(links); got != 2 {
		t.Fatalf("%d more links within the hour, want 2 (three an hour)", got)
	}
	// An applicant has no verified mobile yet.
	if err := f.App.SignIn.Register(ctx, registration(0)); err != nil {
		t.Fatal(err)
	}
	before := len(resetLinks(t, f))
	_ = f.App.SignIn.RequestReset(ctx, signin.ResetRequest{Username: "newco"})
	if len(resetLinks(t, f)) != before {
		t.Fatal("an applicant's unreviewed mobile got a reset link")
	}
}

// The lockout answers the same for a username that does not exist.
func TestUnknownUsernamesLockLikeRealOnes(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	answers := func(name string) []string {
		var out []string
		for range signin.MaxFailures + 1 {
			_, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: name, Password: "wrong-password"}, signin.KindAPI, "")
			var e *errs.Error
			if errors.As(err, &e) {
				out = append(out, e.Code)
			} else {
				out = append(out, "?")
			}
		}
		return out
	}
	real, ghost := answers("ent-b"), answers("no-such-user")
	if strings.Join(real, ",") != strings.Join(ghost, ",") || real[signin.MaxFailures-1] != "account_locked" {
		t.Fatalf("a real login answered %v, an unknown one %v", real, ghost)
	}
	f.Clock.Advance(signin.LockFor)
	if _, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: "no-such-user", Password: "x"}, signin.KindAPI, ""); !errors.Is(err, signin.ErrBadCredentials) {
		t.Fatalf("after the lock: %v", err)
	}
}
