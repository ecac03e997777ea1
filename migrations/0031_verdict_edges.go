package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0031Inspection gains the legal basis of a withheld notice (NOTICE-1) and the approval record
// that allows an inspection beyond the yearly cap (FREQ-1/2, seed §2.3 三 严格履行审批程序).
type m0031Inspection struct {
	ID                  uint64 `gorm:"primaryKey"`
	NoticeWithheldBasis string `gorm:"size:200;not null;default:''"`
	FrequencyApprover   string `gorm:"size:100;not null;default:''"`
	FrequencyApprovalNo string `gorm:"size:100;not null;default:''"`
	FrequencyApprovedOn *time.Time
}

func (m0031Inspection) TableName() string { return "inspections" }

// m0031Rating gains whether the enterprise answered the questions: a rating sent without
// code_shown or credential_shown left them unanswered, which is not a "no". Earlier ratings
// answered both (the form always sent them).
type m0031Rating struct {
	ID                 uint64 `gorm:"primaryKey"`
	CodeAnswered       bool   `gorm:"not null;default:true"`
	CredentialAnswered bool   `gorm:"not null;default:true"`
}

func (m0031Rating) TableName() string { return "inspection_ratings" }

// m0031Clue gains its withdrawal: the facts behind it changed (a rating corrected, the
// inspection cancelled, a count fallen back under the cap).
type m0031Clue struct {
	ID              uint64 `gorm:"primaryKey"`
	WithdrawnAt     *time.Time
	WithdrawnReason string `gorm:"size:200;not null;default:''"`
}

func (m0031Clue) TableName() string { return "clues" }

// m0031CalendarYear is a year whose holidays and adjusted working days an administrator entered
// or imported (the official notice comes each November): the year then counts as loaded.
type m0031CalendarYear struct {
	Year      int       `gorm:"primaryKey;autoIncrement:false"`
	EnteredBy uint      `gorm:"not null"`
	EnteredAt time.Time `gorm:"not null"`
	Source    string    `gorm:"size:200;not null;default:''"` // e.g. the notice's document number
}

func (m0031CalendarYear) TableName() string { return "calendar_years" }

func up0031(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, c := range []string{"NoticeWithheldBasis", "FrequencyApprover", "FrequencyApprovalNo", "FrequencyApprovedOn"} {
		if err := m.AddColumn(&m0031Inspection{}, c); err != nil {
			return err
		}
	}
	for _, c := range []string{"CodeAnswered", "CredentialAnswered"} {
		if err := m.AddColumn(&m0031Rating{}, c); err != nil {
			return err
		}
	}
	for _, c := range []string{"WithdrawnAt", "WithdrawnReason"} {
		if err := m.AddColumn(&m0031Clue{}, c); err != nil {
			return err
		}
	}
	return m.CreateTable(&m0031CalendarYear{})
}
