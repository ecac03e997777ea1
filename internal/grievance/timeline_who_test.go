package grievance_test

import (
	"context"
	"testing"

	"qijian/internal/grievance"
)

// The timeline says who did what: the unit that signed and replied (to staff with the officer's
// account), the liaison's office, the filer where the viewer may know it; an anonymous reporter
// is named to no one but itself.
func TestTimelineNamesWhoActed(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	ctx := context.Background()
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	unit, err := f.St.BodyName(ctx, 1)
	if err != nil || unit == "" {
		t.Fatalf("body 1: %q %v", unit, err)
	}
	who := func(user string, id uint64) map[string]string {
		t.Helper()
		d, err := f.svc.Detail(ctx, f.Actor(user), f.svc.Ref(f.order(id)))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, e := range d.Timeline {
			out[e.Action+"/"+e.By] = e.Who
		}
		return out
	}
	ent, staff := who("ent-a", o.ID), who("liaison-lc", o.ID)
	if ent["sign/officer"] != unit || staff["sign/officer"] != unit+"（市场监管局 执法人员）" {
		t.Errorf("sign: the enterprise sees %q, the liaison %q; want the unit %q (and the officer to staff)", ent["sign/officer"], staff["sign/officer"], unit)
	}
	if ent["accept/liaison"] != "鹿城区司法局 监督联络员" || ent["dispatch/liaison"] != "鹿城区司法局 监督联络员" {
		t.Errorf("accept and dispatch name %q and %q, want the liaison's office", ent["accept/liaison"], ent["dispatch/liaison"])
	}
	if ent["submit/enterprise"] == "" || staff["submit/enterprise"] != ent["submit/enterprise"] {
		t.Errorf("the filing names %q to the enterprise and %q to the liaison", ent["submit/enterprise"], staff["submit/enterprise"])
	}
	anon := illegal
	anon.Anonymous = true
	a := f.file("ent-a", anon, "")
	f.act("liaison-lc", f.svc.Ref(a), grievance.Move{Action: "accept"})
	f.act("liaison-lc", f.svc.Ref(a), grievance.Move{Action: "dispatch", UnitID: 1})
	for _, user := range []string{"officer-scj", "liaison-lc"} {
		for k, v := range who(user, a.ID) {
			if (k == "submit/"+grievance.RoleReporter || k == "submit/enterprise") && v != "" {
				t.Errorf("%s: the anonymous filing names %q", user, v)
			}
		}
	}
}
