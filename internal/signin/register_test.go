package signin_test

import (
	"context"
	"errors"
	"testing"

	"qijian/internal/demo"
	"qijian/internal/errs"
	"qijian/internal/signin"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

func registration(i int) signin.Registration {
	return signin.Registration{USCC: demo.USCC("330304", 900+i), Name: " 温州测试企业有限公司 ", County: "330304", Industry: "apparel",
		ContactName: "张三", Mobile: "13800138000", Username: " NewCo ", Password: "a-long-password"}
}

func TestRegisterAppliesAuditsAndGreets(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	if err := f.App.SignIn.Register(ctx, registration(0)); err != nil {
		t.Fatal(err)
	}
	u := f.User("newco")
	if u.EnterpriseID == nil || u.EnterpriseVerified {
		t.Fatalf("login %+v: want an unverified claim on the new enterprise", u)
	}
	e, err := f.St.Enterprise(ctx, *u.EnterpriseID)
	if err != nil || e.Name != "温州测试企业有限公司" || e.CountyCode != "330304" {
		t.Fatalf("enterprise %+v %v", e, err)
	}
	cl, err := f.St.ClaimOfUser(ctx, u.ID)
	if err != nil || cl.Status != store.ClaimPending || cl.EnterpriseID != e.ID {
		t.Fatalf("claim %+v %v", cl, err)
	}
	if bad, n, err := f.St.VerifyAudit(ctx); err != nil || bad != 0 || n != 1 {
		t.Fatalf("audit: bad %d, %d entries, %v; want the application", bad, n, err)
	}
	inbox, err := f.App.Inbox.List(ctx, u.ID, "zh", 10)
	if err != nil || len(inbox) != 1 || inbox[0].Kind != "welcome" {
		t.Fatalf("welcome: %+v %v", inbox, err)
	}
	if _, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: "newco", Password: "a-long-password"}, signin.KindWeb, ""); err != nil {
		t.Fatalf("the new login: %v", err)
	}
	if a := f.Actor("newco"); !a.Applicant || a.EnterpriseID != 0 {
		t.Fatalf("actor %+v: want an applicant acting for no enterprise", a)
	}
}

// A registration answers the same whether the credit code or the username is taken: a taken
// code becomes a claim for the reviewers (a dispute), a taken username makes nothing and is told
// to the mobile given, never to whoever asked.
func TestRegisterAnswersTheSameWhatIsTaken(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	entA, _ := f.St.Enterprise(ctx, *f.User("ent-a").EnterpriseID)
	before, _ := f.St.CountEnterprises(ctx)
	sameCode := registration(1)
	sameCode.USCC, sameCode.Username = entA.USCC, "squatter"
	sameUser := registration(2)
	sameUser.Username = "ent-b"
	for name, r := range map[string]signin.Registration{"credit code": sameCode, "username": sameUser} {
		if err := f.App.SignIn.Register(ctx, r); err != nil {
			t.Errorf("taken %s: %v, want the answer of any registration", name, err)
		}
	}
	if after, _ := f.St.CountEnterprises(ctx); after != before {
		t.Fatalf("registrations of taken things made %d enterprises", after-before)
	}
	sq := f.User("squatter")
	if sq.EnterpriseID == nil || *sq.EnterpriseID != entA.ID || sq.EnterpriseVerified {
		t.Fatalf("squatter %+v: want an unverified claim on ent-a's code", sq)
	}
	if e, _ := f.St.Enterprise(ctx, entA.ID); e.Name != entA.Name || e.Mobile != entA.Mobile {
		t.Fatalf("a claim changed the registered enterprise: %+v", e)
	}
	if b := f.User("ent-b"); b.EnterpriseID == nil || !b.EnterpriseVerified {
		t.Fatalf("ent-b changed: %+v", b)
	}
	var sms []store.OutboxRow
	if err := f.St.DB(ctx).Where("payload LIKE ?", "%13800138000%").Find(&sms).Error; err != nil || len(sms) != 1 {
		t.Fatalf("taken username: %d messages to the given mobile (%v), want 1", len(sms), err)
	}
}

func TestRegisterRefusesWeakPasswords(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	for _, pw := range []string{"aaaaaaaaaa", "1234567890", "password123", "qwertyuiop", "newconewco1"} {
		r := registration(3)
		r.Password = pw
		err := f.App.SignIn.Register(ctx, r)
		if errs.KindOf(err) != errs.Invalid || errs.FieldsOf(err)["password"] == "" {
			t.Errorf("%q: %v, want refused naming the password", pw, err)
		}
	}
	if _, err := f.St.UserByUsername(ctx, "newco"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("a refused registration left its login: %v", err)
	}
}

func TestRegistrationChoices(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	c, err := f.App.SignIn.RegistrationChoices(context.Background(), "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Counties) != 12 || c.Counties[0] != (signin.Choice{Code: "330302", Name: "Lucheng District"}) {
		t.Errorf("counties: %+v", c.Counties)
	}
	if len(c.Industries) == 0 || c.Industries[0].Name != "New energy" {
		t.Errorf("industries: %+v", c.Industries)
	}
}
