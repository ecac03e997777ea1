package account

import "testing"

// TestPolicyTable walks role × action × own/other's object. A new action or role must add rows here.
func TestPolicyTable(t *testing.T) {
	const ownEnt, otherEnt = 1, 2
	actors := map[string]Actor{
		"enterprise":   {UserID: 10, Role: RoleEnterprise, EnterpriseID: ownEnt},
		"observer":     {UserID: 11, Role: RoleObserver, Members: []uint{ownEnt}},
		"liaison-lc":   {UserID: 12, Role: RoleLiaison, CountyCode: "330302"},
		"liaison-city": {UserID: 13, Role: RoleLiaison},
		"officer":      {UserID: 14, Role: RoleOfficer, BodyID: 5},
		"provider":     {UserID: 15, Role: RoleProvider},
		"admin":        {UserID: 16, Role: RoleAdmin},
		"anonymous":    {},
	}
	// "own" is in the actor's scope: its enterprise, county, body (5), or filed by it (observer 11).
	own := Object{EnterpriseID: ownEnt, CountyCode: "330302", BodyID: 5, OwnerUserID: 11}
	other := Object{EnterpriseID: otherEnt, CountyCode: "330381", BodyID: 6, OwnerUserID: 99}
	type row struct {
		actor      string
		action     Action
		own, other bool // expected on own/in-scope object and on someone else's
	}
	rows := []row{
		{"enterprise", ViewEnterprise, true, false},
		{"enterprise", EditEnterprise, true, false},
		{"enterprise", FileForEnterprise, true, false},
		{"enterprise", ManageMasterData, false, false},
		{"enterprise", ManageUsers, false, false},
		{"observer", ViewEnterprise, true, false},
		{"observer", EditEnterprise, false, false},
		{"observer", FileForEnterprise, true, false},
		{"observer", ManageMasterData, false, false},
		{"liaison-lc", ViewEnterprise, true, false},
		{"liaison-lc", EditEnterprise, false, false},
		{"liaison-lc", FileForEnterprise, false, false},
		{"liaison-lc", ManageMasterData, false, false},
		{"liaison-city", ViewEnterprise, true, true},
		{"liaison-city", EditEnterprise, false, false},
		{"officer", ViewEnterprise, true, true},
		{"officer", EditEnterprise, false, false},
		{"officer", FileForEnterprise, false, false},
		{"officer", ManageUsers, false, false},
		{"provider", ViewEnterprise, false, false},
		{"provider", EditEnterprise, false, false},
		{"provider", ManageMasterData, false, false},
		{"admin", ViewEnterprise, true, true},
		{"admin", EditEnterprise, true, true},
		{"admin", ManageMasterData, true, true},
		{"admin", ManageUsers, true, true},
		{"admin", FileForEnterprise, false, false},
		{"enterprise", ViewOrder, true, false},
		{"observer", ViewOrder, true, false},
		{"liaison-lc", ViewOrder, true, false},
		{"liaison-city", ViewOrder, true, true},
		{"officer", ViewOrder, true, false},
		{"provider", ViewOrder, false, false},
		{"admin", ViewOrder, true, true},
		{"anonymous", ViewOrder, false, false},
		// Who filed an anonymous order: the enterprise itself and the observation point that
		// filed it know; the reported body never; liaisons and admins only by an audited reveal.
		{"enterprise", KnowReporter, true, false},
		{"observer", KnowReporter, true, false},
		{"liaison-lc", KnowReporter, false, false},
		{"liaison-city", KnowReporter, false, false},
		{"officer", KnowReporter, false, false},
		{"provider", KnowReporter, false, false},
		{"admin", KnowReporter, false, false},
		{"anonymous", KnowReporter, false, false},
		{"enterprise", RevealReporter, false, false},
		{"observer", RevealReporter, false, false},
		{"liaison-lc", RevealReporter, true, false},
		{"liaison-city", RevealReporter, true, true},
		{"officer", RevealReporter, false, false},
		{"provider", RevealReporter, false, false},
		{"admin", RevealReporter, true, true},
		{"anonymous", RevealReporter, false, false},
		{"enterprise", ExportOrders, false, false},
		{"observer", ExportOrders, false, false},
		{"liaison-lc", ExportOrders, true, true},
		{"liaison-city", ExportOrders, true, true},
		{"officer", ExportOrders, false, false},
		{"provider", ExportOrders, false, false},
		{"admin", ExportOrders, true, true},
		{"anonymous", ExportOrders, false, false},
		{"anonymous", ViewEnterprise, false, false},
		{"anonymous", ManageMasterData, false, false},
	}
	for _, r := range rows {
		t.Run(r.actor+"/"+string(r.action), func(t *testing.T) {
			a := actors[r.actor]
			if got := Can(a, r.action, own); got != r.own {
				t.Errorf("own object: got %v, want %v", got, r.own)
			}
			if got := Can(a, r.action, other); got != r.other {
				t.Errorf("other's object: got %v, want %v", got, r.other)
			}
		})
	}
	// Every action appears for every role at least once would be ideal; at least cover each action.
	for _, act := range []Action{KnowReporter, RevealReporter, ExportOrders, ViewOrder, ViewEnterprise, EditEnterprise, FileForEnterprise, ManageMasterData, ManageUsers, ViewNotification} {
		seen := act == ViewNotification
		for _, r := range rows {
			seen = seen || r.action == act
		}
		if !seen {
			t.Errorf("action %s has no rows in the policy table", act)
		}
	}
}

