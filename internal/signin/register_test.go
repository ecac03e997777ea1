package signin_test

import (
	"context"
	"errors"
	"testing"

	"qijian/internal/demo"
	"qijian/internal/errs"
	"qijian/internal/signin"
	"qijian/internal/testkit"
)

func registration(i int) signin.Registration {
	return signin.Registration{USCC: demo.USCC("330304", 900+i), Name: " 温州测试企业有限公司 ", County: "330304", Industry: "apparel",
		ContactName: "张三", Mobile: "13800138000", Username: " NewCo ", Password: "a-long-password"}
}

func TestRegisterCreatesAuditsAndGreets(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	reg, err := f.App.SignIn.Register(ctx, registration(0))
	if err != nil {
		t.Fatal(err)
	}
	u := f.User("newco")
	if reg.Username != "newco" || reg.UserID != u.ID || u.EnterpriseID == nil || *u.EnterpriseID != reg.EnterpriseID {
		t.Fatalf("registered %+v, login %+v", reg, u)
	}
	e, err := f.St.Enterprise(ctx, reg.EnterpriseID)
	if err != nil || e.Name != "温州测试企业有限公司" || e.CountyCode != "330304" {
		t.Fatalf("enterprise %+v %v", e, err)
	}
	if bad, n, err := f.St.VerifyAudit(ctx); err != nil || bad != 0 || n != 1 {
		t.Fatalf("audit: bad %d, %d entries, %v; want the registration", bad, n, err)
	}
	inbox, err := f.App.Inbox.List(ctx, u.ID, "zh", 10)
	if err != nil || len(inbox) != 1 || inbox[0].Kind != "welcome" {
		t.Fatalf("welcome: %+v %v", inbox, err)
	}
	if _, err := f.App.SignIn.LogIn(ctx, signin.Credentials{Username: "newco", Password: "a-long-password"}, signin.KindWeb, ""); err != nil {
		t.Fatalf("the new login: %v", err)
	}
}

func TestRegisterRefusesWhatIsTaken(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	if _, err := f.App.SignIn.Register(ctx, registration(0)); err != nil {
		t.Fatal(err)
	}
	before, _ := f.St.CountEnterprises(ctx)
	sameCode := registration(1)
	sameCode.USCC, sameCode.Username = registration(0).USCC, "other"
	sameUser := registration(2)
	for name, tc := range map[string]struct {
		r     signin.Registration
		field string
	}{"credit code": {sameCode, "uscc"}, "username": {sameUser, "username"}} {
		_, err := f.App.SignIn.Register(ctx, tc.r)
		if errs.KindOf(err) != errs.Conflict || errs.FieldsOf(err)[tc.field] == "" {
			t.Errorf("taken %s: %v, want a conflict naming %s", name, err, tc.field)
		}
	}
	if after, _ := f.St.CountEnterprises(ctx); after != before {
		t.Fatalf("refused registrations left %d enterprises behind", after-before)
	}
	if _, err := f.St.UserByUsername(ctx, "other"); !errors.Is(err, errs.NotFound) {
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
