package outreach_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/clock"
	"qijian/internal/demo"
	"qijian/internal/outreach"
	"qijian/internal/outreach/appointment"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

type fixture struct {
	t   *testing.T
	st  *store.Store
	svc *outreach.Service
}

func newFixture(t *testing.T) *fixture {
	st := testkit.Store(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if _, err := demo.Load(context.Background(), st, "demo-password-123", clk.Now()); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, st: st, svc: &outreach.Service{St: st, Clock: clk}}
}

func (f *fixture) actor(username string) account.Actor {
	f.t.Helper()
	u, err := f.st.UserByUsername(context.Background(), username)
	if err != nil {
		f.t.Fatal(err)
	}
	a, err := f.st.Actor(context.Background(), u)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// recipients lists the user ids sent a message of kind, in the inbox or still queued.
func (f *fixture) recipients(kind string) map[uint]int {
	out, err := testkit.Sent(context.Background(), f.st, kind)
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// A risk alert reaches exactly the enterprises it targets: every login of each, no one else.
func TestAlertReachesExactlyItsTargets(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ents, _ := f.st.Enterprises(ctx, 100)
	want := map[uint]bool{}
	for _, e := range ents { // give every demo enterprise a second login
		eid := e.ID
		u := &account.User{Username: fmt.Sprintf("staff-%d", e.ID), PasswordHash: "x", Role: account.RoleEnterprise, EnterpriseID: &eid}
		if err := f.st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if (e.Industry == "footwear" || e.Industry == "apparel" || e.Industry == "auto_parts") && (e.CountyCode == "330302" || e.CountyCode == "330304") {
			want[e.ID] = true
		}
	}
	if len(want) != 2 {
		t.Fatalf("demo data changed: %d targets", len(want))
	}
	al, err := f.svc.PublishAlert(ctx, f.actor("officer-scj"), outreach.Alert{Title: "春节前消防安全风险提示", Body: "请检查灭火器有效期。",
		Industries: []string{"footwear", "apparel", "auto_parts"}, Counties: []string{"330302", "330304"}})
	if err != nil {
		t.Fatal(err)
	}
	if al.Reached != 2 {
		t.Fatalf("reached %d enterprises, want 2", al.Reached)
	}
	got := f.recipients("alert.risk")
	var users []account.User
	f.st.Gorm().Where("enterprise_id IS NOT NULL").Find(&users)
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
	// ent-b (auto_parts in 瑞安) was not targeted and cannot open it.
	if _, err := f.svc.AlertFor(ctx, f.actor("ent-b"), al.ID); !errors.Is(err, outreach.ErrNotFound) {
		t.Errorf("ent-b opened an alert not meant for it: %v", err)
	}
	if _, err := f.svc.AlertFor(ctx, f.actor("ent-a"), al.ID); err != nil {
		t.Errorf("ent-a: %v", err)
	}
	if _, err := f.svc.PublishAlert(ctx, f.actor("ent-a"), outreach.Alert{Title: "x", Body: "y"}); !errors.Is(err, outreach.ErrForbidden) {
		t.Errorf("an enterprise published an alert: %v", err)
	}
}

func TestEntrepreneurAppointment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent, off := f.actor("ent-a"), f.actor("officer-scj")
	body := off.BodyID
	pref := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	ap, err := f.svc.RequestAppointment(ctx, ent, outreach.AppointmentRequest{BodyID: body, Topic: "反映多头重复检查问题", PreferredAt: &pref})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.recipients("order.appointment"); n[off.UserID] != 1 {
		t.Fatalf("the body's officer was not told: %v", n)
	}
	if _, err := f.svc.ActOnAppointment(ctx, ent, ap.ID, outreach.AppointmentStep{Action: appointment.Accept}); !errors.Is(err, appointment.ErrNotAllowed) {
		t.Fatalf("the enterprise accepted its own request: %v", err)
	}
	if _, err := f.svc.ActOnAppointment(ctx, f.actor("ent-b"), ap.ID, outreach.AppointmentStep{Action: appointment.Cancel}); !errors.Is(err, outreach.ErrNotFound) {
		t.Fatalf("another enterprise reached it: %v", err)
	}
	if _, err := f.svc.ActOnAppointment(ctx, off, ap.ID, outreach.AppointmentStep{Action: appointment.Propose}); !errors.Is(err, outreach.ErrNeedTime) {
		t.Fatalf("a proposal without a time: %v", err)
	}
	other := time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC)
	steps := []struct {
		a    account.Actor
		st   outreach.AppointmentStep
		want appointment.Status
	}{
		{off, outreach.AppointmentStep{Action: appointment.Propose, MeetAt: &other, Place: "市场监管局 3 楼会议室"}, appointment.Proposed},
		{ent, outreach.AppointmentStep{Action: appointment.Agree}, appointment.Scheduled},
		{off, outreach.AppointmentStep{Action: appointment.Record, Note: "同意合并检查，下月起实行综合查一次"}, appointment.Held},
		{ent, outreach.AppointmentStep{Action: appointment.Rate, Score: 5, Note: "沟通顺畅"}, appointment.Held},
	}
	for _, s := range steps {
		got, err := f.svc.ActOnAppointment(ctx, s.a, ap.ID, s.st)
		if err != nil || got.Status != string(s.want) {
			t.Fatalf("%s: %v %v", s.st.Action, got, err)
		}
	}
	if _, err := f.svc.ActOnAppointment(ctx, ent, ap.ID, outreach.AppointmentStep{Action: appointment.Rate, Score: 1}); !errors.Is(err, appointment.ErrNotAllowed) {
		t.Fatalf("rated twice: %v", err)
	}
	got, _ := f.svc.Appointment(ctx, ent, ap.ID)
	if got.Score != 5 || got.MeetAt == nil || !got.MeetAt.Equal(other) || got.Outcome == "" {
		t.Fatalf("recorded: %+v", got)
	}
	// County bodies are not part of the municipal appointment system.
	var county account.Body
	f.st.Gorm().Where("county_code <> ''").First(&county)
	if _, err := f.svc.RequestAppointment(ctx, ent, outreach.AppointmentRequest{BodyID: county.ID, Topic: "x"}); !errors.Is(err, outreach.ErrMunicipal) {
		t.Fatalf("county body: %v", err)
	}
}

