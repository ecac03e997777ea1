package grievance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"qijian/internal/account"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// OrderView is an order as one viewer may see it in a list. Redaction is already applied:
// Reporter is nil when the viewer may not know who filed it.
type OrderView struct {
	ID        uint64
	Number    string
	Type      lifecycle.Type
	Status    lifecycle.Status
	Channel   lifecycle.Channel
	Level     int
	County    string
	Anonymous bool
	Source    lifecycle.Source // who raised it (the enterprise, an observation point, the checks) when the viewer may know it; phone (电话, a call an operator took) always
	Reporter  *Party           // the enterprise it concerns, when the viewer may know it
	UnitID    uint             // the handling unit, once dispatched
	BodyID    uint             // the body reported, if named
	CreatedAt time.Time
	NextDueAt *time.Time
	ClosedAt  *time.Time
	Urgent    bool // 紧急: the urgent time limits apply
}

// Party is an enterprise by name.
type Party struct {
	ID   uint
	Name string
}

// OrderDetail is one order as its viewer may see it, with its timeline, deadlines, files and the
// moves open to the viewer.
type OrderDetail struct {
	OrderView
	Description     string
	InspectionCode  string
	Rating          int
	ReopenCount     int
	ReturnCode      string // while returned: the bounce's reason code (lifecycle.ReturnCodes)
	ReturnReason    string // while returned: the unit's words
	ReturnCount     int
	ExtensionCount  int
	ExtensionUntil  *time.Time // a pending extension's date
	ExtensionReason string
	PausedAt        *time.Time // waiting on the enterprise since then
	FollowSolved    *bool      // the follow-up's answer, solved and satisfied apart
	FollowSatisfied *bool
	FollowFailures  int
	Reasons         []string
	Timeline        []Event
	Deadlines       []DeadlineView
	Evidence        []EvidenceFile // without the files kept from this viewer (fileHidden)
	CanAttach       bool           // the viewer filed it and it is open
	Allowed         []lifecycle.Action
	CanReveal       bool // the viewer may name its anonymous reporter (audited)
	// The handlers' own (account.ReadNotes), empty for anyone else, the enterprise and the
	// observation point above all: the internal notes, and the files waiting for the reply.
	Handler      bool
	Notes        []Note
	PendingFiles []EvidenceFile
	Parts                   // merges and co-handling (merge.go)
	Documents    []Document // the supervision documents the viewer may read (督办)
}

// Event is one line of an order's timeline: what was done, by which role, and who did it (Who).
// To a viewer who may not know an anonymous order's reporter, the enterprise and the observation
// point that filed are both RoleReporter, and Who names neither.
type Event struct {
	At       time.Time
	Action   string
	From, To string
	Level    int
	Note     string
	By       string         // the actor's role
	Who      string         // the handling unit or office that acted (staff), the filer's name where the viewer knows it; "" for the system
	Body     uint           // the acting officer's body, for a page to name it in the viewer's language
	Person   string         // and the officer's name, where Who carries it (staff)
	Files    []EvidenceFile // a reply's attachments
}

// DeadlineView is one stage's deadline: running, met or breached.
type DeadlineView struct {
	Stage    string
	Round    int
	DueAt    time.Time
	RemindAt time.Time
	State    string
	// OriginalDueAt is the due time before an extension moved it (nil if never moved); Paused is
	// the working time the stage stood still while the order waited on the enterprise.
	OriginalDueAt *time.Time
	Paused        time.Duration
	UnitID        uint // a co-handler's part (stage cohandle): its unit
}

// EvidenceFile is a file attached to an order. No file name is kept.
type EvidenceFile struct {
	ID          uint64
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// view is o as by may see it in a list; names holds the enterprise names read for the list.
// Everything account.RedactOrder hides from by is left out here, for every list, page, export
// and answer built from the view.
func (s *Service) view(by account.Actor, o *store.WorkOrder, names map[uint]string) OrderView {
	r := redaction(by, o)
	v := OrderView{ID: s.extID(o), Number: o.Number, Type: lifecycle.Type(o.Type), Status: lifecycle.Status(o.Status), Channel: lifecycle.Channel(o.Channel),
		Level: o.Level, Anonymous: o.Anonymous, CreatedAt: coarse(r, o.CreatedAt), NextDueAt: coarsePtr(r, o.NextDueAt), ClosedAt: coarsePtr(r, o.ClosedAt), Urgent: o.Urgent}
	if !r.County {
		v.County = o.CountyCode
	}
	if !r.Roles || o.Source == string(lifecycle.SourcePhone) {
		v.Source = lifecycle.Source(o.Source)
	}
	if o.UnitBodyID != nil {
		v.UnitID = *o.UnitBodyID
	}
	if o.BodyID != nil {
		v.BodyID = *o.BodyID
	}
	if name, ok := names[o.EnterpriseID]; ok && !r.Reporter {
		v.Reporter = &Party{ID: o.EnterpriseID, Name: name}
	}
	return v
}

// Detail is one order the caller may see, or ErrNotFound: someone else's order is
// indistinguishable from one that does not exist.
func (s *Service) Detail(ctx context.Context, by account.Actor, id uint64) (*OrderDetail, error) {
	o, err := s.visible(ctx, by, id)
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, by, o)
}

