package inspection

import (
	"context"
	"errors"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/inspection/actcode"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// CodeState is what the public verification says of a behaviour code (CODE-1).
type CodeState string

// The states of a code.
const (
	CodeValid   CodeState = "valid"
	CodeUnknown CodeState = "unknown" // well-signed but not on record, or not a code at all
	CodeForged  CodeState = "forged"  // not signed by this platform
	CodeRevoked CodeState = "revoked" // cancelled
	CodeMerged  CodeState = "merged"  // a planned task carried out together with a triggered visit (FREQ-3)
	CodeExpired CodeState = "expired"
)

// CodeLife is how long after the inspection's day a code stays valid for verification.
const CodeLife = 30 * 24 * time.Hour

// Verification is what anyone at the door may learn of a code: who inspects, when, on what
// basis and which items. It names no enterprise.
type Verification struct {
	Code  string // normalized
	State CodeState
	// The rest is set when the code is on record (valid, revoked or expired).
	Found      bool
	Bodies     []string
	BodyIDs    []uint // the same bodies by id (pages name them in the viewer's language)
	LeadBodyID uint
	When       time.Time
	Inspectors []VerifiedInspector
	Items      []ListedItem
	NoticeOK   bool // delivered in time (NOTICE-1), or lawfully withheld
	// Notice is NOTICE-1's verdict (rules.Notice), the same the checks act on.
	Notice rules.NoticeVerdict
	// MergedWhen and MergedCode: for a merged planned task, the visit that carried it out.
	MergedWhen time.Time
	MergedCode string
	// Reader is how the caller reads it (account.ReadsCode): another enterprise's login learns
	// only that the code is not for its enterprise, and Verify clears the rest.
	Reader account.CodeReader
	// Decision is set for a penalty decision's code (三书同达, §2.6 二): its document number.
	// When is then the day it was issued and Bodies the issuing body.
	Decision string
}

// VerifiedInspector is an inspector as the verify page shows them: Valid when on post, active
// and holding a credential valid on the inspection's day (SUBJ-2).
type VerifiedInspector struct {
	Name       string
	Credential string
	ValidTo    string // the credential's last day, Wenzhou time
	Valid      bool
}

// Verify checks a behaviour code for the public page, as a reads it. The signature is checked
// first, so a made-up code is refused without a query.
func (s *Service) Verify(ctx context.Context, a account.Actor, code string) (*Verification, error) {
	code = actcode.Normalize(code)
	v := &Verification{Code: code, State: CodeUnknown}
	kind, id, _, err := s.Codes.ParseKind(code)
	if errors.Is(err, actcode.ErrForged) {
		v.State = CodeForged
		return v, nil
	}
	if err != nil {
		return v, nil
	}
	if kind == actcode.KindDecision {
		return s.verifyDecision(ctx, a, v, id)
	}
	in, err := s.St.InspectionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && in.Code != code) {
		return v, nil
	}
	if err != nil {
		return nil, fmt.Errorf("inspections: verify: %w", err)
	}
	switch {
	case in.Status == string(rules.Cancelled):
		v.State = CodeRevoked
	case in.Status == string(rules.Merged): // carried out by its visit, whose code is the one shown at the door
		v.State = CodeMerged
		if in.MergedInto != nil {
			if into, err := s.St.InspectionByID(ctx, *in.MergedInto); err == nil {
				v.MergedWhen, v.MergedCode = into.ScheduledAt, into.Code
			} else if !errors.Is(err, store.ErrNotFound) {
				return nil, fmt.Errorf("inspections: verify: %w", err)
			}
		}
	case s.Clock.Now().After(in.ScheduledAt.Add(CodeLife)):
		v.State = CodeExpired
	default:
		v.State = CodeValid
	}
	if v.Reader = account.ReadsCode(a, in.EnterpriseID); v.Reader == account.CodeForeign {
		return &Verification{Code: code, State: v.State, Reader: v.Reader}, nil
	}
	v.Found, v.When = true, in.ScheduledAt
	for _, bid := range in.BodyIDs {
		b, err := s.St.Body(ctx, bid)
		if err != nil {
			return nil, fmt.Errorf("inspections: verify: %w", err)
		}
		v.Bodies, v.BodyIDs = append(v.Bodies, b.NameZh), append(v.BodyIDs, bid)
	}
	if len(in.BodyIDs) > 0 {
		v.LeadBodyID = in.BodyIDs[0]
	}
	ps, err := s.St.InspectorsByID(ctx, in.InspectorIDs)
	if err != nil {
		return nil, fmt.Errorf("inspections: verify: %w", err)
	}
	for _, p := range ps {
		v.Inspectors = append(v.Inspectors, VerifiedInspector{Name: p.Name, Credential: p.CredentialNo, ValidTo: day(&p.ValidTo),
			Valid: p.Staff == rules.OnPost && rules.RealCredential(p.CredentialNo) && rules.CredentialValid(p.Inspector, in.ScheduledAt)})
	}
	items, err := s.St.ItemsByID(ctx, in.ItemIDs)
	if err != nil {
		return nil, fmt.Errorf("inspections: verify: %w", err)
	}
	for _, it := range items {
		v.Items = append(v.Items, ListedItem{Name: it.Name, Basis: it.LegalBasis, Method: it.Method, Standard: it.Standard})
	}
	v.Notice = rules.Notice(Domain(in), s.Cal, s.Clock.Now())
	v.NoticeOK = v.Notice.State == rules.NoticeOnTime || v.Notice.State == rules.NoticeWithheld
	return v, nil
}