func TestThreeDocumentsTogether(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ent := f.actor("ent-a")
	b, err := f.svc.SendDocuments(ctx, f.actor("officer-scj"), outreach.Documents{EnterpriseID: ent.EnterpriseID,
		Decision: "行政处罚决定书：……", Advice: "行政合规建议书：……", CreditRepair: "信用修复告知书：……"})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.recipients("alert.documents"); n[ent.UserID] != 1 || len(n) != 1 {
		t.Fatalf("one notice to the enterprise only: %v", n)
	}
	got, err := f.svc.BundleFor(ctx, ent, b.ID)
	if err != nil || got.ReadAt == nil || got.Decision == "" || got.Advice == "" || got.CreditRepair == "" {
		t.Fatalf("enterprise reads the three documents: %+v %v", got, err)
	}
	for _, who := range []string{"ent-b", "liaison-lc", "obs-chamber", "provider-1"} {
		if _, err := f.svc.BundleFor(ctx, f.actor(who), b.ID); !errors.Is(err, outreach.ErrNotFound) {
			t.Errorf("%s: %v", who, err)
		}
	}
	if _, err := f.svc.SendDocuments(ctx, f.actor("liaison-lc"), outreach.Documents{EnterpriseID: ent.EnterpriseID}); !errors.Is(err, outreach.ErrForbidden) {
		t.Errorf("a liaison issued documents: %v", err)
	}
}

func TestPenaltyListsOnlyByTheirBody(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	off := f.actor("officer-scj")
	if err := f.svc.AddPenalty(ctx, off, &store.PenaltyEntry{BodyID: off.BodyID, Category: "none", Title: "首次轻微违法", Basis: "《行政处罚法》第三十三条", PublishedOn: "2026-01-01"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AddPenalty(ctx, off, &store.PenaltyEntry{BodyID: off.BodyID + 1, Category: "none", Title: "x", Basis: "y", PublishedOn: "2026-01-01"}); !errors.Is(err, outreach.ErrForbidden) {
		t.Fatalf("an officer wrote another body's list: %v", err)
	}
	list, _ := f.st.Penalties(ctx, off.BodyID)
	if len(list) != 1 {
		t.Fatalf("list: %v", list)
	}
}
