package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// User is one login in the admin's list.
type User struct {
	ID          uint
	Username    string
	Role        account.Role
	DisplayName string
	OrgName     string
	Disabled    bool
}

// Users lists every login in id order.
func (s *Service) Users(ctx context.Context, a account.Actor) ([]User, error) {
	if err := allow(a, account.ManageUsers); err != nil {
		return nil, err
	}
	rows, err := s.St.Users(ctx)
	if err != nil {
		return nil, fmt.Errorf("admin: users: %w", err)
	}
	out := make([]User, len(rows))
	for i, u := range rows {
		out[i] = User{ID: u.ID, Username: u.Username, Role: u.Role, DisplayName: u.DisplayName, OrgName: u.OrgName, Disabled: u.Disabled}
	}
	return out, nil
}

// NewUser is a staff login an admin creates (enterprises register themselves). An officer
// belongs to a body; a liaison works in a county, or the whole city when it has none.
type NewUser struct {
	Username    string `json:"username" form:"username" validate:"required,username"`
	Password    string `json:"password" form:"password" validate:"required,min=10,max=128"`
	Role        string `json:"role" form:"role" validate:"required,oneof=observer liaison officer provider operator admin"`
	DisplayName string `json:"display_name" form:"display_name" validate:"max=120"`
	BodyID      uint   `json:"body_id" form:"body_id" validate:"required_if=Role officer"`
	County      string `json:"county" form:"county" validate:"omitempty,county"`
	OrgName     string `json:"org_name" form:"org_name" validate:"max=200"`
}

// Normalize trims what people type.
func (n *NewUser) Normalize() {
	n.Username = strings.ToLower(strings.TrimSpace(n.Username))
	n.DisplayName, n.OrgName = strings.TrimSpace(n.DisplayName), strings.TrimSpace(n.OrgName)
}

// ErrUsernameTaken is a username another login has.
var ErrUsernameTaken = &errs.Error{Kind: errs.Conflict, Code: "conflict", Key: "err.form", Fields: map[string]string{"username": "err.username_taken"}}

// CreateUser makes a staff login; n has passed the validator. It answers the new login's id.
func (s *Service) CreateUser(ctx context.Context, a account.Actor, n NewUser) (uint, error) {
	if err := allow(a, account.ManageUsers); err != nil {
		return 0, err
	}
	n.Normalize()
	if why := account.PasswordWeakness(n.Password, n.Username, n.DisplayName); why != "" {
		return 0, errs.Field("password", "err.password_"+why)
	}
	role := account.Role(n.Role)
	if !role.Valid() || role == account.RoleEnterprise {
		return 0, errs.Field("role", "err.invalid")
	}
	u := &account.User{Username: n.Username, Role: role, DisplayName: n.DisplayName, OrgName: n.OrgName}
	switch role {
	case account.RoleOfficer:
		if n.BodyID == 0 {
			return 0, errs.Field("body_id", "err.required")
		}
		if _, err := s.St.Body(ctx, n.BodyID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return 0, errs.Field("body_id", "err.invalid")
			}
			return 0, fmt.Errorf("admin: create user: %w", err)
		}
		id := n.BodyID
		u.BodyID = &id
	case account.RoleLiaison:
		u.CountyCode = n.County
	}
	hash, err := account.HashPassword(n.Password)
	if err != nil {
		return 0, fmt.Errorf("admin: create user: %w", err)
	}
	u.PasswordHash = hash
	now := s.Clock.Now()
	u.CreatedAt, u.UpdatedAt = now, now
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.CreateUser(ctx, u); err != nil {
			return err
		}
		return s.record(ctx, a, "user.create", "user", uint64(u.ID), struct {
			Role string `json:"role"`
		}{string(u.Role)})
	})
	if errors.Is(err, store.ErrConflict) {
		return 0, ErrUsernameTaken
	}
	if err != nil {
		return 0, fmt.Errorf("admin: create user: %w", err)
	}
	return u.ID, nil
}

// SetDisabled turns a login off, ending its sessions, or on again. An admin cannot lock
// themself out.
func (s *Service) SetDisabled(ctx context.Context, a account.Actor, userID uint, disabled bool) error {
	if err := allow(a, account.ManageUsers); err != nil {
		return err
	}
	if disabled && userID == a.UserID {
		return ErrDisableSelf
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.SetUserDisabled(ctx, userID, disabled); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if err := s.St.DeleteUserSessions(ctx, userID); err != nil {
				return err
			}
		}
		return s.record(ctx, a, action, "user", uint64(userID), nil)
	})
	if err != nil {
		return notFound("set disabled", err)
	}
	return nil
}
