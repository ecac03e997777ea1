package account

import "slices"

// Actor is the caller as the policy sees it: a role and the scope it carries.
type Actor struct {
	UserID       uint
	Role         Role
	EnterpriseID uint   // enterprise users
	BodyID       uint   // officers
	CountyCode   string // liaisons; empty means city level
	Members      []uint // observation points: member enterprises that gave consent
	// EnterpriseCounty is the own enterprise's county as read with the session, so a filing
	// need not read the enterprise again; empty when not read (the filing then looks it up).
	EnterpriseCounty string
	// Applicant: an enterprise login whose claim on a credit code is not (or no longer) approved.
	// It carries no EnterpriseID, so nothing addressed to the code reaches it (ActorOf).
	Applicant bool
}

// ActorOf is the policy's view of a login (without an observation point's members, which the
// store adds). An enterprise login acts for its enterprise only once its claim on the credit
// code was reviewed and approved (User.EnterpriseVerified): until then it is an Applicant with no
// enterprise at all, so every rule below that grants something addressed to an enterprise —
// documents (三书同达), inspections and their notices, orders filed about it, bookings,
// appointments, alerts, the enterprise's own record — fails for it, and so does every list scope,
// whatever handler asks.
func ActorOf(u *User) Actor {
	if u == nil {
		return Actor{}
	}
	a := Actor{UserID: u.ID, Role: u.Role, CountyCode: u.CountyCode}
	if u.EnterpriseID != nil {
		if u.Role == RoleEnterprise && !u.EnterpriseVerified {
			a.Applicant = true
		} else {
			a.EnterpriseID = *u.EnterpriseID
		}
	}
	if u.BodyID != nil {
		a.BodyID = *u.BodyID
	}
	if u.Role == RoleEnterprise && u.EnterpriseID == nil {
		a.Applicant = true
	}
	return a
}

// ReceivesFor tells whether u is told of what is addressed to enterprise id (notices,
// documents, alerts): only a login that acts for it (ActorOf).
func ReceivesFor(u *User, id uint) bool {
	a := ActorOf(u)
	return id != 0 && a.EnterpriseID == id && !u.Disabled
}

// Action is something a caller wants to do.
type Action string

// Actions known so far; each later capability adds its own and its rows in the policy test.
const (
	ViewEnterprise    Action = "enterprise.view"
	EditEnterprise    Action = "enterprise.edit"
	FileForEnterprise Action = "enterprise.file" // file a report on an enterprise's behalf
	ViewNotification  Action = "notification.view"
	ManageMasterData  Action = "masterdata.manage"
	ManageUsers       Action = "users.manage"
	ViewOrder         Action = "order.view" // a work order (工单); acting on it is the grievance table's
	// ViewBooking covers a check-up booking and its report. Results are not part of any
	// enforcement procedure (seed §2.8 一): only the enterprise and its provider, not even admins.
	ViewBooking Action = "booking.view"
	// Inspections (Object.BodyIDs: the bodies taking part). ViewInspection reads one: its
	// enterprise and consenting observation points, its bodies' officers, the county's and the
	// city's liaisons, admins. ReadCaseFile is the same circle without observation points
	// (RECORD-1). ManageInspection moves it on and adds to its case file: its bodies' officers,
	// admins. RegisterInspection: an officer for inspections its body takes part in, admins.
	ViewInspection     Action = "inspection.view"
	ReadCaseFile       Action = "inspection.casefile"
	ManageInspection   Action = "inspection.manage"
	RegisterInspection Action = "inspection.register"
	// ManageBodyData writes a body's inspectors, item list and plans (SUBJ-2, LIST-1, PLAN-1):
	// that body's officers and admins (Object.BodyID).
	ManageBodyData Action = "body.data.manage"
	// BookService is an enterprise taking a seat of a service's slot.
	BookService Action = "booking.create"
	// ManageSchedule is keeping a service's weekly times and closed days: its provider (Object
	// OwnerUserID), or an admin.
	ManageSchedule Action = "schedule.manage"
	// RequestAppointment is an enterprise head asking to meet a body's head (约见, seed §2.9 一).
	RequestAppointment Action = "appointment.request"
	// ViewAppointment covers an appointment and its moves: the enterprise that asked (Object
	// EnterpriseID), the body asked (BodyID), admins who oversee it.
	ViewAppointment Action = "appointment.view"
	// PublishAlert is writing a risk alert to enterprises (seed §2.8 三); who may publish also
	// reads every alert, an enterprise only those aimed at it.
	PublishAlert Action = "alert.publish"
	// EditPenaltyList is adding to a body's published five-category penalty list (Object BodyID).
	EditPenaltyList Action = "penalties.edit"
	// SendDocuments is delivering the three documents together (三书同达) for one's own body.
	SendDocuments Action = "documents.send"
	// ViewDocuments covers a bundle of the three documents: the enterprise it went to (Object
	// EnterpriseID), the body that sent it (BodyID), admins.
	ViewDocuments Action = "documents.view"
	// KnowReporter: knowing, without a reveal, who filed an anonymous order, and all else about it
	// (RedactOrder says what everyone else is kept from): the enterprise itself and the
	// observation point that filed for it. The reported body never.
	KnowReporter Action = "order.reporter"
	// RevealReporter: naming an anonymous order's reporter (and the inspection it names) on
	// purpose, one order at a time, each time audited: liaisons of the order's county (or the
	// city's) and admins.
	RevealReporter Action = "order.reveal"
	// ExportOrders: the queue as a spreadsheet: liaisons and admins.
	ExportOrders Action = "order.export"
	// TakeCalls: recording a phone call to the 12345/12348 hotline as an order on behalf of the
	// enterprise that called (channel phone): hotline operators only. The caller is verified by
	// the use case (credit code and registered mobile) before anything is filed.
	TakeCalls Action = "order.intake"
	// ReviewClues: listing the clues the automatic checks raised and dismissing, merging or
	// converting them: admins, and liaisons of the clue's county (Object.CountyCode) or the city's.
	ReviewClues Action = "clue.review"
)

