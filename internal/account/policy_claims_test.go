package account

import "testing"

var allActions = []Action{ViewEnterprise, EditEnterprise, FileForEnterprise, ViewNotification, ManageMasterData, ManageUsers, ViewOrder,
	ViewBooking, ViewInspection, ReadCaseFile, ManageInspection, RegisterInspection, ManageBodyData, BookService, ManageSchedule,
	RequestAppointment, ViewAppointment, PublishAlert, EditPenaltyList, SendDocuments, ViewDocuments, KnowReporter, RevealReporter,
	ExportOrders, ManageBodies, ManageWorkflow, ReadOutbox, ViewOverview, ReviewClaims, ViewRates, SuperviseCity, ManageSupervision, ReviewClues}

// An enterprise login acts for its enterprise only once its claim is approved: ActorOf gives an
// applicant no enterprise, and every action on what is addressed to the code, and every list
// scope, refuses it; only its own messages remain.
func TestApplicantsGetNothingAddressedToTheirCode(t *testing.T) {
	t.Parallel()
	ent := uint(1)
	verified := ActorOf(&User{ID: 10, Role: RoleEnterprise, EnterpriseID: &ent, EnterpriseVerified: true})
	applicant := ActorOf(&User{ID: 11, Role: RoleEnterprise, EnterpriseID: &ent})
	orphan := ActorOf(&User{ID: 12, Role: RoleEnterprise})
	if verified.EnterpriseID != ent || verified.Applicant {
		t.Fatalf("verified login: %+v", verified)
	}
	for name, a := range map[string]Actor{"applicant": applicant, "enterprise login without an enterprise": orphan} {
		if !a.Applicant || a.EnterpriseID != 0 {
			t.Fatalf("%s: %+v", name, a)
		}
		addressed := Object{EnterpriseID: ent, CountyCode: "330302", BodyID: 5, OwnerUserID: a.UserID, BodyIDs: []uint{5}}
		for _, act := range allActions {
			want := act == ViewNotification
			if got := Can(a, act, addressed); got != want {
				t.Errorf("%s %s on what is addressed to its code: %v, want %v", name, act, got, want)
			}
		}
		if _, ok := InspectionsVisible(a); ok {
			t.Errorf("%s lists inspections", name)
		}
		if s := OrdersVisibleTo(a); !s.None() {
			t.Errorf("%s lists orders: %+v", name, s)
		}
		for _, act := range []Action{ViewBooking, ViewAppointment, ViewDocuments} {
			if s := OwnScopeOf(a, act); !s.Empty() {
				t.Errorf("%s lists %s: %+v", name, act, s)
			}
		}
		if r := RedactOrder(a, Object{EnterpriseID: ent}, true); r.None() {
			t.Errorf("%s knows an anonymous order's reporter", name)
		}
	}
	// Applicants with a flag set by hand but an enterprise id still fail (the flag wins).
	forged := verified
	forged.Applicant = true
	if Can(forged, ViewDocuments, Object{EnterpriseID: ent}) || Can(forged, BookService, Object{}) {
		t.Error("an actor marked applicant still acts for its enterprise")
	}
	// Who is told of what is addressed to an enterprise: its verified, enabled logins only.
	if !ReceivesFor(&User{ID: 10, Role: RoleEnterprise, EnterpriseID: &ent, EnterpriseVerified: true}, ent) ||
		ReceivesFor(&User{ID: 11, Role: RoleEnterprise, EnterpriseID: &ent}, ent) ||
		ReceivesFor(&User{ID: 10, Role: RoleEnterprise, EnterpriseID: &ent, EnterpriseVerified: true, Disabled: true}, ent) ||
		ReceivesFor(&User{ID: 10, Role: RoleEnterprise, EnterpriseID: &ent, EnterpriseVerified: true}, 2) {
		t.Error("ReceivesFor")
	}
	// Other roles are as they were.
	body := uint(5)
	if a := ActorOf(&User{ID: 14, Role: RoleOfficer, BodyID: &body}); a.BodyID != 5 || a.Applicant {
		t.Errorf("officer: %+v", a)
	}
}

// Reviewing applications: admins, the city's liaisons, a county's liaison for its county.
func TestReviewClaimsTable(t *testing.T) {
	t.Parallel()
	ent := uint(1)
	lucheng := Object{CountyCode: "330302"}
	ouhai := Object{CountyCode: "330304"}
	for _, tc := range []struct {
		name       string
		a          Actor
		lc, oh     bool
		scopeAll   bool
		scopeCount string
	}{
		{"admin", Actor{UserID: 1, Role: RoleAdmin}, true, true, true, ""},
		{"liaison-city", Actor{UserID: 2, Role: RoleLiaison}, true, true, true, ""},
		{"liaison-lc", Actor{UserID: 3, Role: RoleLiaison, CountyCode: "330302"}, true, false, false, "330302"},
		{"officer", Actor{UserID: 4, Role: RoleOfficer, BodyID: 5}, false, false, false, ""},
		{"enterprise", Actor{UserID: 5, Role: RoleEnterprise, EnterpriseID: ent}, false, false, false, ""},
		{"observer", Actor{UserID: 6, Role: RoleObserver}, false, false, false, ""},
		{"provider", Actor{UserID: 7, Role: RoleProvider}, false, false, false, ""},
		{"anonymous", Actor{}, false, false, false, ""},
	} {
		if got := Can(tc.a, ReviewClaims, lucheng); got != tc.lc {
			t.Errorf("%s reviews a Lucheng application: %v", tc.name, got)
		}
		if got := Can(tc.a, ReviewClaims, ouhai); got != tc.oh {
			t.Errorf("%s reviews an Ouhai application: %v", tc.name, got)
		}
		s := ClaimsVisible(tc.a)
		if s.All != tc.scopeAll || s.CountyCode != tc.scopeCount {
			t.Errorf("%s's queue scope: %+v", tc.name, s)
		}
	}
	if !(ClaimScope{}).None() {
		t.Error("the zero scope holds applications")
	}
}
