package outreach_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/demo"
	"qijian/internal/errs"
	"qijian/internal/outreach"
	"qijian/internal/outreach/appointment"
	"qijian/internal/testkit"
)

// fixture is the shared test fixture with the outreach service at hand.
type fixture struct {
	*testkit.Fixture
	svc *outreach.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := testkit.NewFixture(t, testkit.Monday)
	return &fixture{Fixture: f, svc: f.App.Outreach}
}

// otherOfficer is an officer of another body than officer-scj's.
func (f *fixture) otherOfficer() account.Actor {
	a := f.Actor("officer-scj")
	a.UserID, a.BodyID = a.UserID+1000, a.BodyID+1
	return a
}

// recipients lists the user ids sent a message of kind, in the inbox or still queued.
func (f *fixture) recipients(kind string) map[uint]int {
	f.T.Helper()
	out, err := testkit.Sent(context.Background(), f.St, kind)
	if err != nil {
		f.T.Fatal(err)
	}
	return out
}

// A risk alert reaches exactly the enterprises it targets: every login of each, no one else.
func TestAlertReachesExactlyItsTargets(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ents, _ := f.St.Enterprises(ctx, 100)
	want := map[uint]bool{}
	for _, e := range ents { // give every demo enterprise a second login
		eid := e.ID
		u := &account.User{Username: fmt.Sprintf("staff-%d", e.ID), PasswordHash: "x", Role: account.RoleEnterprise, EnterpriseID: &eid, EnterpriseVerified: true}
		if err := f.St.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if (e.Industry == "footwear" || e.Industry == "apparel" || e.Industry == "auto_parts") && (e.CountyCode == "330302" || e.CountyCode == "330304") {
			want[e.ID] = true
		}
	}
	if len(want) != 2 {
		t.Fatalf("demo data changed: %d targets", len(want))
	}
	al, err := f.svc.PublishAlert(ctx, f.Actor("officer-scj"), outreach.AlertInput{Title: " 春节前消防安全风险提示 ", Body: "请检查灭火器有效期。",
		Industries: []string{"footwear", "apparel", "auto_parts"}, Counties: []string{"330302", "330304"}})
	if err != nil {
		t.Fatal(err)
	}
	if al.Reached != 2 || al.Title != "春节前消防安全风险提示" {
		t.Fatalf("reached %d enterprises, want 2 (%q)", al.Reached, al.Title)
	}
	got := f.recipients("alert.risk")
	var users []account.User
	f.St.Gorm().Where("enterprise_id IS NOT NULL").Find(&users)
	targetedUsers := 0
	for _, u := range users {
		if want[*u.EnterpriseID] {
			targetedUsers++
		}
		if want[*u.EnterpriseID] != (got[u.ID] == 1) {
			t.Errorf("user %s of enterprise %d: %d messages, targeted %v", u.Username, *u.EnterpriseID, got[u.ID], want[*u.EnterpriseID])
		}
	}
	if len(got) != targetedUsers || targetedUsers < 3 {
		t.Errorf("messages went to %d users, want the %d logins of the targeted enterprises", len(got), targetedUsers)
	}
	// The targets are stored apart and read back whole.
	if back, err := f.svc.Alert(ctx, f.Actor("admin"), al.ID); err != nil || len(back.Industries) != 3 || len(back.Counties) != 2 {
		t.Fatalf("read back: %+v %v", back, err)
	}
	// ent-b (auto_parts in 瑞安) was not targeted: it cannot open it, nor find it in its list.
	if _, err := f.svc.Alert(ctx, f.Actor("ent-b"), al.ID); !errors.Is(err, outreach.ErrNotFound) {
		t.Errorf("ent-b opened an alert not meant for it: %v", err)
	}
	if list, err := f.svc.Alerts(ctx, f.Actor("ent-b")); err != nil || len(list) != 0 {
		t.Errorf("ent-b's list: %v %v", list, err)
	}
	if _, err := f.svc.Alert(ctx, f.Actor("ent-a"), al.ID); err != nil {
		t.Errorf("ent-a: %v", err)
	}
	if list, err := f.svc.Alerts(ctx, f.Actor("ent-a")); err != nil || len(list) != 1 {
		t.Errorf("ent-a's list: %v %v", list, err)
	}
	if _, err := f.svc.PublishAlert(ctx, f.Actor("ent-a"), outreach.AlertInput{Title: "x", Body: "y"}); !errors.Is(err, outreach.ErrForbidden) {
		t.Errorf("an enterprise published an alert: %v", err)
	}
	if _, err := f.svc.Alerts(ctx, f.Actor("liaison-lc")); !errors.Is(err, outreach.ErrForbidden) {
		t.Errorf("a liaison lists alerts: %v", err)
	}
}

