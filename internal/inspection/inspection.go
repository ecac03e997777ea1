// Package inspection is the inspection use cases: registering an inspection (by officer page,
// API push idempotent on the source platform's id), giving it a signed behaviour code, running
// the automatic rule checks and raising each violation once as a clue in the liaisons' queue.
package inspection

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/idem"
	"qijian/internal/inspection/actcode"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// Service runs the use cases.
type Service struct {
	St     *store.Store
	Cal    *calendar.Calendar
	Clock  clock.Clock
	Codes  *actcode.Codec
	Orders *grievance.Service
}

// Registration is an inspection as an officer or the provincial platform reports it.
type Registration struct {
	ExternalID   string    `json:"external_id" validate:"max=100"`
	Kind         string    `json:"kind" validate:"required,oneof=planned special triggered requested joint"`
	EnterpriseID uint      `json:"enterprise_id" validate:"required"`
	BodyIDs      []uint    `json:"body_ids" validate:"required,min=1,max=10"`
	ItemIDs      []uint    `json:"item_ids" validate:"max=50"`
	InspectorIDs []uint    `json:"inspector_ids" validate:"max=20"`
	ScheduledAt  time.Time `json:"scheduled_at" validate:"required"`
	Place        string    `json:"place" validate:"max=200"`
	County       string    `json:"county" validate:"omitempty,county"`
	// CrossAreaApproval is free text kept from earlier registrations; it does not count as an
	// approval (AREA-1 reads the record below).
	CrossAreaApproval string `json:"cross_area_approval" validate:"max=100" doc:"free text, kept but not counted as an approval; use the cross_area_* record"`
	// The approval of an inspection outside the body's county (AREA-1, seed §2.6 一): the common
	// superior that approved, its document number and date, and the date the local authority was
	// told. All four or none.
	CrossAreaApprover   string     `json:"cross_area_approver" validate:"max=100" doc:"the approving authority (the bodies' common superior)"`
	CrossAreaDocNo      string     `json:"cross_area_doc_no" validate:"max=100" doc:"the approval's document number"`
	CrossAreaApprovedOn *time.Time `json:"cross_area_approved_on" doc:"the approval's date, on or before the inspection day"`
	CrossAreaNotifiedOn *time.Time `json:"cross_area_notified_on" doc:"when the local authority was told, on or before the inspection day"`
	NoticeDeliveredAt   *time.Time `json:"notice_delivered_at"`
	NoticeWithheld      bool       `json:"notice_withheld"`
	// NoticeWithheldBasis is the law and article that forbid prior notice; required with
	// notice_withheld (NOTICE-1).
	NoticeWithheldBasis string `json:"notice_withheld_basis" validate:"max=200"`
	// The approval that allows an inspection beyond the yearly cap (FREQ-1/2): approving
	// authority, document number and date, all three or none.
	FrequencyApprover   string     `json:"frequency_approver" validate:"max=100"`
	FrequencyApprovalNo string     `json:"frequency_approval_no" validate:"max=100"`
	FrequencyApprovedOn *time.Time `json:"frequency_approved_on"`
	Special             *Special   `json:"special"`
	// KeepSeparate: a triggered inspection is not merged into the body's pending planned task
	// for the enterprise (FREQ-3); the check then raises a clue.
	KeepSeparate bool `json:"keep_separate"`
	// KeepSeparateReason is why the body keeps the visit apart; required with keep_separate, and
	// shown on the clue.
	KeepSeparateReason string `json:"keep_separate_reason" validate:"max=500"`
}

// Normalize keeps each id once, where it first stood: a list names each body, item and
// inspector once (they are join rows), and a repeat would count a body twice.
func (r *Registration) Normalize() {
	r.BodyIDs, r.ItemIDs, r.InspectorIDs = once(r.BodyIDs), once(r.ItemIDs), once(r.InspectorIDs)
}

