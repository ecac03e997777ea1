package migrations

import (
	"crypto/rand"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// m0028UploadUsage is each user's stored bytes per Wenzhou day, for the upload quota.
type m0028UploadUsage struct {
	UserID uint   `gorm:"primaryKey;autoIncrement:false"`
	Day    string `gorm:"primaryKey;size:10"`
	Bytes  int64  `gorm:"not null;default:0"`
}

func (m0028UploadUsage) TableName() string { return "upload_usage" }

// m0028CalendarFeed is a person's calendar-feed generation: a new one retires the old address.
type m0028CalendarFeed struct {
	UserID     uint      `gorm:"primaryKey;autoIncrement:false"`
	Generation int       `gorm:"not null;default:0"`
	RotatedAt  time.Time `gorm:"not null"`
}

func (m0028CalendarFeed) TableName() string { return "calendar_feeds" }

// m0028Evidence gains Clean: the file was rebuilt without its metadata when it was stored.
type m0028Evidence struct {
	ID    uint64 `gorm:"primaryKey"`
	Clean bool   `gorm:"not null;default:false"`
}

func (m0028Evidence) TableName() string { return "evidence" }

type m0028Order struct {
	ID            uint64
	Number        string
	FiledByUserID uint
	CreatedAt     time.Time
}

// up0028 adds the upload quota's and the calendar feeds' tables, marks which evidence files were
// rebuilt without metadata (images always were; PDFs were stored as sent), and gives every
// anonymous order a number that follows from nothing: sequential numbers sat next to the same
// enterprise's named orders. Their notifications' titles follow; the links of those held by
// anyone but the filer go (they named the order by the id that is no longer its name for them).
func up0028(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0028UploadUsage{}, &m0028CalendarFeed{}); err != nil {
		return err
	}
	if err := tx.Migrator().AddColumn(&m0028Evidence{}, "Clean"); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE evidence SET clean = true WHERE content_type <> 'application/pdf'").Error; err != nil {
		return err
	}
	var orders []m0028Order
	if err := tx.Table("work_orders").Select("id, number, filed_by_user_id, created_at").Where("anonymous = ?", true).Order("id").Find(&orders).Error; err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, o := range orders {
		var num string
		for num == "" || seen[num] {
			num = fmt.Sprintf("QJ%dM%s", o.CreatedAt.Year(), randomBase32(8))
		}
		seen[num] = true
		if err := tx.Table("work_orders").Where("id = ?", o.ID).Update("number", num).Error; err != nil {
			return err
		}
		link := fmt.Sprintf("/complaints/%d", o.ID)
		if err := tx.Exec("UPDATE notifications SET title = REPLACE(title, ?, ?) WHERE link = ?", o.Number, num, link).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE notifications SET link = '' WHERE link = ? AND user_id <> ?", link, o.FiledByUserID).Error; err != nil {
			return err
		}
	}
	return nil
}

// randomBase32 is n characters of Crockford's base32 (no I, L, O, U: read aloud over a phone).
func randomBase32(n int) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return string(b)
}