// An alert without targets is for everyone; one for a county only is for every industry there.
func TestAlertTargets(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		industries, counties []string
		industry, county     string
		want                 bool
	}{
		{nil, nil, "footwear", "330302", true},
		{[]string{"footwear"}, nil, "footwear", "330381", true},
		{[]string{"footwear"}, nil, "apparel", "330302", false},
		{nil, []string{"330302"}, "apparel", "330302", true},
		{nil, []string{"330302"}, "apparel", "330381", false},
		{[]string{"footwear", "apparel"}, []string{"330302", "330304"}, "apparel", "330304", true},
		{[]string{"footwear"}, []string{"330302"}, "", "", false},
	} {
		if got := outreach.Targets(c.industries, c.counties, c.industry, c.county); got != c.want {
			t.Errorf("%v %v for %s in %s: %v, want %v", c.industries, c.counties, c.industry, c.county, got, c.want)
		}
	}
}

func TestEntrepreneurAppointment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ent, off := f.Actor("ent-a"), f.Actor("officer-scj")
	ap, err := f.svc.RequestAppointment(ctx, ent, outreach.AppointmentRequest{BodyID: off.BodyID, Topic: "反映多头重复检查问题", PreferredAt: "2026-03-10T15:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if ap.BodyZh == "" || ap.PreferredAt == nil || len(ap.Actions) == 0 {
		t.Fatalf("the view: %+v", ap)
	}
	if n := f.recipients("order.appointment"); n[off.UserID] != 1 {
		t.Fatalf("the body's officer was not told: %v", n)
	}
	for _, c := range []struct {
		name string
		a    account.Actor
		step outreach.AppointmentStep
		want error
	}{
		{"the enterprise accepts its own request", ent, outreach.AppointmentStep{Action: "accept"}, appointment.ErrNotAllowed},
		{"another enterprise", f.Actor("ent-b"), outreach.AppointmentStep{Action: "cancel"}, outreach.ErrNotFound},
		{"a proposal without a time", off, outreach.AppointmentStep{Action: "propose"}, outreach.ErrNeedTime},
		{"a time that is none", off, outreach.AppointmentStep{Action: "propose", MeetAt: "next week"}, outreach.ErrMeetAt},
		{"an admin stands on neither side", f.Actor("admin"), outreach.AppointmentStep{Action: "accept"}, appointment.ErrNotAllowed},
	} {
		if _, err := f.svc.ActOnAppointment(ctx, c.a, ap.ID, c.step); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	other := time.Date(2026, 3, 12, 9, 30, 0, 0, testkit.Monday.Location())
	steps := []struct {
		a    account.Actor
		st   outreach.AppointmentStep
		want appointment.Status
	}{
		{off, outreach.AppointmentStep{Action: "propose", MeetAt: "2026-03-12T09:30", Place: "市场监管局 3 楼会议室"}, appointment.Proposed},
		{ent, outreach.AppointmentStep{Action: "agree"}, appointment.Scheduled},
		{off, outreach.AppointmentStep{Action: "record", Note: "同意合并检查，下月起实行综合查一次"}, appointment.Held},
		{ent, outreach.AppointmentStep{Action: "rate", Score: 5, Note: "沟通顺畅"}, appointment.Held},
	}
	for _, s := range steps {
		got, err := f.svc.ActOnAppointment(ctx, s.a, ap.ID, s.st)
		if err != nil || got.Status != s.want {
			t.Fatalf("%s: %v %v", s.st.Action, got, err)
		}
	}
	if _, err := f.svc.ActOnAppointment(ctx, ent, ap.ID, outreach.AppointmentStep{Action: "rate", Score: 1}); !errors.Is(err, appointment.ErrNotAllowed) {
		t.Fatalf("rated twice: %v", err)
	}
	got, _ := f.svc.Appointment(ctx, ent, ap.ID)
	if got.Score != 5 || got.MeetAt == nil || !got.MeetAt.Equal(other) || got.Outcome == "" || len(got.Actions) != 0 {
		t.Fatalf("recorded: %+v", got)
	}
	// County bodies are not part of the municipal appointment system.
	var county account.Body
	f.St.Gorm().Where("county_code <> ''").First(&county)
	if _, err := f.svc.RequestAppointment(ctx, ent, outreach.AppointmentRequest{BodyID: county.ID, Topic: "x"}); !errors.Is(err, outreach.ErrMunicipal) || errs.FieldsOf(err)["body_id"] == "" {
		t.Fatalf("county body: %v", err)
	}
	if _, err := f.svc.RequestAppointment(ctx, ent, outreach.AppointmentRequest{BodyID: off.BodyID, Topic: "x", PreferredAt: "soon"}); !errors.Is(err, outreach.ErrPreferredAt) {
		t.Fatalf("a preferred time that is none: %v", err)
	}
}

// Appointment and document lists are the caller's own, and refused to everyone else; the
// enterprise's desk offers the municipal bodies to ask.
func TestOutreachListsAreScoped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ent, off := f.Actor("ent-a"), f.Actor("officer-scj")
	if _, err := f.svc.RequestAppointment(ctx, ent, outreach.AppointmentRequest{BodyID: off.BodyID, Topic: "约见"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SendDocuments(ctx, off, outreach.DocumentsInput{EnterpriseUSCC: demo.USCC("330302", 1), Decision: "a", Advice: "b", CreditRepair: "c"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"ent-a", "officer-scj"} {
		d, err := f.svc.AppointmentDesk(ctx, f.Actor(who))
		if err != nil || len(d.Appointments) != 1 || d.CanRequest != (who == "ent-a") || (len(d.Bodies) > 0) != d.CanRequest {
			t.Errorf("%s appointments: %+v %v", who, d, err)
		}
		docs, err := f.svc.DocumentDesk(ctx, f.Actor(who))
		if err != nil || len(docs.Bundles) != 1 || docs.CanSend != (who == "officer-scj") {
			t.Errorf("%s documents: %+v %v", who, docs, err)
		}
	}
	for who, a := range map[string]account.Actor{"ent-b": f.Actor("ent-b"), "another body's officer": f.otherOfficer()} {
		if list, err := f.svc.Appointments(ctx, a); err != nil || len(list) != 0 {
			t.Errorf("%s sees %d appointments (%v)", who, len(list), err)
		}
		if list, err := f.svc.Bundles(ctx, a); err != nil || len(list) != 0 {
			t.Errorf("%s sees %d bundles (%v)", who, len(list), err)
		}
	}
	lost := off
	lost.BodyID = 0
	for name, a := range map[string]account.Actor{"admin": f.Actor("admin"), "liaison": f.Actor("liaison-city"), "provider": f.Actor("provider-1"), "officer without a body": lost} {
		if _, err := f.svc.Appointments(ctx, a); !errors.Is(err, outreach.ErrForbidden) {
			t.Errorf("%s lists appointments: %v", name, err)
		}
		if _, err := f.svc.Bundles(ctx, a); !errors.Is(err, outreach.ErrForbidden) {
			t.Errorf("%s lists bundles: %v", name, err)
		}
	}
}

func TestThreeDocumentsTogether(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	ent := f.Actor("ent-a")
	b, err := f.svc.SendDocuments(ctx, f.Actor("officer-scj"), outreach.DocumentsInput{EnterpriseUSCC: demo.USCC("330302", 1),
		Decision: "行政处罚决定书：……", Advice: "行政合规建议书：……", CreditRepair: "信用修复告知书：……"})
	if err != nil {
		t.Fatal(err)
	}
	if b.EnterpriseID != ent.EnterpriseID || len(b.Attachments) != 3 {
		t.Fatalf("sent: %+v", b)
	}
	if n := f.recipients("alert.documents"); n[ent.UserID] != 1 || len(n) != 1 {
		t.Fatalf("one notice to the enterprise only: %v", n)
	}
	got, err := f.svc.Bundle(ctx, ent, b.ID)
	if err != nil || got.ReadAt == nil || got.Decision == "" || got.Advice == "" || got.CreditRepair == "" {
		t.Fatalf("enterprise reads the three documents: %+v %v", got, err)
	}
	file, err := f.svc.DocumentFile(ctx, ent, b.ID, "advice.txt")
	if err != nil || file.Name != b.Number+"-advice.txt" || file.Text != "行政合规建议书 "+b.Number+"\r\n\r\n行政合规建议书：……\r\n" {
		t.Fatalf("file: %+v %v", file, err)
	}
	if _, err := f.svc.DocumentFile(ctx, ent, b.ID, "secret.txt"); !errors.Is(err, outreach.ErrNotFound) {
		t.Fatalf("a fourth document: %v", err)
	}
	for _, who := range []string{"ent-b", "liaison-lc", "obs-chamber", "provider-1"} {
		if _, err := f.svc.Bundle(ctx, f.Actor(who), b.ID); !errors.Is(err, outreach.ErrNotFound) {
			t.Errorf("%s: %v", who, err)
		}
	}
	if _, err := f.svc.Bundle(ctx, f.otherOfficer(), b.ID); !errors.Is(err, outreach.ErrNotFound) {
		t.Errorf("another body's officer: %v", err)
	}
	if _, err := f.svc.SendDocuments(ctx, f.Actor("liaison-lc"), outreach.DocumentsInput{EnterpriseUSCC: demo.USCC("330302", 1)}); !errors.Is(err, outreach.ErrForbidden) {
		t.Errorf("a liaison issued documents: %v", err)
	}
	if _, err := f.svc.SendDocuments(ctx, f.Actor("officer-scj"), outreach.DocumentsInput{EnterpriseUSCC: demo.USCC("330302", 99), Decision: "a", Advice: "b", CreditRepair: "c"}); !errors.Is(err, outreach.ErrUnknownEnterprise) {
		t.Errorf("an enterprise not on the portal: %v", err)
	}
}

func TestPenaltyListsOnlyByTheirBody(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	off := f.Actor("officer-scj")
	in := outreach.PenaltyInput{Category: "none", Title: " 首次轻微违法 ", Basis: "《行政处罚法》第三十三条", PublishedOn: "2026-01-01"}
	if p, err := f.svc.AddPenalty(ctx, off, off.BodyID, in); err != nil || p.Title != "首次轻微违法" {
		t.Fatalf("add: %+v %v", p, err)
	}
	if _, err := f.svc.AddPenalty(ctx, off, off.BodyID+1, in); !errors.Is(err, outreach.ErrForbidden) {
		t.Fatalf("an officer wrote another body's list: %v", err)
	}
	if _, err := f.svc.AddPenalty(ctx, f.Actor("admin"), 1<<30, in); !errors.Is(err, outreach.ErrNotFound) {
		t.Fatalf("a body that does not exist: %v", err)
	}
	list, err := f.svc.Penalties(ctx, off.BodyID)
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v %v", list, err)
	}
	if _, err := f.svc.Penalties(ctx, 1<<30); !errors.Is(err, errs.NotFound) {
		t.Fatalf("the list of no body: %v", err)
	}
	for who, a := range map[string]account.Actor{"officer-scj": off, "admin": f.Actor("admin"), "another body's officer": f.otherOfficer(), "ent-a": f.Actor("ent-a")} {
		canEdit := who == "officer-scj" || who == "admin"
		l, err := f.svc.BodyLists(ctx, a, off.BodyID)
		if err != nil || len(l.Groups) != len(outreach.Categories) || len(l.Groups[0].Rows) != 1 || l.CanEdit != canEdit {
			t.Errorf("%s: %+v %v", who, l, err)
		}
	}
	if l, err := f.svc.BodyLists(ctx, account.Actor{}, off.BodyID); err != nil || l.CanEdit {
		t.Errorf("the public: %+v %v", l, err)
	}
}