func once(ids []uint) []uint {
	if len(ids) == 0 {
		return ids
	}
	out := make([]uint, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// complete refuses a withheld notice without its legal basis, a basis without withholding, and
// an approval record missing a part.
func (r *Registration) complete() error {
	r.NoticeWithheldBasis = strings.TrimSpace(r.NoticeWithheldBasis)
	switch {
	case r.NoticeWithheld && r.NoticeWithheldBasis == "":
		return errs.Field("notice_withheld_basis", "err.required")
	case !r.NoticeWithheld && r.NoticeWithheldBasis != "":
		return errs.Field("notice_withheld", "err.required")
	case r.NoticeWithheld && r.NoticeDeliveredAt != nil:
		return errs.Field("notice_delivered_at", "err.invalid")
	}
	r.CrossAreaApprover, r.CrossAreaDocNo = strings.TrimSpace(r.CrossAreaApprover), strings.TrimSpace(r.CrossAreaDocNo)
	if a := r.CrossAreaApprover != "" || r.CrossAreaDocNo != "" || r.CrossAreaApprovedOn != nil || r.CrossAreaNotifiedOn != nil; a {
		switch {
		case r.CrossAreaApprover == "":
			return errs.Field("cross_area_approver", "err.required")
		case r.CrossAreaDocNo == "":
			return errs.Field("cross_area_doc_no", "err.required")
		case r.CrossAreaApprovedOn == nil:
			return errs.Field("cross_area_approved_on", "err.required")
		case r.CrossAreaNotifiedOn == nil:
			return errs.Field("cross_area_notified_on", "err.required")
		}
	}
	r.KeepSeparateReason = strings.TrimSpace(r.KeepSeparateReason)
	switch {
	case r.KeepSeparate && r.KeepSeparateReason == "":
		return errs.Field("keep_separate_reason", "err.required")
	case !r.KeepSeparate && r.KeepSeparateReason != "":
		return errs.Field("keep_separate", "err.required")
	}
	r.FrequencyApprover, r.FrequencyApprovalNo = strings.TrimSpace(r.FrequencyApprover), strings.TrimSpace(r.FrequencyApprovalNo)
	parts := 0
	for _, ok := range []bool{r.FrequencyApprover != "", r.FrequencyApprovalNo != "", r.FrequencyApprovedOn != nil} {
		if ok {
			parts++
		}
	}
	if parts != 0 && parts != 3 {
		switch {
		case r.FrequencyApprover == "":
			return errs.Field("frequency_approver", "err.required")
		case r.FrequencyApprovalNo == "":
			return errs.Field("frequency_approval_no", "err.required")
		default:
			return errs.Field("frequency_approved_on", "err.required")
		}
	}
	return nil
}

// Registered is what a registration answers: the inspection's id, code and status, and the
// items it covers (a triggered visit that took over a planned task covers the task's too).
type Registered struct {
	ID      uint64
	Code    string
	Status  string
	ItemIDs []uint
	// PendingBodyIDs: the other bodies of a joint inspection, taking part once they confirm.
	PendingBodyIDs []uint
}

// Special is a special inspection's approval record (SPEC-1): the dates of each step.
type Special struct {
	LegalReviewOn        *time.Time `json:"legal_review_on"`
	CollectiveDecisionOn *time.Time `json:"collective_decision_on"`
	ApprovedOn           *time.Time `json:"approved_on"`
	FiledOn              *time.Time `json:"filed_on"`
	PublishedOn          *time.Time `json:"published_on"`
}

// Register stores an inspection, issues its code and runs the checks, all in one transaction.
// A push with an external id seen before returns the stored inspection and changes nothing.
func (s *Service) Register(ctx context.Context, by account.Actor, r Registration) (*Registered, bool, error) {
	if !CanRegister(by) {
		return nil, false, ErrForbidden
	}
	r.Normalize()
	if err := r.complete(); err != nil {
		return nil, false, err
	}
	if !account.Can(by, account.RegisterInspection, account.Object{BodyIDs: r.BodyIDs}) {
		return nil, false, ErrBodyForbidden
	}
	source, confirmed, pending := parts(by, r.BodyIDs)
	r.BodyIDs = append(slices.Clone(confirmed), pending...)
	var out *store.Inspection
	var created bool
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		claim, err := idem.Take(ctx, s.St, by.UserID, "inspection", r, s.Clock.Now())
		if err != nil {
			return err
		}
		if claim.Prior != 0 {
			out, err = s.St.InspectionByID(ctx, claim.Prior)
			created = true // the first answer: it was made by this key's first use
			return err
		}
		ent, err := s.St.Enterprise(ctx, r.EnterpriseID)
		if errors.Is(err, store.ErrNotFound) {
			return errs.Field("enterprise_id", "err.invalid")
		} else if err != nil {
			return err
		}
		for _, id := range r.BodyIDs {
			if _, err := s.St.Body(ctx, id); errors.Is(err, store.ErrNotFound) {
				return errs.Field("body_ids", "err.invalid")
			} else if err != nil {
				return err
			}
		}
		now := s.Clock.Now()
		county := r.County
		if county == "" {
			county = ent.CountyCode
		}
		in := &store.Inspection{Kind: r.Kind, Status: "scheduled", EnterpriseID: ent.ID, SourceBodyID: source, BodyIDs: confirmed, PendingBodyIDs: pending, ItemIDs: r.ItemIDs,
			InspectorIDs: r.InspectorIDs, ScheduledAt: r.ScheduledAt.UTC(), Place: strings.TrimSpace(r.Place), CountyCode: county,
			CrossAreaApproval: strings.TrimSpace(r.CrossAreaApproval), NoticeWithheld: r.NoticeWithheld, NoticeWithheldBasis: r.NoticeWithheldBasis, KeepSeparateReason: r.KeepSeparateReason,
			CrossAreaApprover: r.CrossAreaApprover, CrossAreaDocNo: r.CrossAreaDocNo, CrossAreaApprovedOn: utc(r.CrossAreaApprovedOn), CrossAreaNotifiedOn: utc(r.CrossAreaNotifiedOn),
			FrequencyApprover: r.FrequencyApprover, FrequencyApprovalNo: r.FrequencyApprovalNo, FrequencyApprovedOn: utc(r.FrequencyApprovedOn), CreatedBy: by.UserID, CreatedAt: now, UpdatedAt: now}
		if r.NoticeDeliveredAt != nil {
			t := r.NoticeDeliveredAt.UTC()
			in.NoticeDeliveredAt, in.Status = &t, "notified"
		}
		if sp := r.Special; sp != nil {
			in.SpecialReviewOn, in.SpecialDecisionOn, in.SpecialApprovedOn, in.SpecialFiledOn, in.SpecialPublishedOn = sp.LegalReviewOn, sp.CollectiveDecisionOn, sp.ApprovedOn, sp.FiledOn, sp.PublishedOn
		}
		if ext := strings.TrimSpace(r.ExternalID); ext != "" {
			in.ExternalID = &ext
		}
		out, created, err = s.St.CreateInspection(ctx, in)
		if err == nil {
			err = claim.Made(ctx, out.ID)
		}
		if err != nil || !created {
			return err
		}
		out.Code = s.Codes.Issue(out.ID, now)
		if err := s.St.SetInspectionCode(ctx, out.ID, out.Code); err != nil {
			return err
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "inspection.register", ObjectType: "inspection", ObjectID: out.ID}); err != nil {
			return err
		}
		if out.Kind == string(rules.Triggered) && !r.KeepSeparate {
			if err := s.merge(ctx, by, out, now); err != nil {
				return err
			}
		}
		if _, err = s.check(ctx, out, ent); err != nil {
			return err
		}
		if err := s.recheckOthers(ctx, out, ent); err != nil {
			return err
		}
		if err := s.notifyEnterprise(ctx, out, now); err != nil {
			return err
		}
		return s.askBodies(ctx, out, now)
	})
	if err != nil {
		return nil, false, fmt.Errorf("inspections: register: %w", err)
	}
	return &Registered{ID: out.ID, Code: out.Code, Status: out.Status, ItemIDs: out.ItemIDs, PendingBodyIDs: out.PendingBodyIDs}, created, nil
}

