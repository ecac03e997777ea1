package signin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/blob"
	"qijian/internal/errs"
	"qijian/internal/message"
	"qijian/internal/store"
)

// Licence limits: one file, an image or a PDF, rebuilt without metadata like evidence.
const (
	MaxLicenceSize   = 10 << 20
	maxLicencePixels = 40_000_000
)

// Refusals of the application flow.
var (
	ErrNoClaim        = errs.New(errs.NotFound, "not_found", "err.not_found")
	ErrClaimDecided   = errs.New(errs.Conflict, "claim_decided", "err.claim_decided")
	ErrLicenceTooBig  = &errs.Error{Kind: errs.TooLarge, Code: "too_large", Key: "err.file_size", Fields: map[string]string{"file": "err.file_size"}}
	ErrNeedsLicence   = errs.Field("approve", "err.claim_needs_licence")
	ErrNeedsContact   = errs.Field("contact_checked", "err.claim_needs_contact")
	ErrNeedsReason    = errs.Field("reason", "err.claim_needs_reason")
	errClaimForbidden = errs.New(errs.NotFound, "not_found", "err.not_found")
)

// Files is where business licences are stored, by hash, and what one user may upload a day.
type Files struct {
	Dir   string
	Quota int64
}

// ClaimView is one application as its applicant or a reviewer sees it.
type ClaimView struct {
	ID             uint64
	Username       string
	USCC           string
	Name           string // as the applicant gave it
	County         string
	CountyName     string
	Industry       string
	ContactName    string
	Mobile         string
	Status         string // pending, approved, refused
	Reason         string // a refusal's
	Licence        bool   // a business licence was uploaded
	ContactChecked bool
	CreatedAt      time.Time
	ReviewedAt     *time.Time
	// For reviewers only:
	RegisteredName string      // the name the credit code is registered under now
	DuplicateName  bool        // another credit code's enterprise or application has this name
	Rivals         []ClaimView // the other applications for the same credit code: a dispute
	Holders        int         // logins acting for the code without an application (made by staff)
	// CountyMismatch: the credit code was issued by a registration authority (its characters
	// 3–8, a division code) that is neither the county applied for nor the city's.
	CountyMismatch bool
}

// Application is the caller's own application, if it has one.
func (s *Service) Application(ctx context.Context, c Caller, lang string) (*ClaimView, error) {
	if c.User == nil || c.User.Role != account.RoleEnterprise {
		return nil, ErrNoClaim
	}
	cl, err := s.St.ClaimOfUser(ctx, c.User.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoClaim
	}
	if err != nil {
		return nil, fmt.Errorf("signin: application: %w", err)
	}
	v, err := s.claimView(ctx, cl, lang)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// UploadLicence stores the business licence of the caller's pending application, checked by
// its content and rebuilt without metadata (blob.Decoder.Clean), within the daily upload quota.
// A later upload replaces the earlier while the application waits.
func (s *Service) UploadLicence(ctx context.Context, files Files, c Caller, data []byte) error {
	if c.User == nil || c.User.Role != account.RoleEnterprise {
		return ErrNoClaim
	}
	if len(data) > MaxLicenceSize {
		return ErrLicenceTooBig
	}
	clean, err := blob.Shared.Clean(ctx, data, maxLicencePixels)
	if err != nil {
		return fmt.Errorf("signin: licence: %w", err)
	}
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		cl, err := s.St.ClaimOfUser(ctx, c.User.ID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoClaim
		}
		if err != nil {
			return err
		}
		if cl.Status != store.ClaimPending {
			return ErrClaimDecided
		}
		now := s.Clock.Now()
		if err := blob.Charge(ctx, s.St, c.User.ID, now, int64(len(clean.Data)), files.Quota); err != nil {
			return err
		}
		sum, err := blob.Put(files.Dir, clean.Data)
		if err != nil {
			return fmt.Errorf("store licence: %w", err)
		}
		cl.LicenceSHA256, cl.LicenceType, cl.UpdatedAt = sum, clean.ContentType, now
		if err := s.St.SaveClaim(ctx, cl); err != nil {
			return err
		}
		return s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: c.User.ID, ActorRole: string(c.User.Role), Action: "claim.licence", ObjectType: "claim", ObjectID: cl.ID})
	})
	if err != nil {
		return fmt.Errorf("signin: licence: %w", err)
	}
	return nil
}

