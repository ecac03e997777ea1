package signin_test

import (
	"context"
	"errors"
	"testing"

	"qijian/internal/errs"
	"qijian/internal/signin"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

// The platform's word verifies: the legal person's login acts for the enterprise at once (made
// with the enterprise when the code is new), a squatter's application is refused, and the same
// subject comes back to the same login.
func TestFederatedLoginVerifiesAndEndsSquatters(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	r := registration(0)
	if err := f.App.SignIn.Register(ctx, r); err != nil {
		t.Fatal(err)
	}
	squatter, _ := f.App.SignIn.StartSession(ctx, f.User("newco").ID, signin.KindWeb)
	id := signin.Identity{Issuer: "https://id.example", Subject: "lp-1", USCC: r.USCC, Name: "温州测试企业有限公司"}
	st, err := f.App.SignIn.LogInFederated(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.App.SignIn.Resolve(ctx, st.Secret, signin.KindWeb)
	if err != nil || c.Actor.Applicant || c.Actor.EnterpriseID == 0 {
		t.Fatalf("the legal person: %+v %v", c.Actor, err)
	}
	if _, err := f.App.SignIn.Resolve(ctx, squatter.Secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("the squatter's session: %v", err)
	}
	if cl, _ := f.St.ClaimOfUser(ctx, f.User("newco").ID); cl.Status != store.ClaimRefused {
		t.Fatalf("the squatter's claim: %+v", cl)
	}
	again, err := f.App.SignIn.LogInFederated(ctx, id, st.Secret)
	if err != nil || again.UserID != st.UserID {
		t.Fatalf("the same subject again: %+v %v", again, err)
	}
	if _, err := f.App.SignIn.Resolve(ctx, st.Secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
		t.Fatal("the previous session survived a new login")
	}
	other := id
	other.USCC = "91330302MA2H00001X"
	if _, err := f.App.SignIn.LogInFederated(ctx, other, ""); errs.KindOf(err) == nil {
		t.Fatalf("a subject whose token names another (or an invalid) code: %v", err)
	}
	if _, err := f.App.SignIn.LogInFederated(ctx, signin.Identity{Issuer: "https://id.example", Subject: "x", USCC: "bad"}, ""); !errors.Is(err, signin.ErrFederation) {
		t.Fatalf("no valid code: %v", err)
	}
}