// parts splits a registration's bodies: the source body (the registering officer's own, or for
// an administrator the first named) coordinates and leads; a body whose agreement the caller
// may give (account.JoinForBody) takes part at once, in the order named after the source; any
// other is pending until one of its officers confirms (AnswerJoint).
func parts(by account.Actor, ids []uint) (source uint, confirmed, pending []uint) {
	if len(ids) == 0 {
		return 0, nil, nil
	}
	source = ids[0]
	if by.Role == account.RoleOfficer && slices.Contains(ids, by.BodyID) {
		source = by.BodyID
	}
	confirmed = []uint{source}
	for _, id := range ids {
		switch {
		case id == source:
		case account.Can(by, account.JoinForBody, account.Object{BodyID: id}):
			confirmed = append(confirmed, id)
		default:
			pending = append(pending, id)
		}
	}
	return source, confirmed, pending
}

// check runs the rules on in and raises each new violation as a clue (once per inspection and
// rule, however often it runs). It returns all violations found.
func (s *Service) check(ctx context.Context, in *store.Inspection, ent *account.Enterprise) ([]rules.Violation, error) {
	f, err := s.facts(ctx, in, ent)
	if err != nil {
		return nil, err
	}
	d := Domain(in)
	if rt, err := s.St.RatingOf(ctx, in.ID); err == nil {
		d.DataDemanded, d.Disrupted = rt.DataDemanded, rt.Disrupted
		if rt.CodeAnswered { // an unanswered question is not a "no"
			shown := rt.CodeShown
			d.CodeShown = &shown
		}
		if rt.CredentialAnswered {
			shown := rt.CredentialShown
			d.CredentialShown = &shown
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if in.Status == string(rules.Done) {
		recs, err := s.St.InspectionRecords(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			d.Records = append(d.Records, rules.RecordKind(r.Kind))
		}
	}
	v := rules.Check(d, f)
	return v, s.raise(ctx, in, v)
}

// raise makes the clues of in follow v, the latest facts, both ways: each rule broken has one
// clue (raised once, or raised again if it had been withdrawn), and a clue whose rule no longer
// is broken is withdrawn, with the reason in its work order's timeline.
func (s *Service) raise(ctx context.Context, in *store.Inspection, v []rules.Violation) error {
	now := s.Clock.Now()
	existing, err := s.St.Clues(ctx, in.ID)
	if err != nil {
		return err
	}
	have := map[string]*store.Clue{}
	for i := range existing {
		have[existing[i].Rule] = &existing[i]
	}
	broken := map[string]bool{}
	for _, x := range v {
		if broken[x.Rule] {
			continue // one clue per rule; its evidence names the first case
		}
		broken[x.Rule] = true
		c := have[x.Rule]
		switch {
		case c != nil && c.WithdrawnAt == nil:
			continue
		case c != nil:
			if err := s.St.ReinstateClue(ctx, c.ID, x.Evidence); err != nil {
				return err
			}
		default:
			c = &store.Clue{InspectionID: in.ID, Rule: x.Rule, Evidence: x.Evidence, CreatedAt: now}
			fresh, err := s.St.AddClue(ctx, c)
			if err != nil {
				return err
			}
			if !fresh {
				continue
			}
		}
		body := uint(0)
		if len(in.BodyIDs) > 0 {
			body = in.BodyIDs[0] // the lead body
		}
		o, err := s.Orders.FileClue(ctx, in.EnterpriseID, body, x.Rule, x.Evidence, in.Code)
		if err != nil {
			return err
		}
		if err := s.St.SetClueOrder(ctx, c.ID, o.ID); err != nil {
			return err
		}
	}
	for _, c := range existing {
		if broken[c.Rule] || c.WithdrawnAt != nil {
			continue
		}
		reason := withdrawReason(in)
		ok, err := s.St.WithdrawClue(ctx, c.ID, now, reason)
		if err != nil || !ok {
			return err
		}
		if c.OrderID != 0 {
			if err := s.Orders.WithdrawClue(ctx, c.OrderID, "系统线索已撤回："+reason); err != nil {
				return err
			}
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorRole: "system", Action: "clue.withdraw", ObjectType: "inspection", ObjectID: in.ID,
			Detail: fmt.Sprintf(`{"rule":%q}`, c.Rule)}); err != nil {
			return err
		}
	}
	return nil
}

// withdrawReason says why an inspection's clue no longer holds.
func withdrawReason(in *store.Inspection) string {
	switch in.Status {
	case string(rules.Cancelled):
		return "检查已撤销"
	case string(rules.Merged):
		return "计划检查已与触发式检查合并实施"
	}
	return "据最新登记的事实，该规则不再违反"
}

// recheckOthers runs the checks again on every other inspection of in's enterprise in its year
// (and the triggered window around it): a registration, a cancellation or a merge can change
// their counts (FREQ-1/2/3), and clues follow the latest facts.
func (s *Service) recheckOthers(ctx context.Context, in *store.Inspection, ent *account.Enterprise) error {
	year := in.ScheduledAt.In(calendar.Location()).Year()
	list, err := s.St.EnterpriseInspections(ctx, in.EnterpriseID, time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Location()),
		time.Date(year+1, 1, 1, 0, 0, 0, 0, calendar.Location()).AddDate(0, 0, rules.TriggeredWindow))
	if err != nil {
		return err
	}
	for i := range list {
		if list[i].ID == in.ID {
			continue
		}
		if _, err := s.check(ctx, &list[i], ent); err != nil {
			return err
		}
	}
	return nil
}

