package account

import "testing"

// TestPolicyTable walks role × action × own/other's object. A new action or role must add rows here.
func TestPolicyTable(t *testing.T) {
	t.Parallel()
	const ownEnt, otherEnt = 1, 2
	actors := map[string]Actor{
		"enterprise":   {UserID: 10, Role: RoleEnterprise, EnterpriseID: ownEnt},
		"observer":     {UserID: 11, Role: RoleObserver, Members: []uint{ownEnt}},
		"liaison-lc":   {UserID: 12, Role: RoleLiaison, CountyCode: "330302"},
		"liaison-city": {UserID: 13, Role: RoleLiaison},
		"officer":      {UserID: 14, Role: RoleOfficer, BodyID: 5},
		"provider":     {UserID: 15, Role: RoleProvider},
		"admin":        {UserID: 16, Role: RoleAdmin},
		"operator":     {UserID: 19, Role: RoleOperator},
		"anonymous":    {},
	}
	// "own" is in the actor's scope: its enterprise, county, body (5), filed by it (observer 11),
	// or taken by phone by it (operator 19).
	own := Object{EnterpriseID: ownEnt, CountyCode: "330302", BodyID: 5, OwnerUserID: 11, TakenByUserID: 19}
	other := Object{EnterpriseID: otherEnt, CountyCode: "330381", BodyID: 6, OwnerUserID: 99, TakenByUserID: 98}
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
		{"enterprise", ReadNotes, false, false},
		{"observer", ReadNotes, false, false},
		{"liaison-lc", ReadNotes, true, false},
		{"liaison-city", ReadNotes, true, true},
		{"officer", ReadNotes, true, false},
		{"provider", ReadNotes, false, false},
		{"admin", ReadNotes, true, true},
		{"anonymous", ReadNotes, false, false},
		{"enterprise", ManageReplyTemplates, false, false},
		{"observer", ManageReplyTemplates, false, false},
		{"liaison-city", ManageReplyTemplates, false, false},
		{"officer", ManageReplyTemplates, false, false},
		{"admin", ManageReplyTemplates, true, true},
		{"enterprise", ExportOrders, false, false},
		{"observer", ExportOrders, false, false},
		{"liaison-lc", ExportOrders, true, true},
		{"liaison-city", ExportOrders, true, true},
		{"officer", ExportOrders, false, false},
		{"provider", ExportOrders, false, false},
		{"admin", ExportOrders, true, true},
		{"anonymous", ExportOrders, false, false},
		// Clues (issue 19 item 8): the county's liaisons, the city's, admins.
		{"enterprise", ReviewClues, false, false},
		{"observer", ReviewClues, false, false},
		{"liaison-lc", ReviewClues, true, false},
		{"liaison-city", ReviewClues, true, true},
		{"officer", ReviewClues, false, false},
		{"provider", ReviewClues, false, false},
		{"admin", ReviewClues, true, true},
		{"anonymous", ReviewClues, false, false},
		{"anonymous", ViewEnterprise, false, false},
		{"anonymous", ManageMasterData, false, false},
		// Bookings and outreach. "own" for a provider is checked apart (TestSchedulesOnlyByTheirProvider).
		{"enterprise", BookService, true, true},
		{"enterprise", ManageSchedule, false, false},
		{"enterprise", RequestAppointment, true, true},
		{"enterprise", ViewAppointment, true, false},
		{"enterprise", PublishAlert, false, false},
		{"enterprise", EditPenaltyList, false, false},
		{"enterprise", SendDocuments, false, false},
		{"enterprise", ViewDocuments, true, false},
		{"observer", BookService, false, false},
		{"observer", RequestAppointment, false, false},
		{"observer", ViewAppointment, false, false},
		{"observer", PublishAlert, false, false},
		{"observer", ViewDocuments, false, false},
		{"liaison-lc", ViewAppointment, false, false},
		{"liaison-lc", PublishAlert, false, false},
		{"liaison-lc", EditPenaltyList, false, false},
		{"liaison-city", ViewDocuments, false, false},
		{"liaison-city", SendDocuments, false, false},
		{"officer", BookService, false, false},
		{"officer", ManageSchedule, false, false},
		{"officer", RequestAppointment, false, false},
		{"officer", ViewAppointment, true, false},
		{"officer", PublishAlert, true, true},
		{"officer", EditPenaltyList, true, false},
		{"officer", SendDocuments, true, true},
		{"officer", ViewDocuments, true, false},
		{"provider", BookService, false, false},
		{"provider", ManageSchedule, false, false},
		{"provider", ViewAppointment, false, false},
		{"provider", PublishAlert, false, false},
		{"provider", ViewDocuments, false, false},
		{"admin", BookService, false, false},
		{"admin", ManageSchedule, true, true},
		{"admin", RequestAppointment, false, false},
		{"admin", ViewAppointment, true, true},
		{"admin", PublishAlert, true, true},
		{"admin", EditPenaltyList, true, true},
		{"admin", SendDocuments, false, false},
		{"admin", ViewDocuments, true, true},
		{"anonymous", BookService, false, false},
		{"anonymous", ViewAppointment, false, false},
		{"anonymous", PublishAlert, false, false},
		{"anonymous", ViewDocuments, false, false},
		// Phone intake: a hotline operator files for whichever enterprise called (the intake
		// verifies the caller first) and sees the orders it took; nothing else of anyone's.
		{"operator", TakeCalls, true, true},
		{"operator", FileForEnterprise, true, true},
		{"operator", ViewOrder, true, false},
		{"operator", KnowReporter, false, false},
		{"operator", RevealReporter, false, false},
		{"operator", ExportOrders, false, false},
		{"operator", ViewEnterprise, false, false},
		{"operator", EditEnterprise, false, false},
		{"operator", ManageMasterData, false, false},
		{"operator", ManageUsers, false, false},
		{"operator", BookService, false, false},
		{"operator", ViewAppointment, false, false},
		{"operator", PublishAlert, false, false},
		{"operator", ViewDocuments, false, false},
		{"enterprise", TakeCalls, false, false},
		{"observer", TakeCalls, false, false},
		{"liaison-lc", TakeCalls, false, false},
		{"liaison-city", TakeCalls, false, false},
		{"officer", TakeCalls, false, false},
		{"provider", TakeCalls, false, false},
		{"admin", TakeCalls, false, false},
		{"anonymous", TakeCalls, false, false},
		{"provider", FileForEnterprise, false, false},
		{"liaison-city", FileForEnterprise, false, false},
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
	for _, act := range []Action{TakeCalls, KnowReporter, RevealReporter, ExportOrders, ViewOrder, ViewEnterprise, EditEnterprise, FileForEnterprise, ManageMasterData, ManageUsers, ViewNotification,
		BookService, ManageSchedule, RequestAppointment, ViewAppointment, PublishAlert, EditPenaltyList, SendDocuments, ViewDocuments} {
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
	t.Parallel()
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
	t.Parallel()
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

// TestInspectionPolicyTable walks role × inspection action × an inspection in and out of the
// actor's scope. "own" is ent 1's joint inspection in 鹿城 by bodies 3 and 5 (the officer's).
func TestInspectionPolicyTable(t *testing.T) {
	t.Parallel()
	actors := map[string]Actor{
		"enterprise":     {UserID: 10, Role: RoleEnterprise, EnterpriseID: 1},
		"observer":       {UserID: 11, Role: RoleObserver, Members: []uint{1}},
		"liaison-lc":     {UserID: 12, Role: RoleLiaison, CountyCode: "330302"},
		"liaison-city":   {UserID: 13, Role: RoleLiaison},
		"officer":        {UserID: 14, Role: RoleOfficer, BodyID: 5},
		"officer-nobody": {UserID: 17, Role: RoleOfficer},
		"officer-asked":  {UserID: 18, Role: RoleOfficer, BodyID: 7},
		"provider":       {UserID: 15, Role: RoleProvider},
		"admin":          {UserID: 16, Role: RoleAdmin},
		"anonymous":      {},
	}
	// Body 7 is named in "own" but has not confirmed its part yet.
	own := Object{EnterpriseID: 1, CountyCode: "330302", BodyID: 5, BodyIDs: []uint{3, 5}, PendingBodyIDs: []uint{7}}
	other := Object{EnterpriseID: 2, CountyCode: "330381", BodyID: 6, BodyIDs: []uint{6}}
	rows := []struct {
		actor      string
		action     Action
		own, other bool
	}{
		{"enterprise", ViewInspection, true, false},
		{"enterprise", ReadCaseFile, true, false},
		{"enterprise", ManageInspection, false, false},
		{"enterprise", RegisterInspection, false, false},
		{"enterprise", ManageBodyData, false, false},
		{"observer", ViewInspection, true, false},
		{"observer", ReadCaseFile, false, false},
		{"observer", ManageInspection, false, false},
		{"liaison-lc", ViewInspection, true, false},
		{"liaison-lc", ReadCaseFile, true, false},
		{"liaison-lc", ManageInspection, false, false},
		{"liaison-lc", ManageBodyData, false, false},
		{"liaison-city", ViewInspection, true, true},
		{"liaison-city", ReadCaseFile, true, true},
		{"liaison-city", RegisterInspection, false, false},
		{"officer", ViewInspection, true, false},
		{"officer", ReadCaseFile, true, false},
		{"officer", ManageInspection, true, false},
		{"officer", RegisterInspection, true, false},
		{"officer", ManageBodyData, true, false},
		{"officer-nobody", ViewInspection, false, false},
		{"officer-nobody", ManageBodyData, false, false},
		{"provider", ViewInspection, false, false},
		{"provider", ManageBodyData, false, false},
		{"admin", ViewInspection, true, true},
		{"admin", ReadCaseFile, true, true},
		{"admin", ManageInspection, true, true},
		{"admin", RegisterInspection, true, true},
		{"admin", ManageBodyData, true, true},
		{"anonymous", ViewInspection, false, false},
		{"anonymous", ManageBodyData, false, false},
		// Joint inspections: naming a body is its agreement only for its own officers (and
		// admins); a pending part is answered by the asked body's officers alone, who see and
		// manage nothing of the inspection until they confirm.
		{"officer", JoinForBody, true, false},
		{"officer", AnswerJoint, false, false},
		{"officer-asked", AnswerJoint, true, false},
		{"officer-asked", ViewInspection, false, false},
		{"officer-asked", ManageInspection, false, false},
		{"officer-asked", RegisterInspection, false, false},
		{"officer-asked", JoinForBody, false, false},
		{"officer-nobody", JoinForBody, false, false},
		{"officer-nobody", AnswerJoint, false, false},
		{"enterprise", JoinForBody, false, false},
		{"enterprise", AnswerJoint, false, false},
		{"liaison-city", JoinForBody, false, false},
		{"liaison-city", AnswerJoint, false, false},
		{"admin", JoinForBody, true, true},
		{"admin", AnswerJoint, false, false},
		{"anonymous", JoinForBody, false, false},
		{"anonymous", AnswerJoint, false, false},
	}
	for _, r := range rows {
		t.Run(r.actor+"/"+string(r.action), func(t *testing.T) {
			a := actors[r.actor]
			if got := Can(a, r.action, own); got != r.own {
				t.Errorf("own inspection: got %v, want %v", got, r.own)
			}
			if got := Can(a, r.action, other); got != r.other {
				t.Errorf("other's inspection: got %v, want %v", got, r.other)
			}
		})
	}
}

// The inspection list's scope fails closed: a role without one, or an actor whose enterprise
// or body is unset, gets none, never the zero scope that could read as "everything".
func TestInspectionsVisibleFailsClosed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		actor Actor
		want  InspectionScope
		ok    bool
	}{
		{"enterprise", Actor{UserID: 1, Role: RoleEnterprise, EnterpriseID: 4}, InspectionScope{EnterpriseID: 4}, true},
		{"enterprise without one", Actor{UserID: 1, Role: RoleEnterprise}, InspectionScope{}, false},
		{"officer", Actor{UserID: 1, Role: RoleOfficer, BodyID: 2}, InspectionScope{BodyID: 2}, true},
		{"officer without a body", Actor{UserID: 1, Role: RoleOfficer}, InspectionScope{}, false},
		{"county liaison", Actor{UserID: 1, Role: RoleLiaison, CountyCode: "330302"}, InspectionScope{CountyCode: "330302"}, true},
		{"city liaison", Actor{UserID: 1, Role: RoleLiaison}, InspectionScope{All: true}, true},
		{"admin", Actor{UserID: 1, Role: RoleAdmin}, InspectionScope{All: true}, true},
		{"observer", Actor{UserID: 1, Role: RoleObserver, Members: []uint{1}}, InspectionScope{}, false},
		{"provider", Actor{UserID: 1, Role: RoleProvider}, InspectionScope{}, false},
		{"anonymous", Actor{}, InspectionScope{}, false},
		{"admin without a user", Actor{Role: RoleAdmin}, InspectionScope{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := InspectionsVisible(c.actor)
			if ok != c.ok || got != c.want {
				t.Fatalf("got %+v %v, want %+v %v", got, ok, c.want, c.ok)
			}
		})
	}
}