// ReviewQueue lists the applications awaiting a decision that a may review
// (account.ClaimsVisible), oldest first, each with its rivals and duplicate-name flag.
func (s *Service) ReviewQueue(ctx context.Context, a account.Actor, lang string) ([]ClaimView, error) {
	scope := account.ClaimsVisible(a)
	if scope.None() {
		return nil, ErrForbidden
	}
	rows, err := s.St.PendingClaims(ctx, scope, 200)
	if err != nil {
		return nil, fmt.Errorf("signin: review queue: %w", err)
	}
	out := make([]ClaimView, 0, len(rows))
	for i := range rows {
		v, err := s.reviewView(ctx, &rows[i], lang)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// ErrForbidden is a caller who may not do this at all.
var ErrForbidden = errs.New(errs.Forbidden, "forbidden", "err.forbidden")

// reviewable loads a claim a may review; to anyone else it does not exist.
func (s *Service) reviewable(ctx context.Context, a account.Actor, id uint64) (*store.Claim, error) {
	cl, err := s.St.ClaimByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !account.Can(a, account.ReviewClaims, account.Object{CountyCode: cl.CountyCode})) {
		return nil, errClaimForbidden
	}
	return cl, err
}

// Claim reads one application for review, with its rivals.
func (s *Service) Claim(ctx context.Context, a account.Actor, id uint64, lang string) (*ClaimView, error) {
	cl, err := s.reviewable(ctx, a, id)
	if err != nil {
		return nil, fmt.Errorf("signin: claim %d: %w", id, err)
	}
	v, err := s.reviewView(ctx, cl, lang)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// Licence is an application's business licence, for its reviewers.
func (s *Service) Licence(ctx context.Context, files Files, a account.Actor, id uint64) (string, []byte, error) {
	cl, err := s.reviewable(ctx, a, id)
	if err != nil {
		return "", nil, fmt.Errorf("signin: licence %d: %w", id, err)
	}
	if cl.LicenceSHA256 == "" {
		return "", nil, fmt.Errorf("signin: licence %d: %w", id, ErrNoClaim)
	}
	b, err := blob.Read(files.Dir, cl.LicenceSHA256)
	if err != nil {
		return "", nil, fmt.Errorf("signin: licence %d: %w", id, err)
	}
	return cl.LicenceType, b, nil
}

// Decision is a reviewer's answer to an application.
type Decision struct {
	Approve        bool   `json:"approve" form:"approve"`
	ContactChecked bool   `json:"contact_checked" form:"contact_checked"`
	Reason         string `json:"reason" form:"reason" validate:"max=500"`
}

// Decide approves or refuses an application. Approving needs the licence and the reviewer's
// word that the contact was reached; the login then acts for the enterprise, whose record takes
// the application's details, and every other application for the same credit code (pending,
// or approved before: the loser of a dispute) is refused, its login's access to the code ends
// and its sessions are ended. Refusing needs a reason; refusing an approved application ends its
// access the same way. Each decision is audited and told to the applicant.
func (s *Service) Decide(ctx context.Context, a account.Actor, id uint64, d Decision) error {
	d.Reason = strings.TrimSpace(d.Reason)
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		cl, err := s.reviewable(ctx, a, id)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if !d.Approve {
			if len([]rune(d.Reason)) < 2 {
				return ErrNeedsReason
			}
			if cl.Status == store.ClaimRefused {
				return ErrClaimDecided
			}
			if err := s.refuse(ctx, a, cl, d.Reason, now); err != nil {
				return err
			}
			if err := s.tellRefused(ctx, cl, now); err != nil {
				return err
			}
			return s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: a.UserID, ActorRole: string(a.Role), Action: "claim.refuse", ObjectType: "claim", ObjectID: cl.ID,
				Detail: fmt.Sprintf(`{"enterprise":%d,"user":%d}`, cl.EnterpriseID, cl.UserID)})
		}
		if cl.Status != store.ClaimPending {
			return ErrClaimDecided
		}
		if cl.LicenceSHA256 == "" {
			return ErrNeedsLicence
		}
		if !d.ContactChecked {
			return ErrNeedsContact
		}
		reviewer := a.UserID
		cl.Status, cl.ContactChecked, cl.Reason, cl.ReviewedBy, cl.ReviewedAt, cl.UpdatedAt = store.ClaimApproved, true, "", &reviewer, &now, now
		if err := s.St.SaveClaim(ctx, cl); err != nil {
			return err
		}
		others, err := s.St.ClaimsOfEnterprise(ctx, cl.EnterpriseID)
		if err != nil {
			return err
		}
		holders, err := s.holders(ctx, cl.EnterpriseID, others)
		if err != nil {
			return err
		}
		if err := s.St.SetEnterpriseVerified(ctx, cl.UserID, true); err != nil {
			return err
		}
		// The record takes the approved application's details only when no staff-made login
		// holds the code: a record staff registered keeps its contact, which resets those
		// logins' passwords (VerifiedMobile), whoever a reviewer approves.
		if holders == 0 {
			if err := s.St.SetEnterpriseDetails(ctx, cl.EnterpriseID, cl.Name, cl.CountyCode, cl.Industry, cl.ContactName, cl.Mobile, now); err != nil {
				return err
			}
		}
		var lost []uint64
		var told []*store.Claim
		for i := range others {
			o := &others[i]
			if o.ID == cl.ID || o.Status == store.ClaimRefused {
				continue
			}
			if err := s.refuse(ctx, a, o, "另一申请人经审核确认为该统一社会信用代码的企业 / another applicant was confirmed as the holder of this credit code", now); err != nil {
				return err
			}
			lost, told = append(lost, o.ID), append(told, o)
		}
		for _, o := range told {
			if err := s.tellRefused(ctx, o, now); err != nil {
				return err
			}
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: a.UserID, ActorRole: string(a.Role), Action: "claim.approve", ObjectType: "claim", ObjectID: cl.ID,
			Detail: fmt.Sprintf(`{"enterprise":%d,"user":%d,"refused":%s}`, cl.EnterpriseID, cl.UserID, jsonIDs(lost))}); err != nil {
			return err
		}
		return message.Send(ctx, s.St, now, message.Message{UserID: cl.UserID, Kind: "welcome.approved",
			TitleZh: "企业认证已通过：现在可以使用全部功能", TitleEn: "Your enterprise is verified: every service is open to you now", Link: "/"})
	})
	if err != nil {
		return fmt.Errorf("signin: decide claim %d: %w", id, err)
	}
	return nil
}

