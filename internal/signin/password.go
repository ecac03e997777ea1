package signin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/message"
	"qijian/internal/store"
)

// Password resets: a one-time link to the login's verified mobile, valid this long, at most
// resetsPerHour of them an hour.
const (
	ResetValidFor = 30 * time.Minute
	resetsPerHour = 3
)

// Refusals of the password use cases.
var (
	ErrWrongCurrent = errs.Field("current_password", "err.password_current")
	ErrResetToken   = errs.Field("token", "err.reset_token")
)

// PasswordChange is a signed-in person's new password, with the current one.
type PasswordChange struct {
	Current string `json:"current_password" form:"current_password" validate:"required,max=128"`
	New     string `json:"new_password" form:"new_password" validate:"required,max=128"`
}

// ChangePassword replaces the caller's password after checking the current one (a wrong one
// counts towards the lockout like a failed login). The new one must pass PasswordWeakness. Every
// other session of the login ends, open reset links are spent, and the change is audited.
func (s *Service) ChangePassword(ctx context.Context, c Caller, in PasswordChange) error {
	if c.User == nil || c.User.ID == 0 {
		return ErrNoSession
	}
	u, err := s.St.User(ctx, c.User.ID)
	if err != nil {
		return fmt.Errorf("signin: change password: %w", err)
	}
	now := s.Clock.Now()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		account.CheckUnknown(in.Current)
		return locked(*u.LockedUntil)
	}
	ok, err := account.CheckPassword(u.PasswordHash, in.Current)
	if err != nil && !errors.Is(err, account.ErrBadHash) {
		return fmt.Errorf("signin: change password: %w", err)
	}
	if !ok {
		until, err := s.St.RecordLoginFailure(ctx, u.ID, MaxFailures, now, LockFor)
		if err != nil {
			return fmt.Errorf("signin: change password: %w", err)
		}
		if until != nil {
			return locked(*until)
		}
		return ErrWrongCurrent
	}
	if why := account.PasswordWeakness(in.New, u.Username, u.DisplayName); why != "" {
		return errs.Field("new_password", "err.password_"+why)
	}
	if in.New == in.Current {
		return errs.Field("new_password", "err.password_weak")
	}
	return s.setPassword(ctx, u, in.New, c.SessionID, "password.change", now)
}

// setPassword stores pw's hash, ends every session but keep, spends open reset links, audits
// and tells the login.
func (s *Service) setPassword(ctx context.Context, u *account.User, pw, keep, action string, now time.Time) error {
	hash, err := account.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("signin: %s: %w", action, err)
	}
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.SetUserPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		if err := s.St.DeleteOtherSessions(ctx, u.ID, keep); err != nil {
			return err
		}
		if err := s.St.DropResets(ctx, u.ID, now); err != nil {
			return err
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: u.ID, ActorRole: string(u.Role), Action: action, ObjectType: "user", ObjectID: uint64(u.ID)}); err != nil {
			return err
		}
		return message.Send(ctx, s.St, now, message.Message{UserID: u.ID, Kind: "welcome.password",
			TitleZh: "您的密码已修改，其他设备上的登录已退出；如非本人操作，请立即联系管理员",
			TitleEn: "Your password was changed and your other sessions signed out; if this was not you, tell an administrator now"})
	})
	if err != nil {
		return fmt.Errorf("signin: %s: %w", action, err)
	}
	return nil
}

// ResetRequest asks for a reset link for a login.
type ResetRequest struct {
	Username string `json:"username" form:"username" validate:"required,max=64"`
}

