// Package grievance is the work-order use cases: filing (with idempotency, group-committed),
// acting on an order through the grievance lifecycle, the deadline timers, evidence, the lists
// and views each viewer may see (an anonymous reporter already left out), and the audited reveal.
// Every change commits together with its timeline event, deadlines, audit entry and the outbox
// rows of its notifications.
package grievance

import (
	"time"

	"qijian/internal/account"
	"qijian/internal/blob"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// TaskDeadline is the outbox task type of a deadline timer.
const TaskDeadline = "grievance:deadline"

// Refusals. An order the caller may not see is ErrNotFound, like one that does not exist.
var (
	ErrForbidden = errs.New(errs.Forbidden, "forbidden", "err.forbidden")
	ErrNotFound  = errs.NotFound
)

// Service runs the use cases.
type Service struct {
	St    *store.Store
	Cal   *calendar.Calendar
	Clock clock.Clock
	// Secret keys the opaque references of anonymous orders (ref.go): the portal's secret, the
	// same in every process, so a link made by one is read by another.
	Secret []byte
	// Decoder rebuilds uploads within the process's memory budget; nil is blob.Shared.
	Decoder *blob.Decoder
	// Codes binds the behaviour code a filing names to its enterprise; nil checks nothing.
	Codes CodeOwners

	batch batcher // filings waiting for a group commit

	// failCreate, set only by tests, makes the write of a matching order fail in its transaction.
	failCreate func(o *store.WorkOrder) bool
}

// domain is the lifecycle's view of a stored order.
func domain(o *store.WorkOrder) lifecycle.Order {
	g := lifecycle.Order{ID: o.ID, Status: lifecycle.Status(o.Status), Level: o.Level, Channel: lifecycle.Channel(o.Channel), Type: lifecycle.Type(o.Type),
		County: o.CountyCode, EnterpriseID: o.EnterpriseID, ClosedAt: o.ClosedAt, Rating: o.Rating, ReopenCount: o.ReopenCount, ReturnReason: o.ReturnReason,
		ReturnCode: o.ReturnCode, ReturnCount: o.ReturnCount, ExtensionCount: o.ExtensionCount, ExtensionUntil: o.ExtensionUntil, PausedAt: o.PausedAt,
		FollowSolved: o.FollowSolved, FollowSatisfied: o.FollowSatisfied, FollowFailures: o.FollowFailures, Urgent: o.Urgent}
	if o.ReturnedUnitID != nil {
		g.ReturnedUnit = *o.ReturnedUnitID
	}
	if o.UnitBodyID != nil {
		g.Unit = *o.UnitBodyID
	}
	if o.ObserverID != nil {
		g.ObserverID = *o.ObserverID
	}
	if o.AssigneeID != nil {
		g.Assignee = *o.AssigneeID
	}
	if o.MergedIntoID != nil {
		g.MergedInto = *o.MergedIntoID
	}
	return g
}

// withDeadlines adds what the rules read from the order's open deadlines: the running sign-for
// limit.
func withDeadlines(g lifecycle.Order, open []store.Deadline) lifecycle.Order {
	for _, d := range open {
		if d.Stage == string(lifecycle.StageSign) {
			due := d.DueAt
			g.SignDue = &due
		}
	}
	return g
}

// object is the policy's view of an order: its enterprise, county, handling unit, the
// observation point that filed it, and the operator that took it by phone.
func object(o *store.WorkOrder) account.Object {
	obj := account.Object{EnterpriseID: o.EnterpriseID, CountyCode: o.CountyCode, CoBodyIDs: o.CoBodyIDs}
	if o.UnitBodyID != nil {
		obj.BodyID = *o.UnitBodyID
	}
	if o.ObserverID != nil {
		obj.OwnerUserID = *o.ObserverID
	}
	if o.Source == string(lifecycle.SourcePhone) {
		obj.TakenByUserID = o.FiledByUserID
	}
	return obj
}

// actorOf is the lifecycle's view of a caller.
func actorOf(a account.Actor) lifecycle.Actor {
	return lifecycle.Actor{Role: lifecycle.Role(a.Role), UserID: a.UserID, EnterpriseID: a.EnterpriseID, UnitID: a.BodyID, County: a.CountyCode}
}

// redaction is what by may not learn of o's reporter: account.RedactOrder, the one rule, which
// every view, list, export, download and link of an order follows.
func redaction(by account.Actor, o *store.WorkOrder) account.Redaction {
	return account.RedactOrder(by, object(o), o.Anonymous)
}

// reporterHidden tells whether by may not know who filed o: an anonymous reporter is hidden from
// everyone but itself and the observation point that filed for it (account.KnowReporter). The
// reported body never learns it; a liaison or admin may Reveal it, one audited look at a time.
func reporterHidden(by account.Actor, o *store.WorkOrder) bool { return redaction(by, o).Reporter }

// fileHidden tells whether an evidence file of o is kept from by: a PDF stored as it was sent
// (before uploads were rebuilt without metadata, whose own metadata may name its author) from
// whoever may not know o's reporter. Files stored since are clean for everyone. The order's
// view and the download both ask this.
func fileHidden(by account.Actor, o *store.WorkOrder, e *store.Evidence) bool {
	return !e.Clean && e.ContentType == "application/pdf" && redaction(by, o).OldPDFs
}

// coarse is t as by may see it: to the hour where exact times could be matched with the same
// enterprise's named activity (account.Redaction.Times). Hours are whole in Wenzhou time too.
func coarse(r account.Redaction, t time.Time) time.Time {
	if r.Times {
		return t.Truncate(time.Hour)
	}
	return t
}

func coarsePtr(r account.Redaction, t *time.Time) *time.Time {
	if t == nil || !r.Times {
		return t
	}
	c := t.Truncate(time.Hour)
	return &c
}

// RoleReporter is the timeline's actor for the enterprise or the observation point that filed
// an anonymous order, to those who may not know which (account.Redaction.Roles).
const RoleReporter = "reporter"

// staff tells whether by works the queue (liaisons and admins): the forms that assign, filter by
// county and export are theirs.
func staff(by account.Actor) bool {
	return by.Role == account.RoleLiaison || by.Role == account.RoleAdmin
}

// attaches tells whether by is the order's filer, who alone adds files to it. A phone order's
// filer is the operator who took the call, which records the call and acts on nothing after.
func attaches(by account.Actor, o *store.WorkOrder) bool {
	return o.FiledByUserID != 0 && o.FiledByUserID == by.UserID && o.Source != string(lifecycle.SourcePhone)
}
