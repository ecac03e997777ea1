package signin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/store"
)

// Credentials are what a person types to log in, on the login page and at the token endpoint.
type Credentials struct {
	Username string `json:"username" form:"username" validate:"required,max=64"`
	Password string `json:"password" form:"password" validate:"required,max=128"`
	// From is the client's address as the portal determined it (never sent by the client); the
	// lockout counts failures per (account, address).
	From string `json:"-" form:"-"`
}

// Started is a new session: the secret goes to the client (cookie or bearer token) and is never
// stored, only its hash.
type Started struct {
	Secret    string
	UserID    uint
	ExpiresAt time.Time
}

// LogIn checks the credentials and starts a brand-new session of kind. previous, the secret the
// client held before (a cookie set before login), is ended and never promoted: that defeats
// session fixation.
func (s *Service) LogIn(ctx context.Context, c Credentials, kind, previous string) (Started, error) {
	u, err := s.authenticate(ctx, c)
	if err != nil {
		return Started{}, err
	}
	if previous != "" {
		if err := s.EndSession(ctx, previous); err != nil {
			return Started{}, err
		}
	}
	return s.StartSession(ctx, u.ID, kind)
}

// authenticate checks a username and password, counting failures towards a temporary lockout.
// A wrong password and an unknown user fail the same way, in about the same time.
func (s *Service) authenticate(ctx context.Context, c Credentials) (*account.User, error) {
	u, err := s.St.UserByUsername(ctx, c.Username)
	if errors.Is(err, store.ErrNotFound) {
		account.CheckUnknown(c.Password)
		if until, isLocked := s.unknown.fail(strings.ToLower(strings.TrimSpace(c.Username)), s.Clock.Now()); isLocked {
			return nil, locked(until)
		}
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("signin: login: %w", err)
	}
	now := s.Clock.Now()
	// The lock is per (account, address): failures from elsewhere, an attacker's, never lock
	// the owner out, and an attacker gets MaxFailures guesses per address per LockFor.
	until, err := s.St.LoginLockedUntil(ctx, u.ID, c.From, now)
	if err != nil {
		return nil, fmt.Errorf("signin: login: %w", err)
	}
	if until != nil {
		account.CheckUnknown(c.Password)
		return nil, locked(*until)
	}
	ok, err := account.CheckPassword(u.PasswordHash, c.Password)
	if err != nil && !errors.Is(err, account.ErrBadHash) {
		return nil, fmt.Errorf("signin: login: %w", err)
	}
	if !ok || u.Disabled {
		until, err := s.St.RecordLoginFailureFrom(ctx, u.ID, c.From, MaxFailures, now, LockFor)
		if err != nil {
			return nil, fmt.Errorf("signin: login: %w", err)
		}
		if until != nil {
			return nil, locked(*until)
		}
		return nil, ErrBadCredentials
	}
	if err := s.St.ClearLoginFailures(ctx, u.ID, c.From); err != nil {
		return nil, fmt.Errorf("signin: login: %w", err)
	}
	return u, nil
}

// locked is ErrLocked with the lock's end, for the log.
func locked(until time.Time) error {
	return fmt.Errorf("signin: locked until %s: %w", until.UTC().Format(time.RFC3339), ErrLocked)
}
