package store

import (
	"context"
	"time"

	"qijian/internal/account"
)

// Claim states.
const (
	ClaimPending  = "pending"
	ClaimApproved = "approved"
	ClaimRefused  = "refused"
)

// Claim is a login's application to act for an enterprise: the credit code and the details it
// gave, its business licence (a stored blob) and the reviewer's decision.
type Claim struct {
	ID             uint64
	UserID         uint
	EnterpriseID   uint
	USCC           string `gorm:"column:uscc"`
	Name           string
	CountyCode     string
	Industry       string
	ContactName    string
	Mobile         string
	LicenceSHA256  string `gorm:"column:licence_sha256"`
	LicenceType    string
	Status         string
	ContactChecked bool
	Reason         string
	ReviewedBy     *uint
	ReviewedAt     *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName is the claims' table.
func (Claim) TableName() string { return "enterprise_claims" }

// CreateClaim inserts c.
func (s *Store) CreateClaim(ctx context.Context, c *Claim) error {
	return mapErr("create claim", s.DB(ctx).Create(c).Error)
}

// SaveClaim writes every field of c.
func (s *Store) SaveClaim(ctx context.Context, c *Claim) error {
	return mapErr("save claim", s.DB(ctx).Save(c).Error)
}

// ClaimByID reads one claim.
func (s *Store) ClaimByID(ctx context.Context, id uint64) (*Claim, error) {
	var c Claim
	err := s.DB(ctx).First(&c, id).Error
	return &c, mapErr("claim", err)
}

// ClaimOfUser reads a login's claim.
func (s *Store) ClaimOfUser(ctx context.Context, userID uint) (*Claim, error) {
	var c Claim
	err := s.DB(ctx).Where("user_id = ?", userID).First(&c).Error
	return &c, mapErr("claim of user", err)
}

// ClaimsOfEnterprise lists every claim on an enterprise's credit code, oldest first.
func (s *Store) ClaimsOfEnterprise(ctx context.Context, enterpriseID uint) ([]Claim, error) {
	var out []Claim
	err := s.DB(ctx).Where("enterprise_id = ?", enterpriseID).Order("id").Find(&out).Error
	return out, mapErr("claims of enterprise", err)
}

// PendingClaims lists the claims awaiting a decision within scope, oldest first; the zero scope
// lists none.
func (s *Store) PendingClaims(ctx context.Context, scope account.ClaimScope, limit int) ([]Claim, error) {
	if scope.None() {
		return nil, nil
	}
	q := s.DB(ctx).Where("status = ?", ClaimPending)
	if !scope.All {
		q = q.Where("county_code = ?", scope.CountyCode)
	}
	var out []Claim
	err := q.Order("id").Limit(limit).Find(&out).Error
	return out, mapErr("pending claims", err)
}

// SameNamed lists enterprises of another credit code whose registered name is name, and the
// claims of another code that gave it: the duplicates a reviewer is shown.
func (s *Store) SameNamed(ctx context.Context, name, uscc string) (enterprises int64, claims int64, err error) {
	if err = s.DB(ctx).Model(&account.Enterprise{}).Where("name = ? AND uscc <> ?", name, uscc).Count(&enterprises).Error; err != nil {
		return 0, 0, mapErr("same named", err)
	}
	err = s.DB(ctx).Model(&Claim{}).Where("name = ? AND uscc <> ?", name, uscc).Count(&claims).Error
	return enterprises, claims, mapErr("same named", err)
}

// SetEnterpriseVerified records whether a login acts for its enterprise (its claim approved).
func (s *Store) SetEnterpriseVerified(ctx context.Context, userID uint, verified bool) error {
	return mapErr("set enterprise verified", s.DB(ctx).Model(&account.User{}).Where("id = ?", userID).Update("enterprise_verified", verified).Error)
}

// SetEnterpriseDetails replaces an enterprise's registered details with those an approved claim
// gave.
func (s *Store) SetEnterpriseDetails(ctx context.Context, id uint, name, county, industry, contact, mobile string, now time.Time) error {
	return mapErr("set enterprise details", s.DB(ctx).Model(&account.Enterprise{}).Where("id = ?", id).Updates(map[string]any{
		"name": name, "county_code": county, "industry": industry, "contact_name": contact, "mobile": mobile, "updated_at": now}).Error)
}

// PasswordReset is a one-time token to set a new password, kept as its hash.
type PasswordReset struct {
	ID        uint64
	UserID    uint
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// CreateReset stores a reset token's hash.
func (s *Store) CreateReset(ctx context.Context, r *PasswordReset) error {
	r.ExpiresAt, r.CreatedAt = r.ExpiresAt.UTC(), r.CreatedAt.UTC() // compared as UTC
	return mapErr("create reset", s.DB(ctx).Create(r).Error)
}

// OpenReset reads the unused, unexpired reset token of hash; any other is ErrNotFound.
func (s *Store) OpenReset(ctx context.Context, hash string, now time.Time) (*PasswordReset, error) {
	var r PasswordReset
	err := s.DB(ctx).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hash, now.UTC()).First(&r).Error
	return &r, mapErr("open reset", err)
}

// SpendReset marks the unused, unexpired token of hash as used and returns its user; a token
// spent, expired or unknown is ErrNotFound. Spending is one conditional update, so two uses race
// to one winner.
func (s *Store) SpendReset(ctx context.Context, hash string, now time.Time) (uint, error) {
	var r PasswordReset
	if err := s.DB(ctx).Where("token_hash = ?", hash).First(&r).Error; err != nil {
		return 0, mapErr("reset", err)
	}
	res := s.DB(ctx).Model(&PasswordReset{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", r.ID, now.UTC()).Update("used_at", now.UTC())
	if res.Error != nil {
		return 0, mapErr("spend reset", res.Error)
	}
	if res.RowsAffected == 0 {
		return 0, mapErr("spend reset", errNoRows)
	}
	return r.UserID, nil
}

// DropResets spends every open reset token of a user (its password just changed).
func (s *Store) DropResets(ctx context.Context, userID uint, now time.Time) error {
	return mapErr("drop resets", s.DB(ctx).Model(&PasswordReset{}).Where("user_id = ? AND used_at IS NULL", userID).Update("used_at", now.UTC()).Error)
}

// CountRecentResets counts a user's reset tokens made since t (a bound on how many one asks for).
func (s *Store) CountRecentResets(ctx context.Context, userID uint, t time.Time) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&PasswordReset{}).Where("user_id = ? AND created_at >= ?", userID, t.UTC()).Count(&n).Error
	return n, mapErr("count resets", err)
}

// DeleteOtherSessions ends every session of a user but keep (a hashed id; empty: all).
func (s *Store) DeleteOtherSessions(ctx context.Context, userID uint, keep string) error {
	return mapErr("delete other sessions", s.DB(ctx).Where("user_id = ? AND id <> ?", userID, keep).Delete(&Session{}).Error)
}

// FederatedIdentity links a login to a subject of an OpenID Connect provider.
type FederatedIdentity struct {
	ID        uint64
	Issuer    string
	Subject   string
	UserID    uint
	CreatedAt time.Time
}

// CreateFederatedIdentity inserts f; a subject linked already is ErrConflict.
func (s *Store) CreateFederatedIdentity(ctx context.Context, f *FederatedIdentity) error {
	return mapErr("create federated identity", s.DB(ctx).Create(f).Error)
}

// FederatedUser is the login linked to issuer's subject.
func (s *Store) FederatedUser(ctx context.Context, issuer, subject string) (uint, error) {
	var f FederatedIdentity
	err := s.DB(ctx).Where("issuer = ? AND subject = ?", issuer, subject).First(&f).Error
	return f.UserID, mapErr("federated identity", err)
}

// ForgetEnterpriseNotices deletes a login's inbox entries about what was addressed to its
// enterprise (every kind but its own account's, "welcome…"): a login whose claim on the code
// ended keeps no titles of the enterprise's documents, inspections or orders. Run it before
// anything in the same transaction queues a notification.
func (s *Store) ForgetEnterpriseNotices(ctx context.Context, userID uint) error {
	return mapErr("forget enterprise notices", s.DB(ctx).Where("user_id = ? AND kind NOT LIKE ?", userID, "welcome%").Delete(&Notification{}).Error)
}
