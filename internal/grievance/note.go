package grievance

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// Note is a handler's internal note (内部备注) as the order's view shows it to the other handlers.
type Note struct {
	ID   uint64
	At   time.Time
	By   string // the writer's role
	Text string
}

// note records an internal note on o (in act's transaction): the lifecycle decides who may write
// one (the handlers, in scope) and that it has text; it is stored apart from the timeline, in
// order_notes, and tells no one (no notification, no timeline line, no deadline moves), so
// nothing the enterprise reads or receives shows that it exists. The audit keeps that it was
// written, not its text.
func (s *Service) note(ctx context.Context, o *store.WorkOrder, by account.Actor, in lifecycle.Input) (*store.WorkOrder, error) {
	now := s.Clock.Now()
	_, ev, err := lifecycle.Apply(domain(o), lifecycle.InternalNote, actorOf(by), in, now)
	if err != nil {
		return nil, err
	}
	n := &store.OrderNote{OrderID: o.ID, At: now, ActorID: by.UserID, ActorRole: string(by.Role), Note: ev.Note}
	if err := s.St.AddOrderNote(ctx, n); err != nil {
		return nil, err
	}
	if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "order.note", ObjectType: "order", ObjectID: o.ID,
		Detail: fmt.Sprintf(`{"note":%d}`, n.ID)}); err != nil {
		return nil, err
	}
	return o, nil
}

// handler tells whether by is one of o's handlers, who read its internal notes and the files
// waiting for its reply (account.ReadNotes). The order's view asks it once, as it is built for
// its viewer: nobody else gets either.
func handler(by account.Actor, o *store.WorkOrder) bool {
	return account.Can(by, account.ReadNotes, object(o))
}

// notesOf is o's internal notes as handler by sees them.
func (s *Service) notesOf(ctx context.Context, by account.Actor, o *store.WorkOrder) ([]Note, error) {
	rows, err := s.St.OrderNotes(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	r := redaction(by, o)
	out := make([]Note, len(rows))
	for i, n := range rows {
		out[i] = Note{ID: n.ID, At: coarse(r, n.At), By: n.ActorRole, Text: n.Note}
	}
	return out, nil
}
