package account

import "testing"

// A co-handling unit's officers read the order (ViewOrder), nothing more about it: not its
// reporter, not a reveal, not an export; the lead unit's officers read it too, another unit's not.
func TestCohandlerReadsTheOrderOnly(t *testing.T) {
	t.Parallel()
	o := Object{EnterpriseID: 2, CountyCode: "330302", BodyID: 6, CoBodyIDs: []uint{5}}
	co := Actor{UserID: 14, Role: RoleOfficer, BodyID: 5}
	lead := Actor{UserID: 15, Role: RoleOfficer, BodyID: 6}
	other := Actor{UserID: 16, Role: RoleOfficer, BodyID: 7}
	if !Can(co, ViewOrder, o) || !Can(lead, ViewOrder, o) || Can(other, ViewOrder, o) {
		t.Fatal("ViewOrder of a co-handled order: co-handler, lead, other unit")
	}
	for _, act := range []Action{KnowReporter, RevealReporter, ExportOrders} {
		if Can(co, act, o) {
			t.Errorf("a co-handler may %s", act)
		}
	}
	if r := RedactOrder(co, o, true); !r.Reporter || !r.Inspection || !r.County {
		t.Errorf("a co-handler's redaction of an anonymous order: %+v", r)
	}
}
