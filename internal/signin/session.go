package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/store"
)

// Caller is who a live session belongs to: the login, and the policy's view of it.
type Caller struct {
	User  *account.User
	Actor account.Actor
	// SessionID is the stored id (the hash) of the session the caller came with: a password
	// change keeps it and ends the others.
	SessionID string
}

// HashSecret is the stored id of a session secret.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// StartSession makes a new session with a fresh random secret, which only the client keeps.
func (s *Service) StartSession(ctx context.Context, userID uint, kind string) (Started, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return Started{}, fmt.Errorf("signin: session secret: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(b)
	now := s.Clock.Now()
	ss := &store.Session{ID: HashSecret(secret), UserID: userID, Kind: kind, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(AbsoluteTimeout)}
	if err := s.St.CreateSession(ctx, ss); err != nil {
		return Started{}, fmt.Errorf("signin: start session: %w", err)
	}
	return Started{Secret: secret, UserID: userID, ExpiresAt: ss.ExpiresAt}, nil
}

// Resolve finds the live session behind a secret and who it belongs to; web sessions also expire
// when idle. Anything but a live session of that kind of an enabled login is ErrNoSession.
func (s *Service) Resolve(ctx context.Context, secret, kind string) (Caller, error) {
	if secret == "" || len(secret) > 100 {
		return Caller{}, ErrNoSession
	}
	ss, u, err := s.St.SessionWithUser(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return Caller{}, ErrNoSession
	}
	if err != nil {
		return Caller{}, fmt.Errorf("signin: resolve: %w", err)
	}
	now := s.Clock.Now()
	if ss.Kind != kind || !now.Before(ss.ExpiresAt) || (kind == KindWeb && now.Sub(ss.LastSeenAt) >= IdleTimeout) {
		_ = s.St.DeleteSession(ctx, ss.ID)
		return Caller{}, ErrNoSession
	}
	if u.Disabled {
		return Caller{}, ErrNoSession
	}
	if now.Sub(ss.LastSeenAt) >= touchEvery {
		if err := s.St.TouchSession(ctx, ss.ID, now); err != nil {
			return Caller{}, fmt.Errorf("signin: touch: %w", err)
		}
	}
	a, err := s.St.Actor(ctx, u)
	if err != nil {
		return Caller{}, fmt.Errorf("signin: resolve: %w", err)
	}
	if a.EnterpriseID != 0 {
		a.EnterpriseCounty = ss.EnterpriseCounty
	}
	return Caller{User: u, Actor: a, SessionID: ss.ID}, nil
}

// EndSession logs a session out; an empty secret is no session and nothing to do.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	if err := s.St.DeleteSession(ctx, HashSecret(secret)); err != nil {
		return fmt.Errorf("signin: end session: %w", err)
	}
	return nil
}
