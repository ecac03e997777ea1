// Package rules states the rules an administrative inspection must keep (domain.md: SUBJ-1,
// SUBJ-2, LIST-1, FREQ-1/2/3, NOTICE-1, CODE-1, PLAN-1, SPEC-1, AREA-1, RECORD-1) as plain Go checks
// over plain values. Callers load the facts; Check says which rules an inspection breaks.
package rules

import (
	"strings"
	"time"

	"qijian/internal/calendar"
)

// Kind of inspection.
type Kind string

// Kinds.
const (
	Planned   Kind = "planned"
	Special   Kind = "special"   // 专项检查
	Triggered Kind = "triggered" // complaint, referral, data monitoring
	Requested Kind = "requested" // asked for by the enterprise itself
	Joint     Kind = "joint"     // several bodies together
)

// Status of an inspection.
type Status string

// Statuses.
const (
	Scheduled  Status = "scheduled"
	Notified   Status = "notified"
	InProgress Status = "in_progress"
	Done       Status = "done"
	Cancelled  Status = "cancelled"
	Merged     Status = "merged" // a planned task carried out by a triggered inspection (FREQ-3)
)

// Body is an enforcement body (执法主体).
type Body struct {
	ID          uint
	Name        string
	County      string // "" for a municipal body, which may inspect anywhere in Wenzhou
	Qualified   bool   // confirmed as an enforcement body
	AnnouncedOn *time.Time
}

// StaffKind is what an inspector is employed as.
type StaffKind string

// Staff kinds: only on-post enforcement staff may inspect (SUBJ-2).
const (
	OnPost     StaffKind = "on_post" // 在编在执法岗
	Auxiliary  StaffKind = "auxiliary"
	GridWorker StaffKind = "grid_worker"
	Temporary  StaffKind = "temporary"
)

// Inspector is a person who inspects.
type Inspector struct {
	ID           uint
	BodyID       uint
	Name         string
	CredentialNo string
	ValidFrom    time.Time
	ValidTo      time.Time
	Active       bool
	Staff        StaffKind
}

// Item is an entry of a body's published inspection item list (检查事项清单): what may be
// checked, on which legal basis, how and against which standard.
type Item struct {
	ID          uint
	BodyID      uint
	Name        string
	LegalBasis  string
	Method      string
	Standard    string
	PublishedOn *time.Time
	WithdrawnOn *time.Time
	AudioVideo  bool // the list requires an audio/video record of this item (RECORD-1)
}

// Plan is a body's annual inspection plan.
type Plan struct {
	BodyID      uint
	Year        int
	PublishedOn *time.Time
	// Changed: the plan was changed after publication and this inspection carries that finding.
	// A change is one finding per body and year: the facts set Changed only for the first planned
	// inspection of the body registered after the change (PlanChangeHolder), not for every later one.
	Changed bool
}

// SpecialRecord is a special inspection's approval file (SPEC-1).
type SpecialRecord struct {
	LegalReviewOn, CollectiveDecisionOn, ApprovedOn, FiledOn, PublishedOn *time.Time
}

// Inspection is one inspection of one enterprise.
type Inspection struct {
	ID           uint64
	Kind         Kind
	Status       Status
	EnterpriseID uint
	BodyIDs      []uint
	ItemIDs      []uint
	InspectorIDs []uint
	ScheduledAt  time.Time
	County       string // where it takes place
	// CrossAreaApproval is the free text of earlier registrations: it no longer suppresses AREA-1.
	CrossAreaApproval string
	// CrossArea is the approval of an inspection outside the body's county (AREA-1).
	CrossArea         CrossAreaRecord
	NoticeDeliveredAt *time.Time
	NoticeWithheld    bool   // prior notice forbidden by law (NOTICE-1)
	NoticeBasis       string // the law and article that forbid it, for a withheld notice
	// KeepSeparateReason: why the body kept a triggered visit apart from pending planned tasks (FREQ-3).
	KeepSeparateReason string
	NoticeAckAt        *time.Time // the enterprise signed for the notice in the portal (签收)
	Code               string
	CodeShown          *bool    // from the enterprise's rating; nil: not answered
	CredentialShown    *bool    // from the enterprise's rating; nil: not answered (SUBJ-2)
	DataDemanded       bool     // the rating says data the government already holds was demanded (DATA-1)
	Disrupted          bool     // the rating says production was disrupted (CONDUCT-1)
	FrequencyApproval  Approval // allows an inspection beyond the yearly cap (FREQ-1/2)
	Special            *SpecialRecord
	Records            []RecordKind // the case-file documents on record (RECORD-1)
	MergedInto         uint64       // for a merged planned task: the triggered inspection that carried it out
}

// Approval is the record that allows an inspection beyond the yearly cap (seed §2.3 三: 对于确需
// 多次检查的特殊情形，应严格履行审批程序): who approved, the document number, and the date.
type Approval struct {
	By string     // the approving authority
	No string     // the document number
	On *time.Time // the approval date
}

// Valid tells whether the record is complete and dated on or before the day of on (Wenzhou).
func (a Approval) Valid(on time.Time) bool {
	return strings.TrimSpace(a.By) != "" && strings.TrimSpace(a.No) != "" && a.On != nil &&
		calendar.DateOf(*a.On).Compare(calendar.DateOf(on)) <= 0
}

// CrossAreaRecord is the approval of an inspection outside the body's own county (seed §2.6 一:
// 需要实施异地检查的，应当报共同上一级行政执法机关批准，并告知当地主管部门): the approving
// authority, its document number and date, and the date the local authority was told.
type CrossAreaRecord struct {
	Approval
	NotifiedOn *time.Time // the local authority was told
}

// Missing names what the record lacks for an inspection on on's day, in plain words; "" when it
// is complete and both dates are on or before that day.
func (r CrossAreaRecord) Missing(on time.Time) string {
	switch {
	case strings.TrimSpace(r.By) == "" && strings.TrimSpace(r.No) == "" && r.On == nil && r.NotifiedOn == nil:
		return "无跨区域审批"
	case !r.Approval.Valid(on):
		return "跨区域审批记录不全或晚于检查日（须有批准机关、文号和不晚于检查日的批准日期）"
	case r.NotifiedOn == nil || calendar.DateOf(*r.NotifiedOn).Compare(calendar.DateOf(on)) > 0:
		return "未在检查日前告知当地主管部门"
	}
	return ""
}
