package inspection

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/blob"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// Case-file limits (RECORD-1).
const (
	MaxRecordSize   = 10 << 20
	maxRecordPixels = 40_000_000
)

// Case-file errors, each naming what is wrong.
var (
	ErrRecordTooLarge = errors.New("inspections: file too large")
	ErrRecordFileType = errors.New("inspections: only PDF, JPEG or PNG")
	ErrRecordClosed   = errors.New("inspections: a cancelled or merged inspection takes no records")
)

// Files stores case-file content under a directory, named by its hash.
type Files struct{ Dir string }

// RecordInput is a case-file document as the officer records it.
type RecordInput struct {
	Kind     string
	Number   string
	IssuedOn time.Time
	Summary  string
}

// CanSeeRecords: the inspecting body's officers, the enterprise concerned, liaisons and admins
// read an inspection's case file; observation points do not (they see the inspection only).
func CanSeeRecords(by account.Actor) bool {
	switch by.Role {
	case account.RoleOfficer, account.RoleEnterprise, account.RoleLiaison, account.RoleAdmin:
		return true
	}
	return false
}

// recordFileType accepts PDF, JPEG and PNG by their bytes, not their names; an image must decode.
func recordFileType(data []byte) (string, error) {
	ctype, _, err := blob.Sniff(data, maxRecordPixels)
	if err != nil {
		return "", ErrRecordFileType
	}
	return ctype, nil
}

// AddRecord puts a document in an inspection's case file (RECORD-1): its kind, number, date and
// summary, and optionally a file (nil data: none). Only the inspecting body's officers and
// admins record; the inspection must not be cancelled or merged away.
func (s *Service) AddRecord(ctx context.Context, files Files, by account.Actor, inspectionID uint64, in RecordInput, data []byte) (*store.InspectionRecord, error) {
	if by.Role != account.RoleOfficer && by.Role != account.RoleAdmin {
		return nil, ErrForbidden
	}
	if !rules.ValidRecordKind(in.Kind) {
		return nil, &FieldError{"kind", "err.invalid"}
	}
	r := &store.InspectionRecord{InspectionID: inspectionID, Kind: in.Kind, Number: strings.TrimSpace(in.Number), IssuedOn: in.IssuedOn.UTC(),
		Summary: strings.TrimSpace(in.Summary), CreatedBy: by.UserID}
	if data != nil {
		if len(data) > MaxRecordSize {
			return nil, ErrRecordTooLarge
		}
		ctype, err := recordFileType(data)
		if err != nil {
			return nil, err
		}
		r.ContentType, r.Size, r.SHA256 = ctype, int64(len(data)), blob.Sum(data)
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		insp, err := s.Visible(ctx, by, inspectionID)
		if err != nil {
			return err
		}
		if insp.Status == string(rules.Cancelled) || insp.Status == string(rules.Merged) {
			return ErrRecordClosed
		}
		if r.IssuedOn.After(s.Clock.Now()) {
			return &FieldError{"issued_on", "err.invalid"}
		}
		if data != nil {
			if _, err := blob.Put(files.Dir, data); err != nil {
				return fmt.Errorf("inspections: store record file: %w", err)
			}
		}
		r.CreatedAt = s.Clock.Now()
		if err := s.St.AddInspectionRecord(ctx, r); errors.Is(err, store.ErrConflict) {
			return &FieldError{"number", "err.record_number_taken"}
		} else if err != nil {
			return err
		}
		return s.auditBy(ctx, by, "inspection.record", "inspection", inspectionID, fmt.Sprintf(`{"record":%d,"kind":%q}`, r.ID, r.Kind))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Records lists an inspection's case file for those who may read it (CanSeeRecords).
func (s *Service) Records(ctx context.Context, by account.Actor, inspectionID uint64) ([]store.InspectionRecord, error) {
	if !CanSeeRecords(by) {
		return nil, ErrForbidden
	}
	if _, err := s.Visible(ctx, by, inspectionID); err != nil {
		return nil, err
	}
	return s.St.InspectionRecords(ctx, inspectionID)
}

// OpenRecord returns a record's file for those who may read the case file. Anyone else, and a
// record without a file, is ErrNotFound.
func (s *Service) OpenRecord(ctx context.Context, files Files, by account.Actor, recordID uint64) (*store.InspectionRecord, []byte, error) {
	r, err := s.St.InspectionRecordByID(ctx, recordID)
	if err != nil {
		return nil, nil, err
	}
	if !CanSeeRecords(by) {
		return nil, nil, fmt.Errorf("inspections: record %d: %w", recordID, store.ErrNotFound)
	}
	if _, err := s.Visible(ctx, by, r.InspectionID); err != nil {
		return nil, nil, err
	}
	if r.SHA256 == "" {
		return nil, nil, fmt.Errorf("inspections: record %d has no file: %w", recordID, store.ErrNotFound)
	}
	b, err := blob.Read(files.Dir, r.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("inspections: read record file: %w", err)
	}
	return r, b, nil
}
