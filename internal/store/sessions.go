package store

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
)

// Session is a server-side login: a web cookie session or an API bearer token. Only the
// SHA-256 of the secret is stored, so a database leak does not hand out live sessions.
type Session struct {
	ID         string `gorm:"primaryKey"`
	UserID     uint
	Kind       string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss *Session) error {
	return mapErr("create session", s.DB(ctx).Create(ss).Error)
}

// SessionWithUser reads a session by its hashed id together with its user, in one query: every
// signed-in request starts here.
func (s *Store) SessionWithUser(ctx context.Context, id string) (*Session, *account.User, error) {
	var row struct {
		SID         string    `gorm:"column:s_id"`
		SKind       string    `gorm:"column:s_kind"`
		SCreatedAt  time.Time `gorm:"column:s_created_at"`
		SLastSeenAt time.Time `gorm:"column:s_last_seen_at"`
		SExpiresAt  time.Time `gorm:"column:s_expires_at"`
		account.User
	}
	res := s.DB(ctx).Raw(`SELECT s.id AS s_id, s.kind AS s_kind, s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at,
		s.expires_at AS s_expires_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).Scan(&row)
	if res.Error != nil {
		return nil, nil, mapErr("session", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, nil, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	ss := &Session{ID: row.SID, UserID: row.User.ID, Kind: row.SKind, CreatedAt: row.SCreatedAt, LastSeenAt: row.SLastSeenAt, ExpiresAt: row.SExpiresAt}
	u := row.User
	return ss, &u, nil
}

// TouchSession moves a session's idle clock.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	return mapErr("touch session", s.DB(ctx).Model(&Session{}).Where("id = ?", id).Update("last_seen_at", at).Error)
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return mapErr("delete session", s.DB(ctx).Where("id = ?", id).Delete(&Session{}).Error)
}

// DeleteUserSessions ends every session of a user (password change, disabling).
func (s *Store) DeleteUserSessions(ctx context.Context, userID uint) error {
	return mapErr("delete user sessions", s.DB(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error)
}

// PurgeSessions removes sessions that expired before t.
func (s *Store) PurgeSessions(ctx context.Context, t time.Time) (int64, error) {
	res := s.DB(ctx).Where("expires_at < ?", t).Delete(&Session{})
	return res.RowsAffected, mapErr("purge sessions", res.Error)
}
