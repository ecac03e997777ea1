package admin_test

import (
	"context"
	"testing"

	"qijian/internal/admin"
	"qijian/internal/errs"
	"qijian/internal/testkit"
)

func TestRoutingRulesAreNamedAndAudited(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	body := *f.User("officer-scj").BodyID
	id, err := f.App.Admin.AddRule(ctx, adm, admin.RuleInput{Type: "appeal", County: "330302", BodyID: body, Channel: "12348", UnitID: body, Position: 10})
	if err != nil {
		t.Fatal(err)
	}
	wantAudit(t, f, adm.UserID, "routing.add", "routing_rule", uint64(id), `{"type":"appeal","county":"330302","channel":"12348"}`)
	w, err := f.App.Admin.Workflow(ctx, adm, "zh")
	if err != nil {
		t.Fatal(err)
	}
	var rule *admin.Rule
	for i := range w.Rules {
		if w.Rules[i].ID == id {
			rule = &w.Rules[i]
		}
	}
	if rule == nil || rule.CountyName != "鹿城区" || rule.BodyName != "温州市市场监督管理局" || rule.UnitName != "温州市市场监督管理局" || rule.Channel != "12348" {
		t.Fatalf("rule as listed: %+v", rule)
	}
	if len(w.SLA) == 0 {
		t.Fatal("no SLA rows")
	}
	if err := f.App.Admin.DeleteRule(ctx, adm, id); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, f, adm.UserID, "routing.delete", "routing_rule", uint64(id), "")
	wantKind(t, f.App.Admin.DeleteRule(ctx, adm, id), errs.NotFound)

	_, err = f.App.Admin.AddRule(ctx, adm, admin.RuleInput{Channel: "12345", UnitID: 9999})
	wantKind(t, err, errs.Invalid)
	if errs.FieldsOf(err)["unit_id"] == "" {
		t.Fatalf("%v does not name unit_id", err)
	}
}

func TestSLAChangeIsAudited(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx, adm := context.Background(), f.Actor("admin")
	w, err := f.App.Admin.Workflow(ctx, adm, "zh")
	if err != nil {
		t.Fatal(err)
	}
	p := w.SLA[0]
	if err := f.App.Admin.SetSLA(ctx, adm, p.ID, admin.SLAInput{Amount: 3, Unit: "hours"}); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, f, adm.UserID, "sla.set", "sla_policy", uint64(p.ID), `{"amount":3,"unit":"hours"}`)
	w, _ = f.App.Admin.Workflow(ctx, adm, "zh")
	for _, q := range w.SLA {
		if q.ID == p.ID && (q.Amount != 3 || q.Unit != "hours") {
			t.Fatalf("after the change: %+v", q)
		}
	}
	wantKind(t, f.App.Admin.SetSLA(ctx, adm, 9999, admin.SLAInput{Amount: 3, Unit: "hours"}), errs.NotFound)
	wantKind(t, f.App.Admin.SetSLA(ctx, adm, p.ID, admin.SLAInput{Amount: 0, Unit: "weeks"}), errs.Invalid)
}

func TestWorkflowRefusesStaff(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	for _, who := range staff {
		t.Run(who, func(t *testing.T) {
			a := f.Actor(who)
			_, err := f.App.Admin.Workflow(ctx, a, "zh")
			wantKind(t, err, errs.Forbidden)
			_, err = f.App.Admin.AddRule(ctx, a, admin.RuleInput{Channel: "12345"})
			wantKind(t, err, errs.Forbidden)
			wantKind(t, f.App.Admin.DeleteRule(ctx, a, 1), errs.Forbidden)
			wantKind(t, f.App.Admin.SetSLA(ctx, a, 1, admin.SLAInput{Amount: 1, Unit: "days"}), errs.Forbidden)
		})
	}
	if n := len(trail(t, f)); n != 0 {
		t.Fatalf("refusals wrote %d audit entries", n)
	}
}