// verifyDecision reads a penalty decision's code: valid while the bundle it was issued to is on
// record (a decision is not cancelled here), with the issuing body, the day and the number.
func (s *Service) verifyDecision(ctx context.Context, a account.Actor, v *Verification, id uint64) (*Verification, error) {
	b, err := s.St.Bundle(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && s.Codes.IssueDecision(b.ID, b.CreatedAt) != v.Code) {
		return v, nil
	}
	if err != nil {
		return nil, fmt.Errorf("inspections: verify decision: %w", err)
	}
	v.State = CodeValid
	if v.Reader = account.ReadsCode(a, b.EnterpriseID); v.Reader == account.CodeForeign {
		return v, nil
	}
	body, err := s.St.Body(ctx, b.BodyID)
	if err != nil {
		return nil, fmt.Errorf("inspections: verify decision: %w", err)
	}
	v.Found, v.When, v.Decision, v.Bodies, v.BodyIDs, v.LeadBodyID = true, b.CreatedAt, b.Number, []string{body.NameZh}, []uint{b.BodyID}, b.BodyID
	return v, nil
}

// CodeOwner is the enterprise a well-signed code on record was issued to (an inspection's or a
// penalty decision's); ok is false for a forged, malformed or unknown code.
func (s *Service) CodeOwner(ctx context.Context, code string) (owner uint, ok bool, err error) {
	code = actcode.Normalize(code)
	kind, id, _, perr := s.Codes.ParseKind(code)
	if perr != nil {
		return 0, false, nil
	}
	if kind == actcode.KindDecision {
		b, err := s.St.Bundle(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && s.Codes.IssueDecision(b.ID, b.CreatedAt) != code) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, fmt.Errorf("inspections: code owner: %w", err)
		}
		return b.EnterpriseID, true, nil
	}
	in, err := s.St.InspectionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && in.Code != code) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("inspections: code owner: %w", err)
	}
	return in.EnterpriseID, true, nil
}

// ValidCode tells whether code is signed by this platform (the QR image is drawn only for one).
func (s *Service) ValidCode(code string) bool {
	_, _, _, err := s.Codes.ParseKind(actcode.Normalize(code))
	return err == nil
}
