package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0041ReplyTemplate is a reply template (答复模板) an admin keeps for one matter type (the order's
// type), in Chinese and English; a retired one is kept for the record and offered no more.
type m0041ReplyTemplate struct {
	ID        uint       `gorm:"primaryKey"`
	Type      string     `gorm:"size:30;not null;index"`
	TitleZh   string     `gorm:"size:100;not null"`
	TitleEn   string     `gorm:"size:100;not null"`
	BodyZh    string     `gorm:"type:text;not null"`
	BodyEn    string     `gorm:"type:text;not null"`
	RetiredAt *time.Time `gorm:""`
	CreatedBy uint       `gorm:"not null;default:0"`
	CreatedAt time.Time  `gorm:"not null"`
	UpdatedAt time.Time  `gorm:"not null"`
}

func (m0041ReplyTemplate) TableName() string { return "reply_templates" }

// m0041OrderNote is a handler's internal note (内部备注) on an order: kept in a table of its own,
// apart from the timeline (order_events) the enterprise reads.
type m0041OrderNote struct {
	ID        uint64    `gorm:"primaryKey"`
	OrderID   uint64    `gorm:"not null;index"`
	At        time.Time `gorm:"not null"`
	ActorID   uint      `gorm:"not null"`
	ActorRole string    `gorm:"size:20;not null"`
	Note      string    `gorm:"type:text;not null"`
}

func (m0041OrderNote) TableName() string { return "order_notes" }

// m0041ReplyFile is a file the handling side attaches to its reply (documents, photos): checked
// and rebuilt like evidence, pending (no event) until the reply it goes with is made; UnitID is the
// unit handling the order when it was uploaded (0: none), whose reply alone takes it.
type m0041ReplyFile struct {
	ID          uint64    `gorm:"primaryKey"`
	OrderID     uint64    `gorm:"not null;index"`
	EventID     *uint64   `gorm:"index"`
	UnitID      uint      `gorm:"not null;default:0"`
	UploadedBy  uint      `gorm:"not null"`
	ContentType string    `gorm:"size:40;not null"`
	Size        int64     `gorm:"not null"`
	SHA256      string    `gorm:"column:sha256;size:64;not null"`
	CreatedAt   time.Time `gorm:"not null"`
}

func (m0041ReplyFile) TableName() string { return "reply_files" }

// up0041 adds the reply templates, the internal notes and the reply's files.
func up0041(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&m0041ReplyTemplate{}, &m0041OrderNote{}, &m0041ReplyFile{})
}