// A service's schedule: its own provider and admins; another provider, whatever else it holds, not.
func TestSchedulesOnlyByTheirProvider(t *testing.T) {
	t.Parallel()
	service := Object{EnterpriseID: 1, BodyID: 5, OwnerUserID: 15}
	for _, role := range Roles {
		for _, a := range []Actor{
			{UserID: 15, Role: role, EnterpriseID: 1, BodyID: 5},
			{UserID: 16, Role: role, EnterpriseID: 1, BodyID: 5},
		} {
			want := role == RoleAdmin || (role == RoleProvider && a.UserID == 15)
			if got := Can(a, ManageSchedule, service); got != want {
				t.Errorf("%s %+v: got %v, want %v", role, a, got, want)
			}
		}
	}
	if Can(Actor{UserID: 15, Role: RoleProvider}, ManageSchedule, Object{}) {
		t.Error("a service without a provider is anyone's to schedule")
	}
}

// Lists are scoped to the actor's own enterprise, body or login; a role without one, or an actor
// whose scope is missing (an enterprise login without its enterprise), gets the empty scope, and
// every scope given is one Can agrees with.
func TestOwnScopesFailClosed(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		a    Actor
		act  Action
		want OwnScope
	}{
		{"enterprise bookings", Actor{UserID: 10, Role: RoleEnterprise, EnterpriseID: 1}, ViewBooking, OwnScope{EnterpriseID: 1}},
		{"provider bookings", Actor{UserID: 15, Role: RoleProvider}, ViewBooking, OwnScope{ProviderID: 15}},
		{"enterprise appointments", Actor{UserID: 10, Role: RoleEnterprise, EnterpriseID: 1}, ViewAppointment, OwnScope{EnterpriseID: 1}},
		{"officer appointments", Actor{UserID: 14, Role: RoleOfficer, BodyID: 5}, ViewAppointment, OwnScope{BodyID: 5}},
		{"officer documents", Actor{UserID: 14, Role: RoleOfficer, BodyID: 5}, ViewDocuments, OwnScope{BodyID: 5}},
		{"enterprise documents", Actor{UserID: 10, Role: RoleEnterprise, EnterpriseID: 1}, ViewDocuments, OwnScope{EnterpriseID: 1}},
		{"enterprise without its enterprise", Actor{UserID: 10, Role: RoleEnterprise}, ViewBooking, OwnScope{}},
		{"officer without a body", Actor{UserID: 14, Role: RoleOfficer}, ViewDocuments, OwnScope{}},
		{"officer bookings", Actor{UserID: 14, Role: RoleOfficer, BodyID: 5}, ViewBooking, OwnScope{}},
		{"admin bookings", Actor{UserID: 16, Role: RoleAdmin}, ViewBooking, OwnScope{}},
		{"admin appointments", Actor{UserID: 16, Role: RoleAdmin}, ViewAppointment, OwnScope{}},
		{"liaison documents", Actor{UserID: 13, Role: RoleLiaison}, ViewDocuments, OwnScope{}},
		{"observer appointments", Actor{UserID: 11, Role: RoleObserver, Members: []uint{1}}, ViewAppointment, OwnScope{}},
		{"provider appointments", Actor{UserID: 15, Role: RoleProvider}, ViewAppointment, OwnScope{}},
		{"anonymous", Actor{Role: RoleEnterprise, EnterpriseID: 1}, ViewBooking, OwnScope{}},
		{"an action without lists", Actor{UserID: 10, Role: RoleEnterprise, EnterpriseID: 1}, ViewOrder, OwnScope{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := OwnScopeOf(c.a, c.act)
			if got != c.want {
				t.Fatalf("scope %+v, want %+v", got, c.want)
			}
			if got.Empty() != (c.want == OwnScope{}) {
				t.Fatalf("Empty() = %v for %+v", got.Empty(), got)
			}
			if !got.Empty() && !Can(c.a, c.act, Object{EnterpriseID: got.EnterpriseID, BodyID: got.BodyID, OwnerUserID: got.ProviderID}) {
				t.Fatalf("the scope %+v shows objects Can refuses", got)
			}
		})
	}
}

