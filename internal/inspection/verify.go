package inspection

import (
	"context"
	"errors"
	"fmt"
	"time"

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
}

// VerifiedInspector is an inspector as the verify page shows them: Valid when on post, active
// and holding a credential valid on the inspection's day (SUBJ-2).
type VerifiedInspector struct {
	Name       string
	Credential string
	ValidTo    string // the credential's last day, Wenzhou time
	Valid      bool
}

// Verify checks a behaviour code for the public page. The signature is checked first, so a
// made-up code is refused without a query.
func (s *Service) Verify(ctx context.Context, code string) (*Verification, error) {
	code = actcode.Normalize(code)
	v := &Verification{Code: code, State: CodeUnknown}
	id, _, err := s.Codes.Parse(code)
	if errors.Is(err, actcode.ErrForged) {
		v.State = CodeForged
		return v, nil
	}
	if err != nil {
		return v, nil
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
	v.Found, v.When = true, in.ScheduledAt
	for _, bid := range in.BodyIDs {
		b, err := s.St.Body(ctx, bid)
		if err != nil {
			return nil, fmt.Errorf("inspections: verify: %w", err)
		}
		v.Bodies = append(v.Bodies, b.NameZh)
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

// ValidCode tells whether code is signed by this platform (the QR image is drawn only for one).
func (s *Service) ValidCode(code string) bool {
	_, _, err := s.Codes.Parse(actcode.Normalize(code))
	return err == nil
}