func TestNotificationsOnlyToTheirOwner(t *testing.T) {
	for _, role := range Roles {
		a := Actor{UserID: 7, Role: role}
		if !Can(a, ViewNotification, Object{OwnerUserID: 7}) {
			t.Errorf("%s cannot read its own notification", role)
		}
		if Can(a, ViewNotification, Object{OwnerUserID: 8}) {
			t.Errorf("%s reads someone else's notification", role)
		}
	}
}

// Check-up bookings and reports: the enterprise that booked and the provider that serves, no one
// else, whatever their rank (seed §2.8 一: results are not part of any enforcement procedure).
func TestBookingsOnlyToTheEnterpriseAndItsProvider(t *testing.T) {
	booking := Object{EnterpriseID: 1, CountyCode: "330302", BodyID: 5, OwnerUserID: 15}
	for _, role := range Roles {
		for _, a := range []Actor{
			{UserID: 15, Role: role, EnterpriseID: 1, BodyID: 5, Members: []uint{1}},
			{UserID: 16, Role: role, EnterpriseID: 2, BodyID: 6, CountyCode: "330302"},
			{UserID: 17, Role: role},
		} {
			want := (role == RoleEnterprise && a.EnterpriseID == 1) || (role == RoleProvider && a.UserID == 15)
			if got := Can(a, ViewBooking, booking); got != want {
				t.Errorf("%s %+v: got %v, want %v", role, a, got, want)
			}
		}
	}
}

// The list scope of every actor holds exactly the orders ViewOrder lets it open, and a caller
// without a scope (no role, no user, an officer without a body, an enterprise user without an
// enterprise) lists nothing rather than everything.
func TestOrderScopeAgreesWithViewOrder(t *testing.T) {
	actors := map[string]Actor{
		"enterprise":        {UserID: 10, Role: RoleEnterprise, EnterpriseID: 1},
		"observer":          {UserID: 11, Role: RoleObserver, Members: []uint{1}},
		"liaison-lc":        {UserID: 12, Role: RoleLiaison, CountyCode: "330302"},
		"liaison-city":      {UserID: 13, Role: RoleLiaison},
		"officer":           {UserID: 14, Role: RoleOfficer, BodyID: 5},
		"provider":          {UserID: 15, Role: RoleProvider},
		"admin":             {UserID: 16, Role: RoleAdmin},
		"anonymous":         {},
		"no user":           {Role: RoleAdmin},
		"officer, no body":  {UserID: 17, Role: RoleOfficer},
		"enterprise, no id": {UserID: 18, Role: RoleEnterprise},
	}
	objects := []Object{
		{EnterpriseID: 1, CountyCode: "330302", BodyID: 5, OwnerUserID: 11},
		{EnterpriseID: 1, CountyCode: "330302"},
		{EnterpriseID: 2, CountyCode: "330381", BodyID: 6, OwnerUserID: 99},
		{},
	}
	for name, a := range actors {
		s := OrdersVisibleTo(a)
		for _, o := range objects {
			if got, want := s.Contains(o), Can(a, ViewOrder, o); got != want {
				t.Errorf("%s, order %+v: in scope %v, ViewOrder %v", name, o, got, want)
			}
		}
	}
	for _, name := range []string{"anonymous", "no user", "officer, no body", "enterprise, no id", "provider"} {
		if s := OrdersVisibleTo(actors[name]); !s.None() {
			t.Errorf("%s: scope %+v, want none", name, s)
		}
	}
	if (OrderScope{}).Contains(Object{}) {
		t.Error("the zero scope holds an order")
	}
}