// The administrator's actions (internal/admin): each is the admin's alone.
const (
	ManageBodies   Action = "bodies.manage"   // enforcement bodies and the county list
	ManageWorkflow Action = "workflow.manage" // routing rules, SLA policies, calendar overrides
	ReadOutbox     Action = "outbox.read"     // the SMS and email the portal sent
	ViewOverview   Action = "overview.view"   // the counts on the admin's home page
)

// ManageGrades is keeping an enterprise's credit grade (信用等级) and risk grade (风险等级) with
// their history (FREQ-2): officers (any enterprise, as they register inspections of any) and
// admins. Reading them is ViewEnterprise.
const ManageGrades Action = "grades.manage"

// ReviewClaims is reviewing enterprise applications (a login's claim on a credit code: its
// business licence, its contact) and deciding them, disputes between two claimants included:
// admins, and liaisons of the claim's county (Object.CountyCode) or the city's.
const ReviewClaims Action = "claims.review"

// A joint inspection's other bodies confirm their part themselves (issue 14): a body named by
// another body's officer takes part, and counts toward its yearly caps, only once it agreed.
//   - JoinForBody: whether the caller's naming of body Object.BodyID in a registration is that
//     body's agreement: its own officers, and admins (who register for the city, as the
//     provincial platform's pushes do). Any other body named is pending.
//   - AnswerJoint: confirming or declining a pending part (Object.PendingBodyIDs): an officer of
//     one of those bodies, for its own body only. Admins do not answer for a body.
const (
	JoinForBody Action = "inspection.join"
	AnswerJoint Action = "inspection.joint.answer"
)

// Replies and notes (issue 19 item 11):
//   - ReadNotes: reading an order's internal notes (内部备注) and the files waiting for its reply:
//     its handlers only — admins, liaisons of its county (or the city's), officers of the unit
//     handling it (Object.BodyID). Never the enterprise or the observation point.
//   - ManageReplyTemplates: keeping the reply templates per matter type: admins.
const (
	ReadNotes            Action = "order.notes"
	ManageReplyTemplates Action = "reply_templates.manage"
)

// Supervision (督办, issue 19 item 6):
//   - ViewRates: the hotline rates (响应率, 办结率, 解决率, 满意率) of a county (Object.CountyCode;
//     empty: the whole city): admins, city liaisons, and a county's own liaisons for it.
//   - SuperviseCity: the city level's supervision: concentrated-complaint items (约谈) and their
//     handling: admins and city liaisons.
//   - ManageSupervision: the settings (the monthly limit, the discipline inspection contact): admins.
const (
	ViewRates         Action = "rates.view"
	SuperviseCity     Action = "supervision.city"
	ManageSupervision Action = "supervision.manage"
)

