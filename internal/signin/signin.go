// Package signin is the sign-in use cases: registering an enterprise, logging in with lockout, and
// server-side sessions for cookies and bearer tokens.
package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/clock"
	"qijian/internal/store"
)

// Session lifetimes (issue: 30 min idle, 12 h absolute).
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	MaxFailures     = 5
	LockFor         = 15 * time.Minute
	touchEvery      = time.Minute // idle clock is written at most this often
)

// Session kinds.
const (
	KindWeb = "web"
	KindAPI = "api"
)

// Errors of the use cases; the web layer maps each to one answer.
var (
	ErrBadCredentials = errors.New("auth: wrong username or password")
	ErrNoSession      = errors.New("auth: no valid session")
)

// LockedError says an account is locked until a time.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return "auth: account locked until " + e.Until.Format(time.RFC3339)
}

// Service runs the accounts use cases.
type Service struct {
	St    *store.Store
	Clock clock.Clock
}

// Login checks a username and password, counting failures towards a temporary lockout.
// A wrong password and an unknown user fail the same way, in about the same time.
func (s *Service) Login(ctx context.Context, username, password string) (*account.User, error) {
	u, err := s.St.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		account.CheckUnknown(password)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("auth: login: %w", err)
	}
	now := s.Clock.Now()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		account.CheckUnknown(password)
		return nil, &LockedError{Until: *u.LockedUntil}
	}
	ok, err := account.CheckPassword(u.PasswordHash, password)
	if err != nil && !errors.Is(err, account.ErrBadHash) {
		return nil, fmt.Errorf("auth: login: %w", err)
	}
	if !ok || u.Disabled {
		until, err := s.St.RecordLoginFailure(ctx, u.ID, MaxFailures, now, LockFor)
		if err != nil {
			return nil, fmt.Errorf("auth: login: %w", err)
		}
		if until != nil {
			return nil, &LockedError{Until: *until}
		}
		return nil, ErrBadCredentials
	}
	if u.FailedLogins > 0 || u.LockedUntil != nil {
		if err := s.St.RecordLoginSuccess(ctx, u.ID); err != nil {
			return nil, fmt.Errorf("auth: login: %w", err)
		}
	}
	return u, nil
}

// HashSecret is the stored id of a session secret.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// StartSession makes a new session with a fresh random secret, which only the client keeps.
func (s *Service) StartSession(ctx context.Context, userID uint, kind string) (string, *store.Session, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("auth: session secret: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(b)
	now := s.Clock.Now()
	ss := &store.Session{ID: HashSecret(secret), UserID: userID, Kind: kind, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(AbsoluteTimeout)}
	if err := s.St.CreateSession(ctx, ss); err != nil {
		return "", nil, fmt.Errorf("auth: start session: %w", err)
	}
	return secret, ss, nil
}

// Resolve finds the live session and user behind a secret; web sessions also expire when idle.
func (s *Service) Resolve(ctx context.Context, secret, kind string) (*account.User, *store.Session, error) {
	if secret == "" || len(secret) > 100 {
		return nil, nil, ErrNoSession
	}
	ss, u, err := s.St.SessionWithUser(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("auth: resolve: %w", err)
	}
	now := s.Clock.Now()
	if ss.Kind != kind || !now.Before(ss.ExpiresAt) || (kind == KindWeb && now.Sub(ss.LastSeenAt) >= IdleTimeout) {
		_ = s.St.DeleteSession(ctx, ss.ID)
		return nil, nil, ErrNoSession
	}
	if u.Disabled {
		return nil, nil, ErrNoSession
	}
	if now.Sub(ss.LastSeenAt) >= touchEvery {
		if err := s.St.TouchSession(ctx, ss.ID, now); err != nil {
			return nil, nil, fmt.Errorf("auth: touch: %w", err)
		}
	}
	return u, ss, nil
}

// EndSession logs a session out.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return s.St.DeleteSession(ctx, HashSecret(secret))
}