// Domain is the rules' view of a stored inspection.
func Domain(in *store.Inspection) rules.Inspection {
	var mergedInto uint64
	if in.MergedInto != nil {
		mergedInto = *in.MergedInto
	}
	return rules.Inspection{MergedInto: mergedInto, ID: in.ID, Kind: rules.Kind(in.Kind), Status: rules.Status(in.Status), EnterpriseID: in.EnterpriseID,
		BodyIDs: in.BodyIDs, ItemIDs: in.ItemIDs, InspectorIDs: in.InspectorIDs,
		ScheduledAt: in.ScheduledAt, County: in.CountyCode, CrossAreaApproval: in.CrossAreaApproval, NoticeDeliveredAt: in.NoticeDeliveredAt,
		NoticeWithheld: in.NoticeWithheld, NoticeBasis: in.NoticeWithheldBasis, NoticeAckAt: in.NoticeAckAt, Code: in.Code, KeepSeparateReason: in.KeepSeparateReason,
		FrequencyApproval: rules.Approval{By: in.FrequencyApprover, No: in.FrequencyApprovalNo, On: in.FrequencyApprovedOn},
		CrossArea:         rules.CrossAreaRecord{Approval: rules.Approval{By: in.CrossAreaApprover, No: in.CrossAreaDocNo, On: in.CrossAreaApprovedOn}, NotifiedOn: in.CrossAreaNotifiedOn},
		Special:           &rules.SpecialRecord{LegalReviewOn: in.SpecialReviewOn, CollectiveDecisionOn: in.SpecialDecisionOn, ApprovedOn: in.SpecialApprovedOn, FiledOn: in.SpecialFiledOn, PublishedOn: in.SpecialPublishedOn}}
}