// visible loads an order the caller may see, or ErrNotFound.
func (s *Service) visible(ctx context.Context, by account.Actor, id uint64) (*store.WorkOrder, error) {
	return s.load(ctx, by, id, false)
}

// load reads the order an outside id names, if by may see it. An anonymous order is named by its
// opaque reference; by its row id only to those who may know its reporter (links made before
// the references). To anyone else a row id of an anonymous order, like an opaque reference of a
// named one, names nothing: walking row ids finds no anonymous order between named ones.
func (s *Service) load(ctx context.Context, by account.Actor, id uint64, forUpdate bool) (*store.WorkOrder, error) {
	rowID, opaque := s.unopaque("order", id)
	o, err := s.St.Order(ctx, rowID, forUpdate)
	if err == nil {
		err = s.St.WithCohandlers(ctx, o) // its co-handling units read it too
	}
	if err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", id, err)
	}
	if !account.Can(by, account.ViewOrder, object(o)) || (opaque && !o.Anonymous) || (!opaque && o.Anonymous && !redaction(by, o).None()) {
		return nil, fmt.Errorf("complaint: order %d: %w", id, ErrNotFound)
	}
	return o, nil
}

// detail builds o's full view for by, who may see it.
func (s *Service) detail(ctx context.Context, by account.Actor, o *store.WorkOrder) (*OrderDetail, error) {
	var names map[uint]string
	if !reporterHidden(by, o) {
		e, err := s.St.Enterprise(ctx, o.EnterpriseID)
		if err != nil {
			return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
		}
		names = map[uint]string{e.ID: e.Name}
	}
	r := redaction(by, o)
	d := &OrderDetail{OrderView: s.view(by, o, names), Description: o.Description, Rating: o.Rating, ReopenCount: o.ReopenCount,
		CanAttach: attaches(by, o) && o.Status != string(lifecycle.Closed),
		CanReveal: o.Anonymous && account.Can(by, account.RevealReporter, object(o))}
	reasons, err := s.St.OrderReasons(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
	}
	if !r.Inspection {
		d.InspectionCode = o.InspectionCode
	}
	d.Reasons = sortReasons(reasons)
	events, err := s.St.OrderEvents(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
	}
	// What is the handlers' own is decided here, once, for this viewer: the internal notes (kept
	// apart from the timeline, read only for a handler) and the reply's files not yet sent.
	d.Handler = handler(by, o)
	if d.Handler {
		if d.Notes, err = s.notesOf(ctx, by, o); err != nil {
			return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
		}
	}
	replyFiles, err := s.St.OrderReplyFiles(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
	}
	sent := map[uint64][]EvidenceFile{}
	for i := range replyFiles {
		f := &replyFiles[i]
		switch {
		case f.EventID != nil:
			sent[*f.EventID] = append(sent[*f.EventID], s.replyFile(by, o, f))
		case d.Handler && f.UnitID == unitOf(o): // waiting for this unit's reply; a former unit's never go out
			d.PendingFiles = append(d.PendingFiles, s.replyFile(by, o, f))
		}
	}
	d.Timeline = make([]Event, 0, len(events))
	for _, e := range events {
		if e.Action == EventReveal && by.Role == account.RoleOfficer {
			continue // the reported unit never learns that, or why, the reporter was named
		}
		role := e.ActorRole
		if r.Roles && (role == string(account.RoleEnterprise) || role == string(account.RoleObserver)) {
			role = RoleReporter
		}
		ev := Event{At: coarse(r, e.At), Action: e.Action, From: e.FromStatus, To: e.ToStatus, Level: e.Level, Note: e.Note, By: role, Files: sent[e.ID]}
		if ev.Who, err = s.who(ctx, by, e, role, names, o, &ev); err != nil {
			return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
		}
		d.Timeline = append(d.Timeline, ev)
	}
	dls, err := s.St.OrderDeadlines(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
	}
	d.Deadlines = make([]DeadlineView, len(dls))
	for i, dl := range dls {
		state := "running"
		if dl.MetAt != nil {
			state = "met"
		} else if dl.BreachedAt != nil {
			state = "breached"
		} else if dl.SupersededAt != nil {
			state = "superseded"
		}
		d.Deadlines[i] = DeadlineView{Stage: dl.Stage, Round: dl.Round, DueAt: coarse(r, dl.DueAt), RemindAt: coarse(r, dl.RemindAt), State: state,
			OriginalDueAt: coarsePtr(r, dl.OriginalDueAt), Paused: time.Duration(dl.PausedSeconds) * time.Second}
		if u, ok := lifecycle.CohandleUnit(dl.Stage); ok {
			d.Deadlines[i].Stage, d.Deadlines[i].UnitID = string(lifecycle.StageCohandle), u
		}
	}
	files, err := s.St.OrderEvidence(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
	}
	d.Evidence = []EvidenceFile{}
	for _, e := range files {
		if !fileHidden(by, o, &e) {
			d.Evidence = append(d.Evidence, s.evidenceFile(by, o, &e))
		}
	}
	var open []store.Deadline
	for _, dl := range dls {
		if dl.MetAt == nil && dl.BreachedAt == nil && dl.SupersededAt == nil {
			open = append(open, dl)
		}
	}
	g, err := s.ruled(ctx, o, open)
	if err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
	}
	d.Allowed = lifecycle.Allowed(g, actorOf(by), s.Clock.Now())
	d.FollowSolved, d.FollowSatisfied, d.FollowFailures = o.FollowSolved, o.FollowSatisfied, o.FollowFailures
	d.ExtensionCount, d.ExtensionUntil, d.ExtensionReason, d.PausedAt = o.ExtensionCount, o.ExtensionUntil, o.ExtensionReason, coarsePtr(r, o.PausedAt)
	if o.Status == string(lifecycle.Returned) {
		d.ReturnCode, d.ReturnReason = o.ReturnCode, o.ReturnReason
	}
	d.ReturnCount = o.ReturnCount
	if d.Documents, err = s.documents(ctx, by, o); err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
	}
	if d.Allowed == nil {
		d.Allowed = []lifecycle.Action{}
	}
	if err := s.partsOf(ctx, by, o, g, d); err != nil {
		return nil, fmt.Errorf("complaint: order %d: %w", o.ID, err)
	}
	return d, nil
}

