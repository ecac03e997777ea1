package grievance

import (
	"context"
	"fmt"
	"slices"

	"qijian/internal/account"
	"qijian/internal/blob"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// MaxReplyFiles is how many files may wait for one reply.
const MaxReplyFiles = 10

// AttachToReply stores a file (a document as PDF, or a photo) for the reply to order orderID,
// checked exactly as evidence is (keep: size, content type by content, rebuilt without metadata
// within the decode budget, the uploader's daily quota, an Idempotency-Key's repeat). Only who
// may reply to the order now may attach to its reply. The file waits, seen by the order's
// handlers only, until the reply is made; the reply takes every file waiting for the unit
// handling the order (not those of a unit it was moved from), and from then on whoever sees the
// order sees it beside the reply.
func (s *Service) AttachToReply(ctx context.Context, files Files, by account.Actor, orderID uint64, data []byte) (EvidenceFile, error) {
	o, err := s.visible(ctx, by, orderID)
	if err != nil {
		return EvidenceFile{}, err
	}
	ok, err := s.mayReply(ctx, by, o)
	if err != nil {
		return EvidenceFile{}, fmt.Errorf("complaint: reply file: %w", err)
	}
	if !ok {
		return EvidenceFile{}, ErrForbidden
	}
	var f *store.ReplyFile
	unit := unitOf(o)
	id, err := s.keep(ctx, files, by, o, data, upload{scope: "reply_file", max: MaxReplyFiles,
		count: func(ctx context.Context) (int64, error) { return s.St.CountPendingReplyFiles(ctx, o.ID, unit) },
		add: func(ctx context.Context, st stored) (uint64, error) {
			f = &store.ReplyFile{OrderID: o.ID, UnitID: unit, UploadedBy: by.UserID, ContentType: st.ContentType, Size: st.Size, SHA256: st.SHA256, CreatedAt: st.At}
			if err := s.St.AddReplyFile(ctx, f); err != nil {
				return 0, err
			}
			return f.ID, nil
		}})
	if err != nil {
		return EvidenceFile{}, fmt.Errorf("complaint: reply file: %w", err)
	}
	if f == nil || f.ID != id { // a repeat: the file its first use stored
		if f, err = s.St.ReplyFileOf(ctx, o.ID, id); err != nil {
			return EvidenceFile{}, fmt.Errorf("complaint: reply file: replay: %w", err)
		}
	}
	return s.replyFile(by, o, f), nil
}

// unitOf is the unit handling o now (0: none). A file waits for that unit's reply only: moved to
// another unit, the order's reply does not carry what the unit before prepared.
func unitOf(o *store.WorkOrder) uint {
	if o.UnitBodyID == nil {
		return 0
	}
	return *o.UnitBodyID
}

// mayReply tells whether by may reply to o now (the lifecycle's offer).
func (s *Service) mayReply(ctx context.Context, by account.Actor, o *store.WorkOrder) (bool, error) {
	open, err := s.St.OpenDeadlines(ctx, o.ID)
	if err != nil {
		return false, err
	}
	g, err := s.ruled(ctx, o, open)
	if err != nil {
		return false, err
	}
	return slices.Contains(lifecycle.Allowed(g, actorOf(by), s.Clock.Now()), lifecycle.Reply), nil
}

// OpenReplyFile returns a reply's file the caller may see, with its content: a file of a reply
// made, to whoever sees the order; a file still waiting for its reply, to the order's handlers
// only. To anyone else, or named by another order, it does not exist. A file of an anonymous
// order is named by its reference, like the order.
func (s *Service) OpenReplyFile(ctx context.Context, files Files, by account.Actor, orderID, id uint64) (EvidenceFile, []byte, error) {
	o, err := s.visible(ctx, by, orderID)
	if err != nil {
		return EvidenceFile{}, nil, err
	}
	rowID, opaque := s.unopaque("reply_file", id)
	if opaque != o.Anonymous {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: reply file %d: %w", id, ErrNotFound)
	}
	f, err := s.St.ReplyFileOf(ctx, o.ID, rowID)
	if err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: reply file %d: %w", id, err)
	}
	if f.EventID == nil && !handler(by, o) {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: reply file %d: %w", id, ErrNotFound)
	}
	b, err := blob.Read(files.Dir, f.SHA256)
	if err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: read reply file: %w", err)
	}
	return s.replyFile(by, o, f), b, nil
}

// replyFile is a reply's file of o as by may see it: named by reference on an anonymous order,
// its time coarse where the order's times are.
func (s *Service) replyFile(by account.Actor, o *store.WorkOrder, f *store.ReplyFile) EvidenceFile {
	id := f.ID
	if o.Anonymous {
		id = s.opaque("reply_file", f.ID)
	}
	return EvidenceFile{ID: id, ContentType: f.ContentType, Size: f.Size, CreatedAt: coarse(redaction(by, o), f.CreatedAt)}
}