// The administrator's actions: every role but the admin is refused, on any object, and so is an
// actor without a login even if it claims the admin role.
func TestAdminActionsAreTheAdminsAlone(t *testing.T) {
	t.Parallel()
	objects := []Object{{}, {EnterpriseID: 1, CountyCode: "330302", BodyID: 5, OwnerUserID: 16}}
	for _, act := range []Action{ManageUsers, ManageBodies, ManageWorkflow, ReadOutbox, ViewOverview} {
		for _, role := range append([]Role{RoleAnonymous}, Roles...) {
			a := Actor{UserID: 16, Role: role, EnterpriseID: 1, BodyID: 5, Members: []uint{1}}
			for _, o := range objects {
				if got, want := Can(a, act, o), role == RoleAdmin; got != want {
					t.Errorf("%s %s on %+v: got %v, want %v", role, act, o, got, want)
				}
			}
		}
		if Can(Actor{Role: RoleAdmin}, act, Object{}) {
			t.Errorf("%s granted to an admin role without a user", act)
		}
	}
}

// The list scope of every actor holds exactly the orders ViewOrder lets it open, and a caller
// without a scope (no role, no user, an officer without a body, an enterprise user without an
// enterprise) lists nothing rather than everything.
func TestOrderScopeAgreesWithViewOrder(t *testing.T) {
	t.Parallel()
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
		"operator":          {UserID: 19, Role: RoleOperator},
		"operator, no user": {Role: RoleOperator},
	}
	objects := []Object{
		{EnterpriseID: 1, CountyCode: "330302", BodyID: 5, OwnerUserID: 11},
		{EnterpriseID: 1, CountyCode: "330302", TakenByUserID: 19},
		{EnterpriseID: 2, CountyCode: "330381", BodyID: 6, TakenByUserID: 20},
		{EnterpriseID: 1, CountyCode: "330302"},
		{EnterpriseID: 2, CountyCode: "330381", BodyID: 6, OwnerUserID: 99},
		{EnterpriseID: 2, CountyCode: "330381", BodyID: 6, CoBodyIDs: []uint{5}}, // co-handled by the officer's body (协办)
		{EnterpriseID: 2, CountyCode: "330381", BodyID: 6, CoBodyIDs: []uint{7}},
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
	for _, name := range []string{"anonymous", "no user", "officer, no body", "enterprise, no id", "provider", "operator, no user"} {
		if s := OrdersVisibleTo(actors[name]); !s.None() {
			t.Errorf("%s: scope %+v, want none", name, s)
		}
	}
	if (OrderScope{}).Contains(Object{}) {
		t.Error("the zero scope holds an order")
	}
}

