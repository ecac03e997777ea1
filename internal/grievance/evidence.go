package grievance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"

	"qijian/internal/account"
	"qijian/internal/blob"
	"qijian/internal/store"
)

// Evidence limits.
const (
	MaxEvidenceSize  = 10 << 20
	MaxEvidenceFiles = 10
	maxImagePixels   = 40_000_000
)

// Evidence errors, each naming what is wrong with the file.
var (
	ErrTooLarge    = errors.New("complaint: file too large")
	ErrFileType    = errors.New("complaint: only JPEG, PNG or PDF")
	ErrTooManyFile = errors.New("complaint: too many files")
)

// Files stores evidence content under a directory, named by its hash.
type Files struct{ Dir string }

// Attach checks a file by its content (not its name), strips image metadata by re-encoding,
// stores it and records it on the order. Only the order's filer may attach.
func (s *Service) Attach(ctx context.Context, files Files, by account.Actor, orderID uint64, data []byte) (*store.Evidence, error) {
	o, err := s.Visible(ctx, by, orderID)
	if err != nil {
		return nil, err
	}
	if o.FiledByUserID != by.UserID {
		return nil, ErrForbidden
	}
	if len(data) > MaxEvidenceSize {
		return nil, ErrTooLarge
	}
	clean, ctype, err := sanitize(data)
	if err != nil {
		return nil, err
	}
	n, err := s.St.CountEvidence(ctx, orderID)
	if err != nil {
		return nil, err
	}
	if n >= MaxEvidenceFiles {
		return nil, ErrTooManyFile
	}
	hexSum, err := blob.Put(files.Dir, clean)
	if err != nil {
		return nil, fmt.Errorf("complaint: store evidence: %w", err)
	}
	ev := &store.Evidence{OrderID: orderID, UploadedBy: by.UserID, ContentType: ctype, Size: int64(len(clean)), SHA256: hexSum, CreatedAt: s.Clock.Now()}
	if err := s.St.AddEvidence(ctx, ev); err != nil {
		return nil, err
	}
	return ev, nil
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

// OpenEvidence returns a file the caller may see. A handling unit never gets the PDFs of an
// anonymous order: a PDF's own metadata may name its author, and it is not rewritten.
func (s *Service) OpenEvidence(ctx context.Context, files Files, by account.Actor, orderID, id uint64) (*store.Evidence, []byte, error) {
	o, err := s.Visible(ctx, by, orderID)
	if err != nil {
		return nil, nil, err
	}
	ev, err := s.St.EvidenceOf(ctx, orderID, id)
	if err != nil {
		return nil, nil, err
	}
	if o.Anonymous && by.Role == account.RoleOfficer && ev.ContentType == "application/pdf" {
		return nil, nil, store.ErrNotFound
	}
	b, err := blob.Read(files.Dir, ev.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("complaint: read evidence: %w", err)
	}
	return ev, b, nil
}