// sortReasons puts reasons in the order of the list the filer chose them from.
func sortReasons(rs []string) []string {
	slices.SortStableFunc(rs, func(a, b string) int {
		ia, ib := slices.Index(lifecycle.Reasons, a), slices.Index(lifecycle.Reasons, b)
		if ia < 0 {
			ia = len(lifecycle.Reasons)
		}
		if ib < 0 {
			ib = len(lifecycle.Reasons)
		}
		return ia - ib
	})
	if rs == nil {
		rs = []string{}
	}
	return rs
}

// evidenceFile is a file of o as by may see it: named by reference on an anonymous order, its
// time coarse where the order's times are.
func (s *Service) evidenceFile(by account.Actor, o *store.WorkOrder, e *store.Evidence) EvidenceFile {
	return EvidenceFile{ID: s.extEvidenceID(o, e.ID), ContentType: e.ContentType, Size: e.Size, CreatedAt: coarse(redaction(by, o), e.CreatedAt)}
}

// who names the actor of a timeline event for by: an officer by its unit (and, to staff, its
// account's name), a liaison or admin by its account's name (its office), a filer by the name the
// page already shows (nothing when by may not know it), the system by nothing.
func (s *Service) who(ctx context.Context, by account.Actor, e store.OrderEvent, role string, names map[uint]string, o *store.WorkOrder, w *Event) (string, error) {
	switch role {
	case string(account.RoleEnterprise):
		return names[o.EnterpriseID], nil
	case RoleReporter, "system", "":
		return "", nil
	}
	if e.ActorID == 0 {
		return "", nil
	}
	u, err := s.St.User(ctx, e.ActorID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	switch role {
	case string(account.RoleObserver):
		if u.OrgName != "" {
			return u.OrgName, nil
		}
	case string(account.RoleOfficer):
		unit := ""
		if u.BodyID != nil {
			if unit, err = s.St.BodyName(ctx, *u.BodyID); err != nil {
				return "", err
			}
			w.Body = *u.BodyID
		}
		if by.Role == account.RoleEnterprise || by.Role == account.RoleObserver || unit == "" {
			return unit, nil // the filer is told the unit that handles it
		}
		w.Person = u.DisplayName
		return unit + "（" + u.DisplayName + "）", nil
	}
	return u.DisplayName, nil
}
