package grievance

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"image/png"

	"qijian/internal/account"
	"qijian/internal/blob"
	"qijian/internal/errs"
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
	ErrFileType     = &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.file_type", Fields: map[string]string{"file": "err.file_type"}}
	ErrTooManyFiles = &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.file_count", Fields: map[string]string{"file": "err.file_count"}}
)

// Files stores evidence content under a directory, named by its hash.
type Files struct{ Dir string }

// Attach checks a file by its content (not its name), strips image metadata by re-encoding,
// stores it and records it on the order. Only the order's filer may attach.
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
	clean, ctype, err := sanitize(data)
	if err != nil {
		return EvidenceFile{}, err
	}
	n, err := s.St.CountEvidence(ctx, orderID)
	if err != nil {
		return EvidenceFile{}, fmt.Errorf("complaint: attach: %w", err)
	}
	if n >= MaxEvidenceFiles {
		return EvidenceFile{}, ErrTooManyFiles
	}
	hexSum, err := blob.Put(files.Dir, clean)
	if err != nil {
		return EvidenceFile{}, fmt.Errorf("complaint: store evidence: %w", err)
	}
	ev := &store.Evidence{OrderID: orderID, UploadedBy: by.UserID, ContentType: ctype, Size: int64(len(clean)), SHA256: hexSum, CreatedAt: s.Clock.Now()}
	if err := s.St.AddEvidence(ctx, ev); err != nil {
		return EvidenceFile{}, fmt.Errorf("complaint: attach: %w", err)
	}
	return evidenceFile(ev), nil
}

// sanitize accepts JPEG, PNG and PDF by their bytes. Images are decoded and re-encoded, which
// drops EXIF (camera owner, GPS) and any other metadata that could name the reporter.
func sanitize(data []byte) ([]byte, string, error) {
	ctype, img, err := blob.Sniff(data, maxImagePixels)
	switch {
	case err != nil:
		return nil, "", ErrFileType
	case img == nil: // a PDF, kept as it is
		return data, ctype, nil
	default:
		var buf bytes.Buffer
		if ctype == "image/png" {
			err = png.Encode(&buf, img)
		} else {
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
		}
		if err != nil {
			return nil, "", fmt.Errorf("complaint: re-encode: %w", err)
		}
		return buf.Bytes(), ctype, nil
	}
}

// OpenEvidence returns a file the caller may see, with its content. The rule is the order view's
// (fileHidden): the PDFs of an anonymous order are for those who may know its reporter only (a
// PDF's own metadata may name its author, and it is not rewritten); to anyone else, the handling
// unit and liaisons included, such a file does not exist.
func (s *Service) OpenEvidence(ctx context.Context, files Files, by account.Actor, orderID, id uint64) (EvidenceFile, []byte, error) {
	o, err := s.visible(ctx, by, orderID)
	if err != nil {
		return EvidenceFile{}, nil, err
	}
	ev, err := s.St.EvidenceOf(ctx, orderID, id)
	if err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: evidence %d: %w", id, err)
	}
	if fileHidden(by, o, ev.ContentType) {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: evidence %d: %w", id, ErrNotFound)
	}
	b, err := blob.Read(files.Dir, ev.SHA256)
	if err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("complaint: read evidence: %w", err)
	}
	return evidenceFile(ev), b, nil
}