// Object is what an action touches, reduced to the facts that decide access.
type Object struct {
	EnterpriseID uint   // the enterprise it belongs to or concerns
	CountyCode   string // the county it lies in
	BodyID       uint   // the enforcement body it concerns
	OwnerUserID  uint   // the user it belongs to (notifications), or that filed it (orders)
	// TakenByUserID: the hotline operator that took an order by phone (orders with source phone).
	TakenByUserID uint
	BodyIDs       []uint // the bodies it concerns when there may be several (an inspection)
	// PendingBodyIDs: the bodies a joint inspection names that have not yet confirmed their part.
	PendingBodyIDs []uint
	// CoBodyIDs: a work order's co-handling units (协办): their officers read the order (and post
	// their part, which the grievance table decides), nothing else.
	CoBodyIDs []uint
}

// Can is the one place that decides who may do what to whose object. Anything not granted here
// is refused; the web layer answers a refusal on someone else's object with 404, so it does not
// even confirm the object exists.
func Can(a Actor, act Action, o Object) bool {
	if a.Role == RoleAnonymous || a.UserID == 0 {
		return false
	}
	if a.Applicant && act != ViewNotification {
		// An applicant reads its own messages (the review's answer), nothing else.
		return false
	}
	switch act {
	case ManageMasterData, ManageUsers:
		return a.Role == RoleAdmin
	case ManageBodies, ManageWorkflow, ReadOutbox, ViewOverview:
		return a.Role == RoleAdmin
	case ManageGrades:
		return a.Role == RoleAdmin || (a.Role == RoleOfficer && a.BodyID != 0)
	case ViewRates:
		return a.Role == RoleAdmin || (a.Role == RoleLiaison && (a.CountyCode == "" || a.CountyCode == o.CountyCode))
	case SuperviseCity:
		return a.Role == RoleAdmin || (a.Role == RoleLiaison && a.CountyCode == "")
	case ManageSupervision:
		return a.Role == RoleAdmin
	case ReviewClaims:
		return a.Role == RoleAdmin || (a.Role == RoleLiaison && (a.CountyCode == "" || a.CountyCode == o.CountyCode))
	case ViewNotification:
		return o.OwnerUserID != 0 && o.OwnerUserID == a.UserID
	case ViewEnterprise:
		switch a.Role {
		case RoleAdmin:
			return true
		case RoleEnterprise:
			return a.owns(o)
		case RoleObserver:
			return a.isMember(o.EnterpriseID)
		case RoleLiaison:
			return a.CountyCode == "" || a.CountyCode == o.CountyCode
		case RoleOfficer:
			// Officers register inspections of any enterprise and need its registered name.
			return true
		}
		return false
	case ViewOrder:
		switch a.Role {
		case RoleAdmin:
			return true
		case RoleEnterprise:
			return a.owns(o)
		case RoleObserver:
			return o.OwnerUserID != 0 && o.OwnerUserID == a.UserID
		case RoleLiaison:
			return a.CountyCode == "" || a.CountyCode == o.CountyCode
		case RoleOfficer:
			return a.BodyID != 0 && (a.BodyID == o.BodyID || slices.Contains(o.CoBodyIDs, a.BodyID))
		case RoleOperator:
			return a.tookCall(o)
		}
		return false
	case TakeCalls:
		return a.Role == RoleOperator
	case KnowReporter:
		return (a.Role == RoleEnterprise && a.owns(o)) || (a.Role == RoleObserver && o.OwnerUserID != 0 && o.OwnerUserID == a.UserID)
	case RevealReporter:
		return a.Role == RoleAdmin || (a.Role == RoleLiaison && (a.CountyCode == "" || a.CountyCode == o.CountyCode))
	case ExportOrders:
		return a.Role == RoleAdmin || a.Role == RoleLiaison
	case ReadNotes:
		switch a.Role {
		case RoleAdmin:
			return true
		case RoleLiaison:
			return a.CountyCode == "" || a.CountyCode == o.CountyCode
		case RoleOfficer:
			return a.BodyID != 0 && a.BodyID == o.BodyID
		}
		return false
	case ManageReplyTemplates:
		return a.Role == RoleAdmin
	case ReviewClues:
		return a.Role == RoleAdmin || (a.Role == RoleLiaison && (a.CountyCode == "" || a.CountyCode == o.CountyCode))
	case ViewBooking:
		// Object: EnterpriseID is the enterprise that booked, OwnerUserID the provider.
		return (a.Role == RoleEnterprise && a.owns(o)) || (a.Role == RoleProvider && o.OwnerUserID != 0 && o.OwnerUserID == a.UserID)
	case BookService, RequestAppointment:
		return a.Role == RoleEnterprise && a.EnterpriseID != 0 && !a.Applicant
	case ManageSchedule:
		return a.Role == RoleAdmin || (a.Role == RoleProvider && o.OwnerUserID != 0 && o.OwnerUserID == a.UserID)
	case ViewAppointment, ViewDocuments:
		return a.Role == RoleAdmin || (a.Role == RoleEnterprise && a.owns(o)) || (a.Role == RoleOfficer && a.ownBody(o))
	case PublishAlert:
		return a.Role == RoleOfficer || a.Role == RoleAdmin
	case EditPenaltyList:
		return a.Role == RoleAdmin || (a.Role == RoleOfficer && a.ownBody(o))
	case SendDocuments:
		return a.Role == RoleOfficer && a.BodyID != 0
	case EditEnterprise:
		return a.Role == RoleAdmin || (a.Role == RoleEnterprise && a.owns(o))
	case FileForEnterprise:
		// An operator files for whichever enterprise called, once the intake verified the caller.
		return (a.Role == RoleEnterprise && a.owns(o)) || (a.Role == RoleObserver && a.isMember(o.EnterpriseID)) ||
			(a.Role == RoleOperator && o.EnterpriseID != 0)
	case ViewInspection:
		switch a.Role {
		case RoleAdmin:
			return true
		case RoleEnterprise:
			return a.owns(o)
		case RoleObserver:
			return a.isMember(o.EnterpriseID)
		case RoleLiaison:
			return a.CountyCode == "" || a.CountyCode == o.CountyCode
		case RoleOfficer:
			return a.takesPart(o)
		}
		return false
	case ReadCaseFile:
		return a.Role != RoleObserver && Can(a, ViewInspection, o)
	case ManageInspection, RegisterInspection:
		return a.Role == RoleAdmin || (a.Role == RoleOfficer && a.takesPart(o))
	case ManageBodyData:
		return a.Role == RoleAdmin || (a.Role == RoleOfficer && a.BodyID != 0 && a.BodyID == o.BodyID)
	case JoinForBody:
		return a.Role == RoleAdmin || (a.Role == RoleOfficer && a.ownBody(o))
	case AnswerJoint:
		return a.Role == RoleOfficer && a.BodyID != 0 && slices.Contains(o.PendingBodyIDs, a.BodyID)
	}
	return false
}

