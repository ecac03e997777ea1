package signin_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"testing"

	"qijian/internal/errs"
	"qijian/internal/outreach"
	"qijian/internal/signin"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

func licencePNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func callerOf(f *testkit.Fixture, name string) signin.Caller {
	return signin.Caller{User: f.User(name), Actor: f.Actor(name)}
}

// A squatter who registers a real enterprise's credit code receives nothing addressed to it:
// not the three documents sent to the code, not their notice, no list of them; the reviewers see
// the dispute and decide it, and the loser's access ends.
func TestClaimIsLimitedUntilReviewedAndTheLoserLosesAccess(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	files := signin.Files{Dir: t.TempDir()}
	code := registration(0)
	if err := f.App.SignIn.Register(ctx, code); err != nil { // the squatter comes first
		t.Fatal(err)
	}
	docs := outreach.DocumentsInput{EnterpriseUSCC: code.USCC, Decision: "决定", Advice: "建议", CreditRepair: "修复"}
	b, err := f.App.Outreach.SendDocuments(ctx, f.Actor("officer-scj"), docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"newco"} {
		a := f.Actor(name)
		if _, err := f.App.Outreach.Bundle(ctx, a, b.ID); !errors.Is(err, errs.NotFound) {
			t.Errorf("%s opens the bundle addressed to the code it applied for: %v", name, err)
		}
		if list, err := f.App.Outreach.Bundles(ctx, a); err == nil || len(list) != 0 {
			t.Errorf("%s lists bundles: %v %v", name, list, err)
		}
		if n, _ := testkit.Sent(ctx, f.St, "alert.documents"); n[f.User(name).ID] != 0 {
			t.Errorf("%s was told of the documents", name)
		}
	}
	if err := f.App.SignIn.UploadLicence(ctx, files, callerOf(f, "newco"), licencePNG(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.App.SignIn.ReviewQueue(ctx, f.Actor("ent-a"), "zh"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("an enterprise reads the review queue: %v", err)
	}
	if q, err := f.App.SignIn.ReviewQueue(ctx, f.Actor("liaison-lc"), "zh"); err != nil || len(q) != 0 {
		t.Fatalf("Lucheng's liaison sees Ouhai's applications: %v %v", q, err)
	}
	q, err := f.App.SignIn.ReviewQueue(ctx, f.Actor("admin"), "zh")
	if err != nil || len(q) != 1 || !q[0].Licence || len(q[0].Rivals) != 0 {
		t.Fatalf("queue %+v %v", q, err)
	}
	sq, _ := f.St.ClaimOfUser(ctx, f.User("newco").ID)
	// The squatter fooled a reviewer once: approved, it reads the bundle.
	if err := f.App.SignIn.Decide(ctx, f.Actor("admin"), sq.ID, signin.Decision{Approve: true}); errs.FieldsOf(err)["contact_checked"] == "" {
		t.Fatalf("approved without the contact check: %v", err)
	}
	if err := f.App.SignIn.Decide(ctx, f.Actor("liaison-city"), sq.ID, signin.Decision{Approve: true, ContactChecked: true}); err != nil {
		t.Fatal(err)
	}
	squatter, _ := f.App.SignIn.StartSession(ctx, f.User("newco").ID, signin.KindWeb)
	if _, err := f.App.Outreach.SendDocuments(ctx, f.Actor("officer-scj"), docs); err != nil {
		t.Fatal(err)
	}
	if n, _ := testkit.Sent(ctx, f.St, "alert.documents"); n[f.User("newco").ID] != 1 {
		t.Fatalf("approved, the squatter is told of a new bundle: %v", n)
	}
	if _, err := f.App.Outreach.Bundle(ctx, f.Actor("newco"), b.ID); err != nil {
		t.Fatalf("approved, the bundle: %v", err)
	}
	// The real enterprise applies for its code: the same answer as any registration, and a claim
	// that the reviewers see beside the approved one. Approving it ends the squatter's access and
	// sessions.
	real := registration(0)
	real.Username, real.Name = "realco", "温州真实企业有限公司"
	if err := f.App.SignIn.Register(ctx, real); err != nil {
		t.Fatal(err)
	}
	if _, err := f.App.Outreach.Bundle(ctx, f.Actor("realco"), b.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("the second applicant opens the bundle before review: %v", err)
	}
	if err := f.App.SignIn.UploadLicence(ctx, files, callerOf(f, "realco"), licencePNG(t)); err != nil {
		t.Fatal(err)
	}
	rc, _ := f.St.ClaimOfUser(ctx, f.User("realco").ID)
	v, err := f.App.SignIn.Claim(ctx, f.Actor("admin"), rc.ID, "zh")
	if err != nil || len(v.Rivals) != 1 || v.Rivals[0].Username != "newco" || v.Rivals[0].Status != store.ClaimApproved || v.RegisteredName != "温州测试企业有限公司" {
		t.Fatalf("the dispute as reviewers see it: %+v %v", v, err)
	}
	if err := f.App.SignIn.Decide(ctx, f.Actor("admin"), rc.ID, signin.Decision{Approve: true, ContactChecked: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.App.Outreach.Bundle(ctx, f.Actor("newco"), b.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("the loser still opens the bundle: %v", err)
	}
	if _, err := f.App.SignIn.Resolve(ctx, squatter.Secret, signin.KindWeb); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("the loser's session lives on: %v", err)
	}
	if _, err := f.App.Outreach.Bundle(ctx, f.Actor("realco"), b.ID); err != nil {
		t.Fatalf("the winner: %v", err)
	}
	if n, _ := testkit.Sent(ctx, f.St, "alert.documents"); n[f.User("newco").ID] != 0 {
		t.Fatalf("the loser keeps the enterprise's notices in its inbox: %v", n)
	}
	if inbox, _ := f.App.Inbox.List(ctx, f.User("newco").ID, "zh", 10); len(inbox) == 0 || inbox[0].Kind != "welcome.refused" {
		t.Fatalf("the loser's inbox: %+v", inbox)
	}
	if got, _ := f.St.ClaimOfUser(ctx, f.User("newco").ID); got.Status != store.ClaimRefused || got.Reason == "" {
		t.Fatalf("the loser's claim: %+v", got)
	}
	e, _ := f.St.Enterprise(ctx, rc.EnterpriseID)
	if e.Name != "温州真实企业有限公司" {
		t.Fatalf("the enterprise keeps the squatter's name: %q", e.Name)
	}
	if err := f.App.SignIn.Decide(ctx, f.Actor("admin"), rc.ID, signin.Decision{Approve: false}); errs.FieldsOf(err)["reason"] == "" {
		t.Fatalf("a refusal without a reason: %v", err)
	}
	if bad, n, err := f.St.VerifyAudit(ctx); err != nil || bad != 0 || n < 6 {
		t.Fatalf("audit: bad %d, %d entries, %v; want applications, licences and decisions", bad, n, err)
	}
}

// Reviewers are shown an application whose name another credit code already carries.
func TestDuplicateNamesFlagged(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	entA, _ := f.St.Enterprise(ctx, *f.User("ent-a").EnterpriseID)
	r := registration(5)
	r.Name, r.County = entA.Name, "330302"
	if err := f.App.SignIn.Register(ctx, r); err != nil {
		t.Fatal(err)
	}
	other := registration(6)
	other.Username = "otherco"
	if err := f.App.SignIn.Register(ctx, other); err != nil {
		t.Fatal(err)
	}
	q, err := f.App.SignIn.ReviewQueue(ctx, f.Actor("admin"), "zh")
	if err != nil || len(q) != 2 || !q[0].DuplicateName || q[1].DuplicateName {
		t.Fatalf("queue %+v %v: want the first flagged, the second not", q, err)
	}
	if q, _ := f.App.SignIn.ReviewQueue(ctx, f.Actor("liaison-lc"), "zh"); len(q) != 1 || !q[0].CountyMismatch {
		t.Fatalf("Lucheng's liaison: %+v; want the Ouhai-issued code applied for in Lucheng flagged", q)
	}
	if q[1].CountyMismatch {
		t.Fatalf("an Ouhai code applied for in Ouhai is flagged: %+v", q[1])
	}
}

// A reviewer fooled into approving a squatter for a code staff registered does not hand it the
// real logins: the record keeps its contact, so their reset links still go to the enterprise.
func TestApprovalKeepsAStaffRegisteredContact(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	entA, _ := f.St.Enterprise(ctx, *f.User("ent-a").EnterpriseID)
	r := registration(7)
	r.USCC, r.County, r.Username, r.Mobile = entA.USCC, "330302", "squatter", "13911112222"
	if err := f.App.SignIn.Register(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := f.App.SignIn.UploadLicence(ctx, signin.Files{Dir: t.TempDir()}, callerOf(f, "squatter"), licencePNG(t)); err != nil {
		t.Fatal(err)
	}
	cl, _ := f.St.ClaimOfUser(ctx, f.User("squatter").ID)
	if err := f.App.SignIn.Decide(ctx, f.Actor("admin"), cl.ID, signin.Decision{Approve: true, ContactChecked: true}); err != nil {
		t.Fatal(err)
	}
	if e, _ := f.St.Enterprise(ctx, entA.ID); e.Mobile != entA.Mobile || e.Name != entA.Name {
		t.Fatalf("the record took the squatter's details: %+v", e)
	}
	if m, err := f.App.SignIn.VerifiedMobile(ctx, f.User("ent-a")); err != nil || m != entA.Mobile {
		t.Fatalf("ent-a's reset number: %q %v", m, err)
	}
}
