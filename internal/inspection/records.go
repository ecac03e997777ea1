package inspection

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/blob"
	"qijian/internal/errs"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// Case-file limits (RECORD-1).
const (
	MaxRecordSize   = 10 << 20
	maxRecordPixels = 40_000_000
)

// Files stores case-file content under a directory, named by its hash; Quota is what one user may
// store a day (zero: blob.DefaultDailyQuota).
type Files struct {
	Dir   string
	Quota int64
}

// RecordInput is a case-file document as the officer records it (the page's form).
type RecordInput struct {
	Kind     string `json:"kind" form:"kind" validate:"required"`
	Number   string `json:"number" form:"number" validate:"required,max=60"`
	IssuedOn string `json:"issued_on" form:"issued_on" validate:"required,datetime=2006-01-02"`
	Summary  string `json:"summary" form:"summary" validate:"max=4000"`
}

// Record is one case-file document as shown: its date a Wenzhou day.
type Record struct {
	ID          uint64
	Kind        string
	Number      string
	IssuedOn    string
	Summary     string
	File        bool
	ContentType string
	Size        int64
}

func recordOf(r *store.InspectionRecord) Record {
	return Record{ID: r.ID, Kind: r.Kind, Number: r.Number, IssuedOn: day(&r.IssuedOn), Summary: r.Summary, File: r.SHA256 != "", ContentType: r.ContentType, Size: r.Size}
}

// cleanRecordFile accepts PDF, JPEG and PNG by their bytes, not their names, and rebuilds the file
// without its metadata within the process's decode budget (blob.Decoder.Clean): an image must
// decode, a PDF parse and validate without active content. Whoever reads the case file gets the
// pixels and the pages, not the author, the camera or the place it was taken.
func cleanRecordFile(ctx context.Context, data []byte) (blob.Cleaned, error) {
	c, err := blob.Shared.Clean(ctx, data, maxRecordPixels)
	if errors.Is(err, blob.ErrType) {
		return blob.Cleaned{}, ErrRecordFileType
	}
	return c, err
}

// AddRecord puts a document in an inspection's case file (RECORD-1): its kind, number, date and
// summary, and optionally a file (nil data: none), rebuilt without its metadata and counted
// against the officer's daily upload quota. Only the inspecting body's officers and
// admins record; the inspection must not be cancelled or merged away.
func (s *Service) AddRecord(ctx context.Context, files Files, by account.Actor, inspectionID uint64, in RecordInput, data []byte) (*Record, error) {
	if by.Role != account.RoleOfficer && by.Role != account.RoleAdmin {
		return nil, ErrForbidden
	}
	if !rules.ValidRecordKind(in.Kind) {
		return nil, errs.Field("kind", "err.invalid")
	}
	issued, err := parseDay(in.IssuedOn)
	if err != nil || issued == nil {
		return nil, errs.Field("issued_on", "err.invalid")
	}
	r := &store.InspectionRecord{InspectionID: inspectionID, Kind: in.Kind, Number: strings.TrimSpace(in.Number), IssuedOn: issued.UTC(),
		Summary: strings.TrimSpace(in.Summary), CreatedBy: by.UserID}
	if data != nil {
		if len(data) > MaxRecordSize {
			return nil, ErrRecordTooLarge
		}
		if _, err := s.managed(ctx, by, inspectionID); err != nil {
			return nil, err // no decoding for one who may not record here
		}
		c, err := cleanRecordFile(ctx, data)
		if err != nil {
			return nil, fmt.Errorf("inspections: add record: %w", err)
		}
		data = c.Data
		r.ContentType, r.Size, r.SHA256 = c.ContentType, int64(len(data)), blob.Sum(data)
	}
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		insp, err := s.managed(ctx, by, inspectionID)
		if err != nil {
			return err
		}
		if insp.Status == string(rules.Cancelled) || insp.Status == string(rules.Merged) {
			return ErrRecordClosed
		}
		if r.IssuedOn.After(s.Clock.Now()) {
			return errs.Field("issued_on", "err.invalid")
		}
		if data != nil {
			if err := blob.Charge(ctx, s.St, by.UserID, s.Clock.Now(), int64(len(data)), files.Quota); err != nil {
				return err
			}
			if _, err := blob.Put(files.Dir, data); err != nil {
				return fmt.Errorf("inspections: store record file: %w", err)
			}
		}
		r.CreatedAt = s.Clock.Now()
		if err := s.St.AddInspectionRecord(ctx, r); errors.Is(err, store.ErrConflict) {
			return errs.Field("number", "err.record_number_taken")
		} else if err != nil {
			return err
		}
		return s.auditBy(ctx, by, "inspection.record", "inspection", inspectionID, fmt.Sprintf(`{"record":%d,"kind":%q}`, r.ID, r.Kind))
	})
	if err != nil {
		return nil, fmt.Errorf("inspections: add record: %w", err)
	}
	out := recordOf(r)
	return &out, nil
}

// Records lists an inspection's case file for those who may read it (account.ReadCaseFile);
// one who may see the inspection but not its case file gets ErrForbidden.
func (s *Service) Records(ctx context.Context, by account.Actor, inspectionID uint64) ([]Record, error) {
	in, err := s.visible(ctx, by, inspectionID)
	if err != nil {
		return nil, err
	}
	if !account.Can(by, account.ReadCaseFile, object(in)) {
		return nil, ErrForbidden
	}
	return s.records(ctx, inspectionID)
}

func (s *Service) records(ctx context.Context, inspectionID uint64) ([]Record, error) {
	recs, err := s.St.InspectionRecords(ctx, inspectionID)
	if err != nil {
		return nil, fmt.Errorf("inspections: records: %w", err)
	}
	out := make([]Record, len(recs))
	for i := range recs {
		out[i] = recordOf(&recs[i])
	}
	return out, nil
}

// RecordFile is a case-file document's file as sent.
type RecordFile struct {
	ID          uint64
	ContentType string
	Data        []byte
}

// OpenRecord returns a record's file for those who may read the case file. Anyone else, and a
// record without a file, is ErrNotFound.
func (s *Service) OpenRecord(ctx context.Context, files Files, by account.Actor, recordID uint64) (*RecordFile, error) {
	r, err := s.St.InspectionRecordByID(ctx, recordID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("inspections: record %d: %w", recordID, ErrNotFound)
	} else if err != nil {
		return nil, err
	}
	in, err := s.visible(ctx, by, r.InspectionID)
	if err != nil {
		return nil, err
	}
	if !account.Can(by, account.ReadCaseFile, object(in)) || r.SHA256 == "" {
		return nil, fmt.Errorf("inspections: record %d: %w", recordID, ErrNotFound)
	}
	b, err := blob.Read(files.Dir, r.SHA256)
	if err != nil {
		return nil, fmt.Errorf("inspections: read record file: %w", err)
	}
	return &RecordFile{ID: r.ID, ContentType: r.ContentType, Data: b}, nil
}

// day is a date as a Wenzhou day, "" for none.
func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(shanghai()).Format("2006-01-02")
}

// parseDay reads a form's date (Wenzhou time); "" is none.
func parseDay(s string) (*time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), shanghai())
	if err != nil {
		return nil, fmt.Errorf("inspections: date %q: %w", s, err)
	}
	return &t, nil
}