// Redaction is what a viewer of an anonymous work order is kept from. Each field true means
// hidden. The reported body must not be able to narrow who reported it from what it sees, so
// beyond the name it loses everything that maps to the enterprise or sits beside the same
// enterprise's named orders: the inspection named (its code opens the body's own inspection,
// which names the enterprise and place), the county, which kind of party filed and wrote on
// the timeline (an enterprise or an observation point: one point with one member is a name),
// and exact times (to the hour only). Anonymous orders are named by opaque references for
// everyone (grievance), so ids and numbers never sit in sequence with named orders.
type Redaction struct {
	Reporter   bool // the enterprise that filed it, by name and id
	Inspection bool // the inspection it names (its behaviour code)
	County     bool // the county it lies in
	Roles      bool // the filer's role on the timeline (enterprise or observation point): "reporter"
	Times      bool // times to the hour, never finer
	OldPDFs    bool // PDFs stored as sent, before uploads were rebuilt without metadata
}

// RedactOrder is the one rule of what a who may see an order may not learn of its reporter. A
// named order hides nothing. Of an anonymous one, those who may know its reporter
// (KnowReporter: the enterprise, the observation point that filed) see all; liaisons and admins,
// who may name the reporter only by an audited reveal (RevealReporter, which also shows the
// inspection), keep the county (they route by it, and a county's liaison sees only its own); the
// hotline operator that took the call is redacted as a liaison is (it keeps the county it heard,
// never the reporter once the caller asked to stay anonymous); the handling unit's officers and
// anyone else get everything hidden.
func RedactOrder(a Actor, o Object, anonymous bool) Redaction {
	if !anonymous || Can(a, KnowReporter, o) {
		return Redaction{}
	}
	r := Redaction{Reporter: true, Inspection: true, County: true, Roles: true, Times: true, OldPDFs: true}
	if Can(a, RevealReporter, o) || (Can(a, ViewOrder, o) && a.Role == RoleOperator) {
		r.County = false
	}
	return r
}

