package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0030User gains EnterpriseVerified: the login's claim on its enterprise was reviewed and
// approved (or the login was made by someone who had checked it: the seed, an administrator).
type m0030User struct {
	ID                 uint `gorm:"primaryKey"`
	EnterpriseVerified bool `gorm:"not null;default:false"`
}

func (m0030User) TableName() string { return "users" }

// m0030Claim is a login's application to act for an enterprise (a credit code): the details it
// gave, its business licence and the reviewer's decision.
type m0030Claim struct {
	ID             uint64 `gorm:"primaryKey"`
	UserID         uint   `gorm:"not null;uniqueIndex"`
	EnterpriseID   uint   `gorm:"not null;index"`
	USCC           string `gorm:"column:uscc;size:18;not null"`
	Name           string `gorm:"size:200;not null"`
	CountyCode     string `gorm:"size:6;not null;index"`
	Industry       string `gorm:"size:32;not null"`
	ContactName    string `gorm:"size:60;not null"`
	Mobile         string `gorm:"size:20;not null"`
	LicenceSHA256  string `gorm:"column:licence_sha256;size:64;not null;default:''"`
	LicenceType    string `gorm:"size:40;not null;default:''"`
	Status         string `gorm:"size:10;not null;index"`
	ContactChecked bool   `gorm:"not null;default:false"`
	Reason         string `gorm:"size:500;not null;default:''"`
	ReviewedBy     *uint  ``
	ReviewedAt     *time.Time
	CreatedAt      time.Time `gorm:"not null"`
	UpdatedAt      time.Time `gorm:"not null"`
}

func (m0030Claim) TableName() string { return "enterprise_claims" }

// m0030PasswordReset is a one-time reset token, kept as its hash only.
type m0030PasswordReset struct {
	ID        uint64    `gorm:"primaryKey"`
	UserID    uint      `gorm:"not null;index"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
	CreatedAt time.Time `gorm:"not null"`
}

func (m0030PasswordReset) TableName() string { return "password_resets" }

// m0030FederatedIdentity links a login to a person at an OpenID Connect provider (the unified
// identity platform's legal-person login): the issuer and its subject.
type m0030FederatedIdentity struct {
	ID        uint64    `gorm:"primaryKey"`
	Issuer    string    `gorm:"size:300;not null;uniqueIndex:federated_identities_subject"`
	Subject   string    `gorm:"size:255;not null;uniqueIndex:federated_identities_subject"`
	UserID    uint      `gorm:"not null;uniqueIndex"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m0030FederatedIdentity) TableName() string { return "federated_identities" }

// up0030 marks every existing login as verified for its enterprise (they were made by the seed
// or before self-registration was reviewed; the review starts with new applications), and adds
// the claims, the reset tokens and the links to an identity provider's subjects.
func up0030(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&m0030User{}, "EnterpriseVerified"); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE users SET enterprise_verified = true").Error; err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&m0030Claim{}, &m0030PasswordReset{}, &m0030FederatedIdentity{})
}
