package store

import (
	"context"
	"database/sql"
	"errors"
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

	EnterpriseCounty string `gorm:"-"` // read with the session for an enterprise login
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss *Session) error {
	return mapErr("create session", s.DB(ctx).Create(ss).Error)
}

// SessionWithUser reads a session by its hashed id together with its user and, for an enterprise
// login, the enterprise's county, in one query: every signed-in request starts here, so it is
// scanned by hand rather than through gorm's reflection.
//
// Outside a transaction it answers from a short cache (see SessionCacheTTL).
func (s *Store) SessionWithUser(ctx context.Context, id string) (*Session, *account.User, error) {
	if InTx(ctx) {
		return s.readSessionWithUser(ctx, id)
	}
	now := time.Now()
	if ss, u, ok := s.sessions.get(id, now); ok {
		return ss, u, nil
	}
	gen := s.sessions.generation()
	ss, u, err := s.readSessionWithUser(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	s.sessions.put(id, ss, u, now, gen)
	return ss, u, nil
}

func (s *Store) readSessionWithUser(ctx context.Context, id string) (*Session, *account.User, error) {
	var ss Session
	var u account.User
	var county *string
	// Nullable columns are coalesced: gorm reads a NULL as the zero value, a hand scan would fail.
	err := s.DB(ctx).Raw(`SELECT s.id, COALESCE(s.kind, ''), s.created_at, s.last_seen_at, s.expires_at,
		u.id, COALESCE(u.username, ''), COALESCE(u.password_hash, ''), COALESCE(u.role, ''), COALESCE(u.display_name, ''),
		u.enterprise_id, u.body_id, COALESCE(u.county_code, ''), COALESCE(u.org_name, ''), COALESCE(u.disabled, false),
		COALESCE(u.failed_logins, 0), u.locked_until, u.created_at, u.updated_at, e.county_code
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN enterprises e ON e.id = u.enterprise_id
		WHERE s.id = ?`, id).Row().Scan(&ss.ID, &ss.Kind, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt,
		&u.ID, &u.Username, &u.PasswordHash, &u.Role, &u.DisplayName, &u.EnterpriseID, &u.BodyID, &u.CountyCode,
		&u.OrgName, &u.Disabled, &u.FailedLogins, &u.LockedUntil, &u.CreatedAt, &u.UpdatedAt, &county)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("store: session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, nil, mapErr("session", err)
	}
	ss.UserID = u.ID
	if county != nil {
		ss.EnterpriseCounty = *county
	}
	return &ss, &u, nil
}

// TouchSession moves a session's idle clock.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	err := s.DB(ctx).Set(skipSessionBump, true).Model(&Session{}).Where("id = ?", id).Update("last_seen_at", at).Error
	if err == nil {
		s.sessions.touched(id, at)
	}
	return mapErr("touch session", err)
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