// TestRedactionTable: for each role that may see an order, which parts of an anonymous order's
// view it gets (true: shown), on the order of its own enterprise / filing / county / unit. A
// named order hides nothing from anyone; the knowers see everything; the handling unit's
// officers get none of the parts that narrow the reporter; liaisons and admins keep the county
// they route by. A new role must add its row, and a new field of Redaction its column.
func TestRedactionTable(t *testing.T) {
	t.Parallel()
	own := Object{EnterpriseID: 1, CountyCode: "330302", BodyID: 5, OwnerUserID: 11, TakenByUserID: 19}
	type shown struct{ reporter, inspection, county, roles, exactTimes, oldPDFs bool }
	all := shown{true, true, true, true, true, true}
	for _, c := range []struct {
		name  string
		actor Actor
		want  shown
	}{
		{"the enterprise that filed", Actor{UserID: 10, Role: RoleEnterprise, EnterpriseID: 1}, all},
		{"the observation point that filed", Actor{UserID: 11, Role: RoleObserver, Members: []uint{1}}, all},
		{"another observation point of the same member", Actor{UserID: 17, Role: RoleObserver, Members: []uint{1}}, shown{}},
		{"the county's liaison", Actor{UserID: 12, Role: RoleLiaison, CountyCode: "330302"}, shown{county: true}},
		{"a city liaison", Actor{UserID: 13, Role: RoleLiaison}, shown{county: true}},
		{"the handling unit's officer", Actor{UserID: 14, Role: RoleOfficer, BodyID: 5}, shown{}},
		{"another body's officer", Actor{UserID: 18, Role: RoleOfficer, BodyID: 6}, shown{}},
		{"a provider", Actor{UserID: 15, Role: RoleProvider}, shown{}},
		{"an admin", Actor{UserID: 16, Role: RoleAdmin}, shown{county: true}},
		{"the operator that took the call", Actor{UserID: 19, Role: RoleOperator}, shown{county: true}},
		{"another operator", Actor{UserID: 20, Role: RoleOperator}, shown{}},
		{"nobody", Actor{}, shown{}},
	} {
		r := RedactOrder(c.actor, own, true)
		got := shown{!r.Reporter, !r.Inspection, !r.County, !r.Roles, !r.Times, !r.OldPDFs}
		if got != c.want {
			t.Errorf("%s gets %+v of an anonymous order, want %+v", c.name, got, c.want)
		}
		if (got == all) != Can(c.actor, KnowReporter, own) {
			t.Errorf("%s: sees all %v, but KnowReporter says %v", c.name, got == all, Can(c.actor, KnowReporter, own))
		}
		if !RedactOrder(c.actor, own, false).None() {
			t.Errorf("%s: a named order hides something", c.name)
		}
	}
}

