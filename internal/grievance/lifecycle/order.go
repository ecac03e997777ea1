// Package lifecycle is the work-order (工单) domain in plain Go: complaint types and reasons, the
// lifecycle through the 12345/12348 hotline workflow, the supervision ladder (督办), routing and
// working-day SLAs. It imports no web, queue or database package.
package lifecycle

import (
	"slices"
	"time"

	"qijian/internal/errs"
)

// Type is what a complaint is about.
type Type string

// Complaint types.
const (
	TypeIllegalInspection Type = "illegal_inspection"
	TypeMissingCode       Type = "missing_code" // CODE-1
	TypeConduct           Type = "conduct"      // CONDUCT-1
	TypeAppeal            Type = "appeal"       // 诉求
	TypeConsultation      Type = "consultation" // 咨询
	// The 12345 matter types (issue 19 item 7), each with its own time limits.
	TypeHelp       Type = "help"       // 求助
	TypeComplaint  Type = "complaint"  // 投诉
	TypeReport     Type = "report"     // 举报
	TypeSuggestion Type = "suggestion" // 建议
)

// Types lists every type in display order.
var Types = []Type{TypeIllegalInspection, TypeMissingCode, TypeConduct, TypeAppeal, TypeConsultation, TypeHelp, TypeComplaint, TypeReport, TypeSuggestion}

// Reasons an inspection was illegal: the domain rule ids, and "other".
var Reasons = []string{"SUBJ-1", "SUBJ-2", "LIST-1", "FREQ-1", "FREQ-2", "FREQ-3", "NOTICE-1", "CODE-1", "PLAN-1", "SPEC-1", "JOINT-1", "AREA-1", "DATA-1", "VISIT-1", "CONDUCT-1", "RECORD-1", "other"}

// ValidType tells whether t is known.
func ValidType(t string) bool { return slices.Contains(Types, Type(t)) }

// ValidReason tells whether r is a known reason.
func ValidReason(r string) bool { return slices.Contains(Reasons, r) }

// Channel is the hotline an order runs through.
type Channel string

// Channels.
const (
	Channel12345 Channel = "12345" // government service hotline: general appeals
	Channel12348 Channel = "12348" // public legal service, enterprise fast lane 护企直通车
)

// Status is where an order stands.
type Status string

// Statuses.
const (
	Submitted  Status = "submitted"
	Accepted   Status = "accepted"    // 受理
	Dispatched Status = "dispatched"  // 派单
	Signed     Status = "signed"      // 签收: the unit has taken the order in, not yet handling it
	InProgress Status = "in_progress" // 办理
	Replied    Status = "replied"     // 答复
	FollowUp   Status = "follow_up"   // 回访
	Closed     Status = "closed"      // 办结
	Returned   Status = "returned"    // 退单
	Merged     Status = "merged"      // 已合并: closed as a duplicate of its main order (MergedInto)
	// A clue the automatic checks raised waits for a liaison's review (线索待核) apart from the
	// complaints; dismissed or merged it ends (线索了结), converted it becomes a submitted order.
	Clue      Status = "clue"
	Dismissed Status = "dismissed"
)

// Statuses lists every status.
var Statuses = []Status{Submitted, Accepted, Dispatched, Signed, InProgress, Replied, FollowUp, Closed, Returned, Merged, Clue, Dismissed}

// MaxLevel is the top of the supervision ladder.
const MaxLevel = 4

// LevelNames are the rungs of the supervision ladder (督办), seed §2.10.
var LevelNames = [MaxLevel + 1][2]string{
	{"正常", "Normal"},
	{"催办提醒", "Reminder to the handling unit"},
	{"县级司法局督办函", "County justice bureau supervision letter"},
	{"市级督办", "City-level supervision"},
	{"移送纪检监察", "Referral to discipline inspection"},
}

// ReopenWindow is how long after closing an unsatisfied enterprise may reopen (重办).
const ReopenWindow = 15 * 24 * time.Hour

// Order is the part of a work order the rules look at.
type Order struct {
	ID           uint64
	Status       Status
	Level        int
	Channel      Channel
	Type         Type
	County       string
	EnterpriseID uint
	ObserverID   uint // the observation point that filed it, if any
	Unit         uint // handling unit (enforcement body), once dispatched
	Assignee     uint // the liaison working the order
	ClosedAt     *time.Time
	Rating       int
	ReopenCount  int
	ReturnReason string     // the unit's words with its bounce
	ReturnCode   string     // the bounce's reason from ReturnCodes
	ReturnCount  int        // how many times units bounced the order
	ReturnedUnit uint       // the unit that bounced it last, which a refused bounce sends it back to
	SignDue      *time.Time // the running sign-for limit, if any: a unit may bounce an unsigned order until then
	// Extensions (延期): how many were granted, how many the order's channel and type allow,
	// and the date a pending request asks for.
	ExtensionCount int
	ExtensionLimit int
	ExtensionUntil *time.Time
	PausedAt       *time.Time // waiting on the enterprise (补充材料) since then: the clocks stand still
	// Follow-up (回访): the enterprise's answer, solved and satisfied apart (解决率, 满意率), and
	// the documented failures to reach it.
	FollowSolved    *bool
	FollowSatisfied *bool
	FollowFailures  int
	// Merges: the main order a merged duplicate belongs to, and how many were merged into this one.
	MergedInto  uint64
	MergedCount int
	// 协办: the co-handling units still on the order, with their parts' state.
	CoHandlers []CoHandler
	Urgent     bool // 紧急: the order runs on the urgent rows of the limits table
}

// FollowUpAttempts is how many documented failures to reach the enterprise let an order close
// without its answer.
const FollowUpAttempts = 3

// ReturnCodes are the reasons a unit may bounce an order for (退单理由); pages show their names.
var ReturnCodes = []string{"not_our_duty", "incomplete", "duplicate", "outside_area", "not_admissible", "other"}

// ReturnCodeNames are the codes' names, Chinese and English.
var ReturnCodeNames = map[string][2]string{
	"not_our_duty":   {"非本单位职责", "Not this unit's duty"},
	"incomplete":     {"信息不全，无法办理", "Information incomplete"},
	"duplicate":      {"重复工单", "Duplicate order"},
	"outside_area":   {"不属本辖区", "Outside this unit's area"},
	"not_admissible": {"不属受理范围", "Not admissible"},
	"other":          {"其他", "Other"},
}

// ReturnsToEscalate is how many bounces of one order raise it a rung of the ladder.
const ReturnsToEscalate = 2

// ErrNotAllowed is wrapped by every refused action: the order's state, or the caller's role or
// scope, does not allow it (a conflict with where the order stands, not bad input).
var ErrNotAllowed = errs.New(errs.Conflict, "not_allowed", "err.forbidden")

// ErrInput is wrapped when an action lacks what it needs (a unit, a reason, a rating).
var ErrInput = &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.invalid", Fields: map[string]string{"input": "err.invalid"}}

// Source is who raised an order: an enterprise for itself, an observation point for a member
// (with its consent), the system, from a rule the automatic checks found broken (a clue), or a
// hotline operator who took the enterprise's phone call (intake channel 电话).
type Source string

// Sources.
const (
	SourceEnterprise Source = "enterprise"
	SourceObserver   Source = "observer"
	SourceSystem     Source = "system"
	SourcePhone      Source = "phone"
)
