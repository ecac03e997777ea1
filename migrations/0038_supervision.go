package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0038OrderDocument is a document one rung of the supervision ladder (督办) produced for an
// order: the reminder to the unit (催办), the county justice bureau's supervision letter
// (督办函), the city level's, or the referral to discipline inspection with its case summary.
// Each has a number of its series, counted per year (document_counters); the text is kept as
// it was issued, in Chinese and English.
type m0038OrderDocument struct {
	ID        uint64    `gorm:"primaryKey"`
	OrderID   uint64    `gorm:"not null;index:idx_order_documents_order"`
	Level     int       `gorm:"not null"`
	Kind      string    `gorm:"size:20;not null"` // reminder | county_letter | city_letter | referral
	Series    string    `gorm:"size:20;not null;uniqueIndex:idx_order_documents_number,priority:1"`
	Year      int       `gorm:"not null;uniqueIndex:idx_order_documents_number,priority:2"`
	Seq       int       `gorm:"not null;uniqueIndex:idx_order_documents_number,priority:3"`
	Number    string    `gorm:"size:60;not null"`
	Issuer    string    `gorm:"size:200;not null;default:''"`
	Recipient string    `gorm:"size:200;not null;default:''"`
	Reason    string    `gorm:"type:text;not null;default:''"`
	BodyZh    string    `gorm:"type:text;not null"`
	BodyEn    string    `gorm:"type:text;not null"`
	ActorID   uint      `gorm:"not null;default:0"`
	ActorRole string    `gorm:"size:20;not null;default:''"`
	CreatedAt time.Time `gorm:"not null"`
}

func (m0038OrderDocument) TableName() string { return "order_documents" }

// m0038DocumentCounter is the last number issued in a series in a year.
type m0038DocumentCounter struct {
	Series string `gorm:"primaryKey;size:20"`
	Year   int    `gorm:"primaryKey;autoIncrement:false"`
	Last   int    `gorm:"not null;default:0"`
}

func (m0038DocumentCounter) TableName() string { return "document_counters" }

// m0038SupervisionSettings is the one row of supervision settings an admin edits: how many orders
// one unit may get in a calendar month before the city liaison is asked to consider a talk with it
// (约谈), and the discipline inspection contact a referral reaches.
type m0038SupervisionSettings struct {
	ID                  uint      `gorm:"primaryKey"`
	ConcentrationLimit  int       `gorm:"not null;default:5"`
	ReferralContactName string    `gorm:"size:200;not null;default:''"`
	ReferralMobile      string    `gorm:"size:20;not null;default:''"`
	UpdatedBy           uint      `gorm:"not null;default:0"`
	UpdatedAt           time.Time `gorm:"not null"`
}

func (m0038SupervisionSettings) TableName() string { return "supervision_settings" }

// m0038SupervisionItem is a unit that got many orders in one month (concentrated complaints,
// §2.10 二): raised once per unit and month for the city liaison, who handles it with a note.
type m0038SupervisionItem struct {
	ID         uint64    `gorm:"primaryKey"`
	UnitBodyID uint      `gorm:"not null;uniqueIndex:idx_supervision_items_unit_month,priority:1"`
	Month      string    `gorm:"size:7;not null;uniqueIndex:idx_supervision_items_unit_month,priority:2"` // YYYY-MM, Wenzhou
	Orders     int       `gorm:"not null"`
	Limit      int       `gorm:"column:threshold;not null"`
	RaisedAt   time.Time `gorm:"not null"`
	HandledAt  *time.Time
	HandledBy  uint   `gorm:"not null;default:0"`
	Note       string `gorm:"size:2000;not null;default:''"`
}

func (m0038SupervisionItem) TableName() string { return "supervision_items" }

// up0038 adds the supervision documents, their counters, the settings (with the default limit
// of 5 orders a month) and the concentrated-complaint items.
func up0038(tx *gorm.DB) error {
	for _, m := range []any{&m0038OrderDocument{}, &m0038DocumentCounter{}, &m0038SupervisionSettings{}, &m0038SupervisionItem{}} {
		if err := tx.Migrator().CreateTable(m); err != nil {
			return err
		}
	}
	return tx.Create(&m0038SupervisionSettings{ID: 1, ConcentrationLimit: 5, UpdatedAt: time.Now().UTC()}).Error
}