// CODE-1: a code's page shows another enterprise nothing of the owner; the public (and officers,
// liaisons, observation points) read the public facts.
func TestReadsCodeTable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a    Actor
		want CodeReader
	}{
		{Actor{}, CodePublic},
		{Actor{UserID: 1, Role: RoleEnterprise, EnterpriseID: 7}, CodeOwn},
		{Actor{UserID: 1, Role: RoleEnterprise, EnterpriseID: 8}, CodeForeign},
		{Actor{UserID: 1, Role: RoleEnterprise, Applicant: true}, CodeForeign},
		{Actor{UserID: 1, Role: RoleEnterprise, EnterpriseID: 0}, CodeForeign},
		{Actor{UserID: 1, Role: RoleOfficer, BodyID: 1}, CodePublic},
		{Actor{UserID: 1, Role: RoleObserver, Members: []uint{7}}, CodePublic},
		{Actor{UserID: 1, Role: RoleAdmin}, CodePublic},
		{Actor{Role: RoleEnterprise, EnterpriseID: 7}, CodePublic}, // no login
	} {
		if got := ReadsCode(tc.a, 7); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.a, got, tc.want)
		}
	}
}

// FREQ-2: grades are kept by officers and admins only.
func TestManageGradesTable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a    Actor
		want bool
	}{
		{Actor{}, false},
		{Actor{UserID: 1, Role: RoleAdmin}, true},
		{Actor{UserID: 1, Role: RoleOfficer, BodyID: 1}, true},
		{Actor{UserID: 1, Role: RoleOfficer}, false},
		{Actor{UserID: 1, Role: RoleLiaison}, false},
		{Actor{UserID: 1, Role: RoleEnterprise, EnterpriseID: 7}, false},
		{Actor{UserID: 1, Role: RoleObserver, Members: []uint{7}}, false},
		{Actor{UserID: 1, Role: RoleProvider}, false},
	} {
		if got := Can(tc.a, ManageGrades, Object{EnterpriseID: 7}); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.a, got, tc.want)
		}
	}
}
