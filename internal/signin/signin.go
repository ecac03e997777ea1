// Package signin is the sign-in use cases: registering an enterprise, logging in with lockout,
// server-side sessions for cookies and bearer tokens, and who the signed-in caller is. The page
// and API handlers call the same methods with the same typed inputs; refusals are *errs.Error
// values, so neither needs to map them.
package signin

import (
	"time"

	"qijian/internal/clock"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Session lifetimes (issue: 30 min idle, 12 h absolute) and the lockout.
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

// The refusals. A wrong password and an unknown user are the same error, so the answer does not
// tell which usernames exist.
var (
	ErrBadCredentials = errs.New(errs.Unauthorized, "bad_credentials", "err.bad_credentials")
	ErrNoSession      = errs.New(errs.Unauthorized, "unauthorized", "err.bad_credentials")
	ErrLocked         = errs.New(errs.Limited, "account_locked", "err.locked")
)

// Service runs the sign-in use cases.
type Service struct {
	St    *store.Store
	Clock clock.Clock

	unknown ghosts // failed logins of usernames that do not exist (the lockout's twin)
}
