package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0029LoginFailure counts one account's failed logins from one client address: the lockout is
// per (account, address), so failures from elsewhere (an attacker's, forged or not) never lock
// the account for its owner.
type m0029LoginFailure struct {
	UserID      uint   `gorm:"primaryKey;autoIncrement:false"`
	Addr        string `gorm:"primaryKey;size:64"`
	Failures    int    `gorm:"not null;default:0"`
	LockedUntil *time.Time
	UpdatedAt   time.Time `gorm:"not null;index"`
}

func (m0029LoginFailure) TableName() string { return "login_failures" }

// up0029 adds the per-address failure counts; the counts kept on users stop counting (a lock
// there would hold against every address, so the ones in force are cleared).
func up0029(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0029LoginFailure{}); err != nil {
		return err
	}
	return tx.Exec("UPDATE users SET failed_logins = 0, locked_until = NULL").Error
}
