package portal

import (
	"context"
	"errors"
	"strings"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/store"
)

type userForm struct {
	Username    string `json:"username" form:"username" validate:"required,username"`
	Password    string `json:"password" form:"password" validate:"required,min=10,max=128"`
	Role        string `json:"role" form:"role" validate:"required,oneof=observer liaison officer provider admin"`
	DisplayName string `json:"display_name" form:"display_name" validate:"max=120"`
	BodyID      uint   `json:"body_id" form:"body_id" validate:"required_if=Role officer"`
	County      string `json:"county" form:"county" validate:"omitempty,county"`
	OrgName     string `json:"org_name" form:"org_name" validate:"max=200"`
}

func (s *Server) adminUsers(c *fiber.Ctx) error {
	users, err := s.Store.Users(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "admin_users", fiber.Map{"Title": tr(langOf(c), "admin.users.title"), "Users": users, "Created": c.Query("created") == "1"})
}

func (s *Server) userFormData(c *fiber.Ctx, f *userForm, fields map[string]string) (fiber.Map, error) {
	bodies, err := s.Store.Bodies(c.UserContext())
	if err != nil {
		return nil, err
	}
	counties, err := s.Store.Counties(c.UserContext())
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	errs := fieldMessages(lang, fields)
	if f == nil {
		f = &userForm{}
	}
	f.Password = ""
	roles := []string{}
	for _, r := range account.Roles {
		if r != account.RoleEnterprise {
			roles = append(roles, string(r))
		}
	}
	return fiber.Map{"Title": tr(lang, "admin.users.new"), "Form": f, "Errors": errs, "Bodies": bodies, "Counties": counties, "Roles": roles}, nil
}

func (s *Server) adminUserNew(c *fiber.Ctx) error {
	data, err := s.userFormData(c, nil, nil)
	if err != nil {
		return err
	}
	return s.render(c, "admin_user_new", data)
}

// adminUserCreate makes a staff login (enterprises register themselves).
func (s *Server) adminUserCreate(c *fiber.Ctx) error {
	var f userForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	f.Username = strings.ToLower(strings.TrimSpace(f.Username))
	err := s.createUser(c, &f)
	var p *errs.Error
	if errors.As(err, &p) && len(p.Fields) > 0 {
		data, derr := s.userFormData(c, &f, p.Fields)
		if derr != nil {
			return derr
		}
		c.Status(statusOf(p))
		return s.render(c, "admin_user_new", data)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/users?created=1", fiber.StatusSeeOther)
}

func (s *Server) createUser(c *fiber.Ctx, f *userForm) error {
	if err := s.check(f); err != nil {
		return err
	}
	if msg := account.PasswordProblem(f.Password); msg != "" {
		return errs.InvalidFields(map[string]string{"password": "err.min"})
	}
	u := &account.User{Username: f.Username, Role: account.Role(f.Role), DisplayName: strings.TrimSpace(f.DisplayName), OrgName: strings.TrimSpace(f.OrgName)}
	switch u.Role {
	case account.RoleOfficer:
		if _, err := s.Store.Body(c.UserContext(), f.BodyID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return errs.InvalidFields(map[string]string{"body_id": "err.invalid"})
			}
			return err
		}
		id := f.BodyID
		u.BodyID = &id
	case account.RoleLiaison:
		u.CountyCode = f.County
	}
	hash, err := account.HashPassword(f.Password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	now := s.Clock.Now()
	u.CreatedAt, u.UpdatedAt = now, now
	err = s.Store.WithTx(c.UserContext(), func(ctx context.Context) error {
		if err := s.Store.CreateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, c, "user.create", "user", uint64(u.ID), `{"role":"`+string(u.Role)+`"}`)
	})
	if errors.Is(err, store.ErrConflict) {
		return &errs.Error{Kind: errs.Conflict, Code: "conflict", Key: "err.form", Fields: map[string]string{"username": "err.username_taken"}}
	}
	return err
}

// adminUserDisable turns a login off (ending its sessions) or on again. An admin cannot lock
// themself out.
func (s *Server) adminUserDisable(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return errNotFound
	}
	disable := c.FormValue("disabled") == "1"
	if uint(id) == viewerOf(c).User.ID && disable {
		return errForbidden
	}
	ctx := c.UserContext()
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.SetUserDisabled(ctx, uint(id), disable); err != nil {
			return err
		}
		action := "user.enable"
		if disable {
			action = "user.disable"
			if err := s.Store.DeleteUserSessions(ctx, uint(id)); err != nil {
				return err
			}
		}
		return s.audit(ctx, c, action, "user", uint64(id), "")
	})
	if err != nil {
		return err
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}
