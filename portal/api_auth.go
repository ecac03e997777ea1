package portal

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/signin"
	"qijian/portal/api"
)

// apiToken trades a username and password for a bearer token. A wrong password and an unknown
// user get the same 401.
func (s *Server) apiToken(c *fiber.Ctx, _ *struct{}, f *loginForm) (api.Token, error) {
	u, err := s.svc.SignIn.Login(c.UserContext(), f.Username, f.Password)
	var locked *signin.LockedError
	switch {
	case errors.As(err, &locked):
		return api.Token{}, errs.New(errs.Limited, "account_locked", "err.locked")
	case errors.Is(err, signin.ErrBadCredentials):
		return api.Token{}, errs.New(errs.Unauthorized, "bad_credentials", "err.bad_credentials")
	case err != nil:
		return api.Token{}, err
	}
	secret, ss, err := s.svc.SignIn.StartSession(c.UserContext(), u.ID, signin.KindAPI)
	if err != nil {
		return api.Token{}, err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return api.Token{Token: secret, ExpiresAt: ss.ExpiresAt.UTC()}, nil
}

// apiRevoke ends the caller's token.
func (s *Server) apiRevoke(c *fiber.Ctx, _, _ *struct{}) (NoContent, error) {
	token, ok := bearerToken(c)
	if !ok {
		return NoContent{}, errs.New(errs.Unauthorized, "unauthorized", "err.bad_credentials")
	}
	return NoContent{}, s.svc.SignIn.EndSession(c.UserContext(), token)
}

func (s *Server) apiRegister(c *fiber.Ctx, _ *struct{}, r *signin.Registration) (api.Registered, error) {
	if err := s.register(c, r); err != nil {
		return api.Registered{}, err
	}
	u, err := s.Store.UserByUsername(c.UserContext(), r.Username)
	if err != nil {
		return api.Registered{}, err
	}
	return api.Registered{UserID: u.ID, EnterpriseID: *u.EnterpriseID, Username: u.Username}, nil
}

// apiMe answers who the caller is, with its enterprise, body or county scope.
func (s *Server) apiMe(c *fiber.Ctx, _, _ *struct{}) (api.Me, error) {
	v := viewerOf(c)
	ctx := c.UserContext()
	out := api.Me{ID: v.User.ID, Username: v.User.Username, Role: string(v.User.Role), DisplayName: v.User.DisplayName}
	if v.Actor.EnterpriseID != 0 {
		e, err := s.Store.Enterprise(ctx, v.Actor.EnterpriseID)
		if err != nil {
			return api.Me{}, err
		}
		out.Enterprise = &api.MeEnterprise{ID: e.ID, Name: e.Name, USCC: e.USCC, County: e.CountyCode, Industry: e.Industry}
	}
	if v.Actor.BodyID != 0 {
		b, err := s.Store.Body(ctx, v.Actor.BodyID)
		if err != nil {
			return api.Me{}, err
		}
		out.Body = &api.MeBody{ID: b.ID, Name: b.NameZh, County: b.CountyCode}
	}
	switch v.User.Role {
	case "liaison":
		out.Scope = &api.LiaisonScope{Level: "city"}
		if v.Actor.CountyCode != "" {
			out.Scope = &api.LiaisonScope{Level: "county", County: v.Actor.CountyCode}
		}
	case "observer":
		out.Members, out.OrgName = v.Actor.Members, v.User.OrgName
	case "provider":
		out.OrgName = v.User.OrgName
	}
	return out, nil
}
