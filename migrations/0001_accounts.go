package migrations

import (
	"time"

	"gorm.io/gorm"
)

type m0001County struct {
	Code   string `gorm:"primaryKey;size:6"`
	NameZh string `gorm:"size:40;not null"`
	NameEn string `gorm:"size:60;not null"`
	Sort   int
}

func (m0001County) TableName() string { return "counties" }

type m0001Body struct {
	ID          uint   `gorm:"primaryKey"`
	NameZh      string `gorm:"size:120;not null;uniqueIndex"`
	NameEn      string `gorm:"size:200"`
	Short       string `gorm:"size:40"`
	CountyCode  string `gorm:"size:6;index"` // empty: a municipal body
	Qualified   bool   `gorm:"not null;default:true"`
	AnnouncedOn *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (m0001Body) TableName() string { return "bodies" }

type m0001Enterprise struct {
	ID          uint   `gorm:"primaryKey"`
	USCC        string `gorm:"column:uscc;size:18;not null;uniqueIndex"`
	Name        string `gorm:"size:200;not null"`
	CountyCode  string `gorm:"size:6;not null;index"`
	Industry    string `gorm:"size:40;not null;index"`
	ContactName string `gorm:"size:60"`
	Mobile      string `gorm:"size:20"`
	CreditGrade string `gorm:"size:20"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (m0001Enterprise) TableName() string { return "enterprises" }

type m0001User struct {
	ID           uint   `gorm:"primaryKey"`
	Username     string `gorm:"size:64;not null;uniqueIndex"`
	PasswordHash string `gorm:"size:200;not null"`
	Role         string `gorm:"size:20;not null;index"`
	DisplayName  string `gorm:"size:120"`
	EnterpriseID *uint  `gorm:"index"`
	BodyID       *uint  `gorm:"index"`
	CountyCode   string `gorm:"size:6"`
	OrgName      string `gorm:"size:200"`
	Disabled     bool   `gorm:"not null;default:false"`
	FailedLogins int    `gorm:"not null;default:0"`
	LockedUntil  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (m0001User) TableName() string { return "users" }

type m0001ObservationMember struct {
	ID           uint      `gorm:"primaryKey"`
	ObserverID   uint      `gorm:"not null;uniqueIndex:idx_obs_member"`
	EnterpriseID uint      `gorm:"not null;uniqueIndex:idx_obs_member"`
	ConsentAt    time.Time `gorm:"not null"`
}

func (m0001ObservationMember) TableName() string { return "observation_members" }

type m0001Session struct {
	ID         string    `gorm:"primaryKey;size:64"` // sha-256 of the secret the client holds
	UserID     uint      `gorm:"not null;index"`
	Kind       string    `gorm:"size:10;not null"` // web or api
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"`
}

func (m0001Session) TableName() string { return "sessions" }

func up0001(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0001County{}, &m0001Body{}, &m0001Enterprise{}); err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&m0001User{}, &m0001ObservationMember{}, &m0001Session{})
}
