package store

import (
	"context"
	"time"
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

// SessionByID reads a session by its hashed id.
func (s *Store) SessionByID(ctx context.Context, id string) (*Session, error) {
	var ss Session
	err := s.DB(ctx).Where("id = ?", id).First(&ss).Error
	return &ss, mapErr("session", err)
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
