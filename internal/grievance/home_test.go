package grievance_test

import (
	"context"
	"testing"

	"qijian/internal/account"
	"qijian/internal/grievance"
	"qijian/internal/testkit"
)

func TestHomeOrdersAreTheEnterprisesOwnAndNoOneElses(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	o, err := f.App.Orders.File(ctx, f.Actor("ent-a"), grievance.Filing{Type: "conduct", Description: "检查人员态度粗暴，干扰生产"}, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.App.Orders.HomeOrders(ctx, f.Actor("ent-a"), 5)
	if err != nil || len(got) != 1 || got[0].ID != o.ID || got[0].Number != o.Number || got[0].Status != string(o.Status) {
		t.Fatalf("ent-a's home: %+v %v", got, err)
	}
	// Everyone else gets none, though the order exists: the list never widens by accident.
	others := []account.Actor{f.Actor("ent-b"), f.Actor("liaison-city"), f.Actor("admin"), f.Actor("obs-chamber"),
		{UserID: f.Actor("ent-a").UserID, Role: account.RoleEnterprise}, {}}
	for _, a := range others {
		if got, err := f.App.Orders.HomeOrders(ctx, a, 5); err != nil || len(got) != 0 {
			t.Errorf("%s %+v: %d orders, %v", a.Role, a, len(got), err)
		}
	}
}

func TestMemberMonthCountsOnlyTheObserversMembers(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	for _, who := range []string{"ent-a", "ent-b"} {
		if _, err := f.App.Orders.File(ctx, f.Actor(who), grievance.Filing{Type: "consultation", Description: "想了解检查计划公示"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	m, err := f.App.Orders.MemberMonth(ctx, f.Actor("obs-chamber"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Month != "2026-03" || len(m.Members) != 1 {
		t.Fatalf("month %+v", m)
	}
	if mf := m.Members[0]; mf.EnterpriseID != f.Actor("ent-a").EnterpriseID || mf.Name != "温州鹿城新锐鞋业有限公司" || mf.Orders != 1 || mf.OrdersOpen != 1 {
		t.Fatalf("member figures %+v", mf)
	}
	for _, a := range []account.Actor{f.Actor("ent-a"), f.Actor("admin"), {Role: account.RoleObserver, Members: []uint{1, 2}}} {
		if m, err := f.App.Orders.MemberMonth(ctx, a); err != nil || len(m.Members) != 0 {
			t.Errorf("%s %+v: %+v %v", a.Role, a, m, err)
		}
	}
}
