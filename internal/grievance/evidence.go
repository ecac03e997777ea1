package grievance

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/blob"
	"qijian/internal/errs"
	"qijian/internal/idem"
	"qijian/internal/store"
)

// Evidence limits.
const (
	MaxEvidenceSize  = 10 << 20
	MaxEvidenceFiles = 10
	maxImagePixels   = 40_000_000
)

// Evidence refusals, each naming the file field.
var (
	ErrTooLarge     = &errs.Error{Kind: errs.TooLarge, Code: "too_large", Key: "err.file_size", Fields: map[string]string{"file": "err.file_size"}}
	ErrFileType     = blob.ErrType
	ErrTooManyFiles = &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.file_count", Fields: map[string]string{"file": "err.file_count"}}
)

// Files stores evidence content under a directory, named by its hash; Quota is what one user may
// store a day (zero: blob.DefaultDailyQuota).
type Files struct {
	Dir   string
	Quota int64
}

func (s *Service) decoder() *blob.Decoder {
	if s.Decoder != nil {
		return s.Decoder
	}
	return blob.Shared
}

// Attach checks a file by its content (not its name), rebuilds it without its metadata within
// the decode budget (blob.Decoder.Clean: images re-encoded, PDFs parsed, checked for active
// content and rewritten), counts it against the filer's daily quota, stores it and records it on
// the order. Only the order's filer may attach.
func (s *Service) Attach(ctx context.Context, files Files, by account.Actor, orderID uint64, data []byte) (EvidenceFile, error) {
	o, err := s.visible(ctx, by, orderID)
	if err != nil {
		return EvidenceFile{}, err
	}
	if !attaches(by, o) {
		return EvidenceFile{}, ErrForbidden
	}
	var ev *store.Evidence
	id, err := s.keep(ctx, files, by, o, data, upload{scope: "evidence", max: MaxEvidenceFiles,
		count: func(ctx context.Context) (int64, error) { return s.St.CountEvidence(ctx, o.ID) },
		add: func(ctx context.Context, f stored) (uint64, error) {
			ev = &store.Evidence{OrderID: o.ID, UploadedBy: by.UserID, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, Clean: true, CreatedAt: f.At}
			if err := s.St.AddEvidence(ctx, ev); err != nil {
				return 0, err
			}
			return ev.ID, nil
		}})
	if err != nil {
		return EvidenceFile{}, fmt.Errorf("complaint: attach: %w", err)
	}
	if ev == nil || ev.ID != id { // a repeat: the file its first use stored
		if ev, err = s.St.EvidenceOf(ctx, o.ID, id); err != nil {
			return EvidenceFile{}, fmt.Errorf("complaint: attach: replay: %w", err)
		}
	}
	return s.evidenceFile(by, o, ev), nil
}

// upload is where a checked file goes: its idempotency scope, how many the list already holds
// and may hold, and the row that records it.
type upload struct {
	scope string
	max   int64
	count func(ctx context.Context) (int64, error)
	add   func(ctx context.Context, f stored) (uint64, error) // the new row's id
}

// stored is a file rebuilt and written: what its row records.
type stored struct {
	ContentType, SHA256 string
	Size                int64
	At                  time.Time
}

// keep is the one way an upload onto order o is checked and stored, evidence and reply files
// alike: the size before anything is read, with an Idempotency-Key a repeat answered by the row
// its first use made (the cheap look before the decoding a repeat does not need, the claim in
// the write's transaction), the content rebuilt without its metadata within the decode budget
// (blob.Decoder.Clean: images re-encoded, PDFs parsed, checked for active content and
// rewritten), the list's cap, the uploader's daily quota, then the blob and its row. It answers
// the row's id.
func (s *Service) keep(ctx context.Context, files Files, by account.Actor, o *store.WorkOrder, data []byte, u upload) (uint64, error) {
	if len(data) > MaxEvidenceSize {
		return 0, ErrTooLarge
	}
	key := struct {
		Order uint64 `json:"order"`
		Sum   string `json:"sum"`
	}{o.ID, fmt.Sprintf("%x", sha256.Sum256(data))}
	if prior, err := idem.Peek(ctx, s.St, by.UserID, u.scope, key); err != nil || prior != 0 {
		return prior, err
	}
	clean, err := s.decoder().Clean(ctx, data, maxImagePixels)
	if err != nil {
		return 0, err
	}
	if len(clean.Data) > MaxEvidenceSize {
		return 0, ErrTooLarge
	}
	var id uint64
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		claim, err := idem.Take(ctx, s.St, by.UserID, u.scope, key, s.Clock.Now())
		if err != nil || claim.Prior != 0 {
			id = claim.Prior
			return err
		}
		n, err := u.count(ctx)
		if err != nil {
			return err
		}
		if n >= u.max {
			return ErrTooManyFiles
		}
		now := s.Clock.Now()
		if err := blob.Charge(ctx, s.St, by.UserID, now, int64(len(clean.Data)), files.Quota); err != nil {
			return err
		}
		sum, err := blob.Put(files.Dir, clean.Data)
		if err != nil {
			return fmt.Errorf("store upload: %w", err)
		}
		if id, err = u.add(ctx, stored{ContentType: clean.ContentType, SHA256: sum, Size: int64(len(clean.Data)), At: now}); err != nil {
			return err
		}
		return claim.Made(ctx, id)
	})
	return id, err
}

// OpenEvidence returns a file the caller may see, with its content. The rule is the order view's
// (fileHidden): a PDF stored as sent, before uploads were rebuilt, is for those who may know the
// reporter of an anonymous order only; to anyone else such a file does not exist. A file of an
// anonymous order is named by its reference, like the order.
func (s *Service) OpenEvidence(ctx context.Context, files Files, by account.Actor, orderID, id uint64) (EvidenceFile, []byte, error) {
	o, err := s.visible(ctx, by, orderID)
	if err != nil {
		return EvidenceFile{}, nil, err
	}
	rowID, opaque := s.unopaque("evidence", id)
	if opaque != o.Anonymous && !(o.Anonymous && redaction(by, o).None()) {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: evidence %d: %w", id, ErrNotFound)
	}
	ev, err := s.St.EvidenceOf(ctx, o.ID, rowID)
	if err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: evidence %d: %w", id, err)
	}
	if fileHidden(by, o, ev) {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: evidence %d: %w", id, ErrNotFound)
	}
	b, err := blob.Read(files.Dir, ev.SHA256)
	if err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: read evidence: %w", err)
	}
	return s.evidenceFile(by, o, ev), b, nil
}

// CheckEvidence runs a file through the same checks Attach does (size, type, decoding), without
// storing it: a filing that brings its photos checks them before the order exists.
func (s *Service) CheckEvidence(ctx context.Context, data []byte) error {
	if len(data) > MaxEvidenceSize {
		return ErrTooLarge
	}
	clean, err := s.decoder().Clean(ctx, data, maxImagePixels)
	if err != nil {
		return fmt.Errorf("complaint: check evidence: %w", err)
	}
	if len(clean.Data) > MaxEvidenceSize {
		return ErrTooLarge
	}
	return nil
}
