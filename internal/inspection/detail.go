package inspection

import (
	"context"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// Detail is one inspection as its page shows it to the caller.
type Detail struct {
	View
	Own     bool                // the enterprise's own notice: it acknowledges and rates
	CanRate bool                // and the inspection has begun
	Case    *CaseFile           // RECORD-1; nil for those who may not read the case file
	Notice  rules.NoticeVerdict // NOTICE-1, as the verify page reads it
	// GradesURL leads an officer or admin to the enterprise's credit and risk grades (FREQ-2).
	GradesURL string
}

// CaseFile is an inspection's case file and FREQ-3 merges, with what the caller may do next.
type CaseFile struct {
	Records    []Record
	Merged     []uint64 // planned tasks this visit carried out
	MergedInto *uint64  // the visit that carried this planned task out
	CanAdd     bool     // the caller may add a record
	Next       []string // the statuses the caller may move it to
}

// Detail reads one inspection the caller may see (account.ViewInspection); anyone else gets
// ErrNotFound.
func (s *Service) Detail(ctx context.Context, by account.Actor, id uint64) (*Detail, error) {
	in, err := s.visible(ctx, by, id)
	if err != nil {
		return nil, err
	}
	views, err := s.views(ctx, []store.Inspection{*in})
	if err != nil {
		return nil, err
	}
	d := &Detail{View: views[0], Own: by.Role == account.RoleEnterprise, Notice: rules.Notice(Domain(in), s.Cal, s.Clock.Now())}
	d.CanRate = d.Own && !s.Clock.Now().Before(in.ScheduledAt)
	if account.Can(by, account.ManageGrades, account.Object{EnterpriseID: in.EnterpriseID}) {
		d.GradesURL = fmt.Sprintf("/manage/enterprises/%d/grades", in.EnterpriseID)
	}
	if account.Can(by, account.ReadCaseFile, object(in)) {
		if d.Case, err = s.caseFile(ctx, by, in); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Service) caseFile(ctx context.Context, by account.Actor, in *store.Inspection) (*CaseFile, error) {
	recs, err := s.records(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	merged, err := s.St.MergedInto(ctx, in.ID)
	if err != nil {
		return nil, fmt.Errorf("inspections: merged: %w", err)
	}
	cf := &CaseFile{Records: recs, Merged: []uint64{}, MergedInto: in.MergedInto}
	for _, m := range merged {
		cf.Merged = append(cf.Merged, m.ID)
	}
	if account.Can(by, account.ManageInspection, object(in)) && in.Status != string(rules.Merged) {
		cf.CanAdd = in.Status != string(rules.Cancelled)
		cf.Next = reachable(in, s.Clock.Now())
	}
	return cf, nil
}

// Managed reads an inspection the caller may move on and add records to
// (account.ManageInspection), for the officer's forms; anyone else gets ErrNotFound.
func (s *Service) Managed(ctx context.Context, by account.Actor, id uint64) (*View, error) {
	in, err := s.managed(ctx, by, id)
	if err != nil {
		return nil, err
	}
	views, err := s.views(ctx, []store.Inspection{*in})
	if err != nil {
		return nil, err
	}
	return &views[0], nil
}