// None tells whether r hides nothing.
func (r Redaction) None() bool { return r == Redaction{} }

// takesPart: the officer's body is among the object's bodies.
func (a Actor) takesPart(o Object) bool {
	if a.BodyID == 0 {
		return false
	}
	for _, b := range o.BodyIDs {
		if b == a.BodyID {
			return true
		}
	}
	return false
}

// InspectionScope is the part of the inspection list an actor sees. It fails closed: the zero
// value is no scope, and All must be said.
type InspectionScope struct {
	All          bool
	EnterpriseID uint
	BodyID       uint
	CountyCode   string
}

// InspectionsVisible is the list scope beside ViewInspection: an enterprise its own, an officer
// its body's, a liaison its county's (city level: all), an admin all. Observation points and
// providers list none (an observation point opens a member's inspection from its notice).
func InspectionsVisible(a Actor) (InspectionScope, bool) {
	if a.Role == RoleAnonymous || a.UserID == 0 {
		return InspectionScope{}, false
	}
	switch a.Role {
	case RoleEnterprise:
		return InspectionScope{EnterpriseID: a.EnterpriseID}, a.EnterpriseID != 0 && !a.Applicant
	case RoleOfficer:
		return InspectionScope{BodyID: a.BodyID}, a.BodyID != 0
	case RoleLiaison:
		if a.CountyCode == "" {
			return InspectionScope{All: true}, true
		}
		return InspectionScope{CountyCode: a.CountyCode}, true
	case RoleAdmin:
		return InspectionScope{All: true}, true
	}
	return InspectionScope{}, false
}

// OrderScope bounds a list of work orders to those its caller may see (ViewOrder): all of them,
// or those of one enterprise, of one observation point's filings, of one handling unit or of one
// county. The zero OrderScope holds nothing: a caller without a scope lists nothing, never all.
type OrderScope struct {
	All            bool
	EnterpriseID   uint
	ObserverUserID uint // the observation point that filed them
	UnitBodyID     uint // the handling unit they were dispatched to
	CountyCode     string
	TakenByUserID  uint // the hotline operator that took them by phone
}

// None tells whether s holds no order at all.
func (s OrderScope) None() bool {
	return !s.All && s.EnterpriseID == 0 && s.ObserverUserID == 0 && s.UnitBodyID == 0 && s.CountyCode == "" && s.TakenByUserID == 0
}

// Contains tells whether an order (as Object: its enterprise, county, unit and observation
// point) lies in s. It agrees with Can(a, ViewOrder, o) for s = OrdersVisibleTo(a).
func (s OrderScope) Contains(o Object) bool {
	switch {
	case s.None():
		return false
	case s.All:
		return true
	case s.EnterpriseID != 0:
		return s.EnterpriseID == o.EnterpriseID
	case s.ObserverUserID != 0:
		return s.ObserverUserID == o.OwnerUserID
	case s.UnitBodyID != 0:
		return s.UnitBodyID == o.BodyID || slices.Contains(o.CoBodyIDs, s.UnitBodyID)
	case s.TakenByUserID != 0:
		return s.TakenByUserID == o.TakenByUserID
	}
	return s.CountyCode == o.CountyCode
}

