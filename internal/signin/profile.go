package signin

import (
	"context"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/errs"
)

// Profile is who the signed-in caller is, with the scope the login carries: the /me answer and the
// head of every home page. Names are in the language asked for.
type Profile struct {
	UserID      uint
	Username    string
	Role        account.Role
	DisplayName string
	OrgName     string             // observation points and providers
	Enterprise  *ProfileEnterprise // enterprise logins
	Body        *ProfileBody       // officers with a body
	County      string             // a liaison's county; empty for the whole city
	CountyName  string
	Members     []uint // an observation point's consenting member enterprises
	Applicant   bool   // an enterprise login whose application is not approved (account.ActorOf)
}

// ProfileEnterprise is the caller's own enterprise.
type ProfileEnterprise struct {
	ID           uint
	Name         string
	USCC         string
	County       string
	CountyName   string
	Industry     string
	IndustryName string
}

// ProfileBody is an officer's enforcement body.
type ProfileBody struct {
	ID     uint
	Name   string
	County string
}

// Profile reads the caller's profile. The own enterprise is shown only as the policy allows (an
// enterprise login always may see its own).
func (s *Service) Profile(ctx context.Context, c Caller, lang string) (Profile, error) {
	u, a := c.User, c.Actor
	if u == nil || u.ID == 0 || u.ID != a.UserID {
		return Profile{}, ErrNoSession
	}
	p := Profile{UserID: u.ID, Username: u.Username, Role: u.Role, DisplayName: u.DisplayName, Members: a.Members, Applicant: a.Applicant}
	switch u.Role {
	case account.RoleObserver, account.RoleProvider:
		p.OrgName = u.OrgName
	}
	var names map[string][2]string
	countyName := func(code string) (string, error) {
		if code == "" {
			return "", nil
		}
		if names == nil {
			counties, err := s.St.Counties(ctx)
			if err != nil {
				return "", err
			}
			names = make(map[string][2]string, len(counties))
			for _, k := range counties {
				names[k.Code] = [2]string{k.NameZh, k.NameEn}
			}
		}
		n := names[code]
		return pick(lang, n[0], n[1]), nil
	}
	if a.EnterpriseID != 0 {
		e, err := s.St.Enterprise(ctx, a.EnterpriseID)
		if err != nil {
			return Profile{}, fmt.Errorf("signin: profile: %w", err)
		}
		if !account.Can(a, account.ViewEnterprise, account.Object{EnterpriseID: e.ID, CountyCode: e.CountyCode}) {
			return Profile{}, errs.New(errs.NotFound, "not_found", "err.not_found")
		}
		cn, err := countyName(e.CountyCode)
		if err != nil {
			return Profile{}, fmt.Errorf("signin: profile: %w", err)
		}
		p.Enterprise = &ProfileEnterprise{ID: e.ID, Name: e.Name, USCC: e.USCC, County: e.CountyCode, CountyName: cn, Industry: e.Industry, IndustryName: industryName(e.Industry, lang)}
	}
	if a.BodyID != 0 {
		b, err := s.St.Body(ctx, a.BodyID)
		if err != nil {
			return Profile{}, fmt.Errorf("signin: profile: %w", err)
		}
		p.Body = &ProfileBody{ID: b.ID, Name: pick(lang, b.NameZh, b.NameEn), County: b.CountyCode}
	}
	if u.Role == account.RoleLiaison {
		cn, err := countyName(a.CountyCode)
		if err != nil {
			return Profile{}, fmt.Errorf("signin: profile: %w", err)
		}
		p.County, p.CountyName = a.CountyCode, cn
	}
	return p, nil
}

// industryName is an industry's name in lang, or its code when unknown.
func industryName(code, lang string) string {
	for _, i := range account.Industries {
		if i.Code == code {
			return pick(lang, i.Zh, i.En)
		}
	}
	return code
}
