package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/signin"
	"qijian/portal/api"
)

// apiToken trades a username and password for a bearer token: the login page's twin. A wrong
// password and an unknown user get the same 401, a locked account 429.
func (s *Server) apiToken(c *fiber.Ctx, _ *struct{}, f *signin.Credentials) (api.Token, error) {
	f.From = s.clientAddr(c)
	started, err := s.svc.SignIn.LogIn(c.UserContext(), *f, signin.KindAPI, "")
	if err != nil {
		return api.Token{}, err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return api.Token{Token: started.Secret, ExpiresAt: started.ExpiresAt.UTC()}, nil
}

// apiRevoke ends the caller's token.
func (s *Server) apiRevoke(c *fiber.Ctx, _, _ *struct{}) (NoContent, error) {
	token, ok := bearerToken(c)
	if !ok {
		return NoContent{}, signin.ErrNoSession
	}
	return NoContent{}, s.svc.SignIn.EndSession(c.UserContext(), token)
}

// apiRegister is the registration page's twin: 202 and the same answer whatever is taken.
func (s *Server) apiRegister(c *fiber.Ctx, _ *struct{}, r *signin.Registration) (api.Received, error) {
	if err := s.svc.SignIn.Register(c.UserContext(), *r); err != nil {
		return api.Received{}, err
	}
	return api.Received{Status: "received"}, nil
}

// apiMe answers who the caller is, with its enterprise, body or county scope. Names are the
// registered (Chinese) ones.
func (s *Server) apiMe(c *fiber.Ctx, _, _ *struct{}) (api.Me, error) {
	p, err := s.svc.SignIn.Profile(c.UserContext(), viewerOf(c).Caller, "zh")
	if err != nil {
		return api.Me{}, err
	}
	return meOf(p), nil
}

func meOf(p signin.Profile) api.Me {
	out := api.Me{ID: p.UserID, Username: p.Username, Role: string(p.Role), DisplayName: p.DisplayName, Members: p.Members, OrgName: p.OrgName, Applicant: p.Applicant}
	if e := p.Enterprise; e != nil {
		out.Enterprise = &api.MeEnterprise{ID: e.ID, Name: e.Name, USCC: e.USCC, County: e.County, Industry: e.Industry}
	}
	if b := p.Body; b != nil {
		out.Body = &api.MeBody{ID: b.ID, Name: b.Name, County: b.County}
	}
	if p.Role == account.RoleLiaison {
		out.Scope = &api.LiaisonScope{Level: "city"}
		if p.County != "" {
			out.Scope = &api.LiaisonScope{Level: "county", County: p.County}
		}
	}
	return out
}