// OrdersVisibleTo is the list scope of a: what ViewOrder lets it see, as a filter.
func OrdersVisibleTo(a Actor) OrderScope {
	if a.Role == RoleAnonymous || a.UserID == 0 {
		return OrderScope{}
	}
	switch a.Role {
	case RoleAdmin:
		return OrderScope{All: true}
	case RoleEnterprise:
		if a.Applicant {
			return OrderScope{}
		}
		return OrderScope{EnterpriseID: a.EnterpriseID}
	case RoleObserver:
		return OrderScope{ObserverUserID: a.UserID}
	case RoleLiaison:
		if a.CountyCode == "" {
			return OrderScope{All: true}
		}
		return OrderScope{CountyCode: a.CountyCode}
	case RoleOfficer:
		return OrderScope{UnitBodyID: a.BodyID}
	case RoleOperator:
		return OrderScope{TakenByUserID: a.UserID}
	}
	return OrderScope{}
}

func (a Actor) owns(o Object) bool {
	return !a.Applicant && a.EnterpriseID != 0 && a.EnterpriseID == o.EnterpriseID
}

// tookCall: the operator took the order by phone.
func (a Actor) tookCall(o Object) bool { return o.TakenByUserID != 0 && o.TakenByUserID == a.UserID }

func (a Actor) ownBody(o Object) bool { return a.BodyID != 0 && a.BodyID == o.BodyID }

func (a Actor) isMember(id uint) bool {
	if id == 0 {
		return false
	}
	for _, m := range a.Members {
		if m == id {
			return true
		}
	}
	return false
}

// OwnScope is whose records a list shows an actor: one enterprise's, one body's or one provider
// login's. The zero value names no one, and a list given it must refuse, never list everything.
type OwnScope struct {
	EnterpriseID uint
	BodyID       uint
	ProviderID   uint // the provider's user
}

// Empty tells whether the scope names no one.
func (s OwnScope) Empty() bool { return s == OwnScope{} }

// OwnScopeOf is the scope of a's list of act's objects (ViewBooking, ViewAppointment,
// ViewDocuments): those Can lets it see that belong to its own enterprise, body or login. Roles
// that see single objects by other grounds (an admin opening an appointment) get no list.
func OwnScopeOf(a Actor, act Action) OwnScope {
	if a.Role == RoleAnonymous || a.UserID == 0 || a.Applicant {
		return OwnScope{}
	}
	switch {
	case a.Role == RoleEnterprise && (act == ViewBooking || act == ViewAppointment || act == ViewDocuments):
		return OwnScope{EnterpriseID: a.EnterpriseID}
	case a.Role == RoleProvider && act == ViewBooking:
		return OwnScope{ProviderID: a.UserID}
	case a.Role == RoleOfficer && (act == ViewAppointment || act == ViewDocuments):
		return OwnScope{BodyID: a.BodyID}
	}
	return OwnScope{}
}

// ClaimScope is the part of the review queue of enterprise applications an actor sees
// (ReviewClaims): all, or one county's. The zero value holds nothing.
type ClaimScope struct {
	All        bool
	CountyCode string
}

// None tells whether s holds no application.
func (s ClaimScope) None() bool { return !s.All && s.CountyCode == "" }

// ClaimsVisible is the list scope beside ReviewClaims: admins and the city's liaisons all, a
// county's liaison its county's, anyone else none.
func ClaimsVisible(a Actor) ClaimScope {
	if a.UserID == 0 {
		return ClaimScope{}
	}
	switch a.Role {
	case RoleAdmin:
		return ClaimScope{All: true}
	case RoleLiaison:
		if a.CountyCode == "" {
			return ClaimScope{All: true}
		}
		return ClaimScope{CountyCode: a.CountyCode}
	}
	return ClaimScope{}
}

// CodeReader is how a behaviour code's public page reads for its caller (CODE-1): the public
// facts to anyone not signed in as an enterprise (and to those who may see the inspection
// anyway), nothing of the owner to another enterprise's login, which is told the code is not
// for its enterprise. An applicant (claim not approved) acts for no enterprise, so every code is
// foreign to it.
type CodeReader int

// The readings of a code's page.
const (
	CodePublic  CodeReader = iota // not signed in, or a role that is not an enterprise
	CodeOwn                       // the enterprise the code was issued to
	CodeForeign                   // another enterprise
)

// ReadsCode is the reading of a code issued to enterprise owner for a.
func ReadsCode(a Actor, owner uint) CodeReader {
	if a.UserID == 0 || a.Role != RoleEnterprise {
		return CodePublic
	}
	if !a.Applicant && a.EnterpriseID != 0 && a.EnterpriseID == owner {
		return CodeOwn
	}
	return CodeForeign
}