// RequestReset sends a one-time reset link to the login's verified mobile, if the login exists,
// is enabled and has one (VerifiedMobile), and has not asked resetsPerHour times this hour. It
// answers the same in every case, so it tells no outsider who exists. Only the hash of the
// token is stored; the link goes by SMS alone (no inbox entry: the inbox is what a reset
// restores access to).
func (s *Service) RequestReset(ctx context.Context, in ResetRequest) error {
	u, err := s.St.UserByUsername(ctx, in.Username)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("signin: reset request: %w", err)
	}
	if u.Disabled {
		return nil
	}
	mobile, err := s.VerifiedMobile(ctx, u)
	if err != nil || mobile == "" {
		return err
	}
	now := s.Clock.Now()
	if n, err := s.St.CountRecentResets(ctx, u.ID, now.Add(-time.Hour)); err != nil || n >= resetsPerHour {
		return err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("signin: reset token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.CreateReset(ctx, &store.PasswordReset{UserID: u.ID, TokenHash: HashSecret(token), ExpiresAt: now.Add(ResetValidFor), CreatedAt: now}); err != nil {
			return err
		}
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: u.ID, ActorRole: string(u.Role), Action: "password.reset_request", ObjectType: "user", ObjectID: uint64(u.ID)}); err != nil {
			return err
		}
		return message.Send(ctx, s.St, now, message.Message{To: mobile, Kind: "account.reset",
			TitleZh: "企检平台密码重置链接（30 分钟内有效，仅可使用一次；如非本人操作请忽略）",
			TitleEn: "Qijian password reset link (valid 30 minutes, once; ignore it if you did not ask)",
			Link:    "/password/reset?token=" + token})
	})
	if err != nil {
		return fmt.Errorf("signin: reset request: %w", err)
	}
	return nil
}

// VerifiedMobile is the number a login's reset link may go to: for an enterprise login acting
// for its enterprise, the mobile of its approved application (the reviewer reached it), or, for
// a login made by staff without one, the enterprise's registered mobile. Other logins have none
// here: an administrator resets them.
func (s *Service) VerifiedMobile(ctx context.Context, u *account.User) (string, error) {
	a := account.ActorOf(u)
	if u.Role != account.RoleEnterprise || a.EnterpriseID == 0 {
		return "", nil
	}
	cl, err := s.St.ClaimOfUser(ctx, u.ID)
	switch {
	case err == nil && cl.Status == store.ClaimApproved && cl.ContactChecked:
		return cl.Mobile, nil
	case err == nil:
		return "", nil
	case !errors.Is(err, store.ErrNotFound):
		return "", fmt.Errorf("signin: verified mobile: %w", err)
	}
	e, err := s.St.Enterprise(ctx, a.EnterpriseID)
	if err != nil {
		return "", fmt.Errorf("signin: verified mobile: %w", err)
	}
	return e.Mobile, nil
}

// PasswordReset is a reset link's token with the new password.
type PasswordReset struct {
	Token string `json:"token" form:"token" validate:"required,max=100"`
	New   string `json:"new_password" form:"new_password" validate:"required,max=128"`
}

// ResetPassword sets a new password with a reset link's token: once, before it expires. A weak
// password is refused before the token is spent; a spent, expired or unknown token is the same
// refusal. Every session of the login ends and its lockout is cleared.
func (s *Service) ResetPassword(ctx context.Context, in PasswordReset) error {
	in.Token = strings.TrimSpace(in.Token)
	now := s.Clock.Now()
	hash := HashSecret(in.Token)
	r, err := s.St.OpenReset(ctx, hash, now)
	if errors.Is(err, store.ErrNotFound) {
		return ErrResetToken
	}
	if err != nil {
		return fmt.Errorf("signin: reset: %w", err)
	}
	u, err := s.St.User(ctx, r.UserID)
	if err != nil {
		return fmt.Errorf("signin: reset: %w", err)
	}
	if u.Disabled {
		return ErrResetToken
	}
	if why := account.PasswordWeakness(in.New, u.Username, u.DisplayName); why != "" {
		return errs.Field("new_password", "err.password_"+why)
	}
	if _, err := s.St.SpendReset(ctx, hash, now); errors.Is(err, store.ErrNotFound) {
		return ErrResetToken
	} else if err != nil {
		return fmt.Errorf("signin: reset: %w", err)
	}
	return s.setPassword(ctx, u, in.New, "", "password.reset", now)
}
