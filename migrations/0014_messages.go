package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0014Prefs is how a person wants to be told: the inbox always, SMS and email when they ask.
type m0014Prefs struct {
	UserID    uint      `gorm:"primaryKey;autoIncrement:false"`
	Lang      string    `gorm:"size:5;not null;default:zh"`
	Mobile    string    `gorm:"size:20"`
	Email     string    `gorm:"size:120"`
	SMS       bool      `gorm:"column:sms;not null;default:false"`
	EmailOn   bool      `gorm:"not null;default:false"`
	Muted     string    `gorm:"size:300"` // comma-joined kind groups not sent by SMS or email
	UpdatedAt time.Time `gorm:"not null"`
}

func (m0014Prefs) TableName() string { return "notification_prefs" }

// m0014Delivery is one message on one outside channel; in embedded mode this table is the outbox
// an admin reads instead of a real SMS gateway or mail server.
type m0014Delivery struct {
	ID        uint64    `gorm:"primaryKey"`
	SourceID  uint64    `gorm:"not null;uniqueIndex:uq_delivery_source,priority:1"` // the notify outbox row
	Channel   string    `gorm:"size:10;not null;uniqueIndex:uq_delivery_source,priority:2"`
	UserID    uint      `gorm:"not null"`
	Kind      string    `gorm:"size:40;not null"`
	Recipient string    `gorm:"size:120;not null"`
	Subject   string    `gorm:"size:200;not null"`
	Body      string    `gorm:"type:text;not null"`
	Status    string    `gorm:"size:10;not null"` // queued, sending, sent, failed
	Via       string    `gorm:"size:10"`          // outbox or smtp
	Attempts  int       `gorm:"not null;default:0"`
	LastError string    `gorm:"size:300"`
	CreatedAt time.Time `gorm:"not null;index"`
	SentAt    *time.Time
}

func (m0014Delivery) TableName() string { return "message_deliveries" }

func up0014(tx *gorm.DB) error { return tx.Migrator().CreateTable(&m0014Prefs{}, &m0014Delivery{}) }
