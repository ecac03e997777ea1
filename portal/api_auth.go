package portal

import (
	"errors"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/signin"
)

// apiToken trades a username and password for a bearer token. A wrong password and an unknown
// user get the same 401.
func (s *Server) apiToken(c *fiber.Ctx) error {
	var f loginForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	u, err := s.auth.Login(c.UserContext(), f.Username, f.Password)
	var locked *signin.LockedError
	switch {
	case errors.As(err, &locked):
		return errs.New(errs.Limited, "account_locked", "err.locked")
	case errors.Is(err, signin.ErrBadCredentials):
		return errs.New(errs.Unauthorized, "bad_credentials", "err.bad_credentials")
	case err != nil:
		return err
	}
	secret, ss, err := s.auth.StartSession(c.UserContext(), u.ID, signin.KindAPI)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"token": secret, "expires_at": ss.ExpiresAt.UTC()})
}

// apiRevoke ends the caller's token.
func (s *Server) apiRevoke(c *fiber.Ctx) error {
	token, ok := bearerToken(c)
	if !ok {
		return errs.New(errs.Unauthorized, "unauthorized", "err.bad_credentials")
	}
	if err := s.auth.EndSession(c.UserContext(), token); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) apiRegister(c *fiber.Ctx) error {
	var r signin.Registration
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	if err := s.register(c, &r); err != nil {
		return err
	}
	u, err := s.Store.UserByUsername(c.UserContext(), r.Username)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"user_id": u.ID, "enterprise_id": *u.EnterpriseID, "username": u.Username})
}

// apiMe answers who the caller is, with its enterprise, body or county scope.
func (s *Server) apiMe(c *fiber.Ctx) error {
	v := viewerOf(c)
	ctx := c.UserContext()
	out := fiber.Map{"id": v.User.ID, "username": v.User.Username, "role": v.User.Role, "display_name": v.User.DisplayName}
	if v.Actor.EnterpriseID != 0 {
		e, err := s.Store.Enterprise(ctx, v.Actor.EnterpriseID)
		if err != nil {
			return err
		}
		out["enterprise"] = fiber.Map{"id": e.ID, "name": e.Name, "uscc": e.USCC, "county": e.CountyCode, "industry": e.Industry}
	}
	if v.Actor.BodyID != 0 {
		b, err := s.Store.Body(ctx, v.Actor.BodyID)
		if err != nil {
			return err
		}
		out["body"] = fiber.Map{"id": b.ID, "name": b.NameZh, "county": b.CountyCode}
	}
	if v.User.Role == "liaison" {
		scope := fiber.Map{"level": "city"}
		if v.Actor.CountyCode != "" {
			scope = fiber.Map{"level": "county", "county": v.Actor.CountyCode}
		}
		out["scope"] = scope
	}
	if v.User.Role == "observer" {
		out["members"] = v.Actor.Members
		out["org_name"] = v.User.OrgName
	}
	if v.User.Role == "provider" {
		out["org_name"] = v.User.OrgName
	}
	return c.JSON(out)
}