// refuse marks cl refused with reason and ends its login's access to the code: verification,
// sessions, and the inbox entries about the enterprise. It queues nothing; tell does, after
// every refusal of the transaction (a queued notification must come after the deletes).
func (s *Service) refuse(ctx context.Context, a account.Actor, cl *store.Claim, reason string, now time.Time) error {
	reviewer := a.UserID
	cl.Status, cl.Reason, cl.ReviewedBy, cl.ReviewedAt, cl.UpdatedAt = store.ClaimRefused, reason, &reviewer, &now, now
	if err := s.St.SaveClaim(ctx, cl); err != nil {
		return err
	}
	if err := s.St.SetEnterpriseVerified(ctx, cl.UserID, false); err != nil {
		return err
	}
	if err := s.St.DeleteUserSessions(ctx, cl.UserID); err != nil {
		return err
	}
	return s.St.ForgetEnterpriseNotices(ctx, cl.UserID)
}

// tellRefused tells a refused applicant, with the reason.
func (s *Service) tellRefused(ctx context.Context, cl *store.Claim, now time.Time) error {
	return message.Send(ctx, s.St, now, message.Message{UserID: cl.UserID, Kind: "welcome.refused",
		TitleZh: "企业认证未通过", TitleEn: "Your enterprise application was refused", Body: cl.Reason, Link: "/account/application"})
}

func jsonIDs(ids []uint64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// claimView is the application as its applicant sees it.
func (s *Service) claimView(ctx context.Context, cl *store.Claim, lang string) (ClaimView, error) {
	u, err := s.St.User(ctx, cl.UserID)
	if err != nil {
		return ClaimView{}, fmt.Errorf("signin: claim: %w", err)
	}
	cn := cl.CountyCode
	if counties, err := s.St.Counties(ctx); err == nil {
		for _, k := range counties {
			if k.Code == cl.CountyCode {
				cn = pick(lang, k.NameZh, k.NameEn)
			}
		}
	}
	return ClaimView{ID: cl.ID, Username: u.Username, USCC: cl.USCC, Name: cl.Name, County: cl.CountyCode, CountyName: cn,
		Industry: industryName(cl.Industry, lang), ContactName: cl.ContactName, Mobile: cl.Mobile, Status: cl.Status, Reason: cl.Reason,
		Licence: cl.LicenceSHA256 != "", ContactChecked: cl.ContactChecked, CreatedAt: cl.CreatedAt, ReviewedAt: cl.ReviewedAt}, nil
}

// reviewView adds what a reviewer weighs: the code's registered name, duplicates, rivals.
func (s *Service) reviewView(ctx context.Context, cl *store.Claim, lang string) (ClaimView, error) {
	v, err := s.claimView(ctx, cl, lang)
	if err != nil {
		return v, err
	}
	e, err := s.St.Enterprise(ctx, cl.EnterpriseID)
	if err != nil {
		return v, fmt.Errorf("signin: claim: %w", err)
	}
	v.RegisteredName = e.Name
	if len(cl.USCC) == 18 {
		div := cl.USCC[2:8]
		v.CountyMismatch = div != cl.CountyCode && div != "330300"
	}
	ents, claims, err := s.St.SameNamed(ctx, cl.Name, cl.USCC)
	if err != nil {
		return v, err
	}
	v.DuplicateName = ents+claims > 0
	others, err := s.St.ClaimsOfEnterprise(ctx, cl.EnterpriseID)
	if err != nil {
		return v, err
	}
	for i := range others {
		if others[i].ID == cl.ID {
			continue
		}
		r, err := s.claimView(ctx, &others[i], lang)
		if err != nil {
			return v, err
		}
		v.Rivals = append(v.Rivals, r)
	}
	if v.Holders, err = s.holders(ctx, cl.EnterpriseID, others); err != nil {
		return v, err
	}
	return v, nil
}

// holders counts the logins acting for an enterprise without an application: made by staff.
func (s *Service) holders(ctx context.Context, enterpriseID uint, claims []store.Claim) (int, error) {
	users, err := s.St.UsersByEnterprise(ctx, enterpriseID)
	if err != nil {
		return 0, err
	}
	claimed := map[uint]bool{}
	for _, o := range claims {
		claimed[o.UserID] = true
	}
	n := 0
	for _, u := range users {
		if !claimed[u.ID] {
			n++
		}
	}
	return n, nil
}