func (s *Service) facts(ctx context.Context, in *store.Inspection, ent *account.Enterprise) (rules.Facts, error) {
	f := rules.Facts{Cal: s.Cal, Now: s.Clock.Now(), Bodies: map[uint]rules.Body{}, Inspectors: map[uint]rules.Inspector{}, Items: map[uint]rules.Item{}}
	excellent, err := s.creditExcellent(ctx, ent, in.ScheduledAt) // FREQ-2: the grade valid on the inspection's day
	if err != nil {
		return f, err
	}
	f.CreditExcellent = excellent
	bodies, err := s.St.Bodies(ctx)
	if err != nil {
		return f, err
	}
	for _, b := range bodies {
		f.Bodies[b.ID] = rules.Body{ID: b.ID, Name: b.NameZh, County: b.CountyCode, Qualified: b.Qualified, AnnouncedOn: b.AnnouncedOn}
	}
	ps, err := s.St.InspectorsByID(ctx, in.InspectorIDs)
	if err != nil {
		return f, err
	}
	for _, p := range ps {
		f.Inspectors[p.ID] = p.Inspector
	}
	items, err := s.St.ItemsByID(ctx, in.ItemIDs)
	if err != nil {
		return f, err
	}
	for _, it := range items {
		f.Items[it.ID] = it.Item
	}
	year := in.ScheduledAt.In(calendar.Location()).Year()
	if in.Kind == "planned" {
		// PLAN-1 runs when plans are on record for the year; a body without one is flagged.
		f.Plans = map[uint]rules.Plan{}
		for _, id := range in.BodyIDs {
			p, err := s.St.PlanOf(ctx, id, year)
			if errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return f, err
			}
			changed := false
			if p.ChangedAt != nil { // one finding per body and year, on the first inspection after the change
				holder, err := s.St.PlanChangeHolder(ctx, id, time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Location()), time.Date(year+1, 1, 1, 0, 0, 0, 0, calendar.Location()), *p.ChangedAt)
				if err != nil {
					return f, err
				}
				changed = holder == in.ID
			}
			f.Plans[id] = rules.Plan{BodyID: id, Year: year, PublishedOn: p.PublishedOn, Changed: changed}
		}
	}
	others, err := s.St.EnterpriseInspections(ctx, in.EnterpriseID, time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Location()).AddDate(0, 0, -rules.TriggeredWindow),
		time.Date(year+1, 1, 1, 0, 0, 0, 0, calendar.Location()))
	if err != nil {
		return f, err
	}
	for i := range others {
		f.Others = append(f.Others, Domain(&others[i]))
	}
	return f, nil
}

func shanghai() *time.Location { return calendar.Location() }
