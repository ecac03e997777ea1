package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// loginFailure is one account's failed logins from one client address (migration 0029).
type loginFailure struct {
	UserID      uint   `gorm:"primaryKey;autoIncrement:false"`
	Addr        string `gorm:"primaryKey"`
	Failures    int
	LockedUntil *time.Time
	UpdatedAt   time.Time
}

func (loginFailure) TableName() string { return "login_failures" }

// LoginLockedUntil is the end of the lock on logins to the account from addr, if one holds at now.
func (s *Store) LoginLockedUntil(ctx context.Context, userID uint, addr string, now time.Time) (*time.Time, error) {
	var rows []loginFailure
	err := s.DB(ctx).Where("user_id = ? AND addr = ? AND locked_until > ?", userID, addr, now).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, mapErr("login lock", err)
	}
	return rows[0].LockedUntil, nil
}

// RecordLoginFailureFrom counts a failed login to the account from addr and locks logins from
// that address for lockFor once max is reached; it returns the lock's end if one now holds.
// Counts older than lockFor start again.
func (s *Store) RecordLoginFailureFrom(ctx context.Context, userID uint, addr string, max int, now time.Time, lockFor time.Duration) (*time.Time, error) {
	var locked *time.Time
	err := s.WithTx(ctx, func(ctx context.Context) error {
		db := s.DB(ctx)
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&loginFailure{UserID: userID, Addr: addr, UpdatedAt: now}).Error; err != nil {
			return err
		}
		var f loginFailure
		q := db
		if s.Dialect == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Where("user_id = ? AND addr = ?", userID, addr).First(&f).Error; err != nil {
			return err
		}
		n := f.Failures + 1
		if f.UpdatedAt.Before(now.Add(-lockFor)) {
			n = 1
		}
		upd := map[string]any{"failures": n, "updated_at": now}
		if n >= max {
			until := now.Add(lockFor)
			upd["failures"], upd["locked_until"] = 0, until
			locked = &until
		}
		return db.Model(&loginFailure{}).Where("user_id = ? AND addr = ?", userID, addr).Updates(upd).Error
	})
	return locked, mapErr("record login failure", err)
}

// ClearLoginFailures forgets the account's failures from addr (a login from there succeeded).
func (s *Store) ClearLoginFailures(ctx context.Context, userID uint, addr string) error {
	return mapErr("clear login failures", s.DB(ctx).Where("user_id = ? AND addr = ?", userID, addr).Delete(&loginFailure{}).Error)
}

// PurgeLoginFailures deletes the counts not touched since before t.
func (s *Store) PurgeLoginFailures(ctx context.Context, t time.Time) (int64, error) {
	res := s.DB(ctx).Where("updated_at < ?", t).Delete(&loginFailure{})
	return res.RowsAffected, mapErr("purge login failures", res.Error)
}
