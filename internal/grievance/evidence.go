package grievance

import (
	"context"
	"crypto/sha256"
	"fmt"

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
	if o.FiledByUserID == 0 || o.FiledByUserID != by.UserID {
		return EvidenceFile{}, ErrForbidden
	}
	if len(data) > MaxEvidenceSize {
		return EvidenceFile{}, ErrTooLarge
	}
	// With an Idempotency-Key, a repeat answers the file its first use stored; the cheap look
	// comes before the decoding a repeat does not need, the claim in the write's transaction.
	upload := struct {
		Order uint64 `json:"order"`
		Sum   string `json:"sum"`
	}{o.ID, fmt.Sprintf("%x", sha256.Sum256(data))}
	replay := func(id uint64) (EvidenceFile, error) {
		ev, err := s.St.EvidenceOf(ctx, o.ID, id)
		if err != nil {
			return EvidenceFile{}, fmt.Errorf("complaint: attach: replay: %w", err)
		}
		return s.evidenceFile(by, o, ev), nil
	}
	if prior, err := idem.Peek(ctx, s.St, by.UserID, "evidence", upload); err != nil {
		return EvidenceFile{}, err
	} else if prior != 0 {
		return replay(prior)
	}
	clean, err := s.decoder().Clean(ctx, data, maxImagePixels)
	if err != nil {
		return EvidenceFile{}, fmt.Errorf("complaint: attach: %w", err)
	}
	if len(clean.Data) > MaxEvidenceSize {
		return EvidenceFile{}, ErrTooLarge
	}
	var ev *store.Evidence
	var prior uint64
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		claim, err := idem.Take(ctx, s.St, by.UserID, "evidence", upload, s.Clock.Now())
		if err != nil || claim.Prior != 0 {
			prior = claim.Prior
			return err
		}
		n, err := s.St.CountEvidence(ctx, o.ID)
		if err != nil {
			return err
		}
		if n >= MaxEvidenceFiles {
			return ErrTooManyFiles
		}
		now := s.Clock.Now()
		if err := blob.Charge(ctx, s.St, by.UserID, now, int64(len(clean.Data)), files.Quota); err != nil {
			return err
		}
		sum, err := blob.Put(files.Dir, clean.Data)
		if err != nil {
			return fmt.Errorf("store evidence: %w", err)
		}
		ev = &store.Evidence{OrderID: o.ID, UploadedBy: by.UserID, ContentType: clean.ContentType, Size: int64(len(clean.Data)), SHA256: sum, Clean: true, CreatedAt: now}
		if err := s.St.AddEvidence(ctx, ev); err != nil {
			return err
		}
		return claim.Made(ctx, ev.ID)
	})
	if err != nil {
		return EvidenceFile{}, fmt.Errorf("complaint: attach: %w", err)
	}
	if prior != 0 {
		return replay(prior)
	}
	return s.evidenceFile(by, o, ev), nil
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
