package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// FederationConfig names the unified identity platform (统一身份认证平台) the portal trusts for
// the legal-person login by OpenID Connect, and where the credit code sits in its ID tokens.
type FederationConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string // this portal's /login/oidc/callback, absolute
	USCCClaim    string // the ID token claim holding the enterprise's credit code; empty: "uscc"
	NameClaim    string // the claim holding its name; empty: "name"
	Scopes       []string
}

// Federation is the relying party of the legal-person login (coreos/go-oidc): it discovers the
// provider on first use, sends people there with state, nonce and PKCE, and verifies the ID
// token it gets back (signature by the provider's keys, issuer, audience, expiry, nonce).
type Federation struct {
	Config FederationConfig

	mu       sync.Mutex
	provider *oidc.Provider
}

// Refusals of the legal-person login.
var (
	ErrFederation = errs.New(errs.Unauthorized, "federation_failed", "err.oidc_failed")
	ErrNoUSCC     = errs.New(errs.Unauthorized, "federation_no_uscc", "err.oidc_no_uscc")
)

func (f *Federation) discover(ctx context.Context) (*oidc.Provider, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.provider != nil {
		return f.provider, nil
	}
	p, err := oidc.NewProvider(ctx, f.Config.Issuer)
	if err != nil {
		return nil, fmt.Errorf("signin: identity platform discovery: %w", errs.Wrap(errs.Unavailable, "unavailable", err))
	}
	f.provider = p
	return p, nil
}

func (f *Federation) oauth(p *oidc.Provider) *oauth2.Config {
	scopes := append([]string{oidc.ScopeOpenID}, f.Config.Scopes...)
	return &oauth2.Config{ClientID: f.Config.ClientID, ClientSecret: f.Config.ClientSecret, RedirectURL: f.Config.RedirectURL, Endpoint: p.Endpoint(), Scopes: slices.Compact(scopes)}
}

// Attempt is what a browser keeps between leaving for the provider and coming back: never in
// the address, only in a cookie the portal signs.
type Attempt struct {
	State, Nonce, Verifier string
}

// Start makes a new attempt and the provider's address to send the browser to.
func (f *Federation) Start(ctx context.Context) (string, Attempt, error) {
	p, err := f.discover(ctx)
	if err != nil {
		return "", Attempt{}, err
	}
	at := Attempt{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier()}
	u := f.oauth(p).AuthCodeURL(at.State, oidc.Nonce(at.Nonce), oauth2.S256ChallengeOption(at.Verifier))
	return u, at, nil
}

// Identity is a person the provider vouched for: its subject, and the enterprise (credit code,
// name) it may act for as its legal person.
type Identity struct {
	Issuer, Subject, USCC, Name string
}

// Finish trades the code the provider sent back for a verified ID token of attempt at. A state
// that is not the attempt's, a token not signed by the provider, for another client, expired or
// of another nonce, is ErrFederation; a token without a valid credit code is ErrNoUSCC.
func (f *Federation) Finish(ctx context.Context, at Attempt, state, code string) (Identity, error) {
	if at.State == "" || state != at.State || code == "" {
		return Identity{}, ErrFederation
	}
	p, err := f.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := f.oauth(p).Exchange(ctx, code, oauth2.VerifierOption(at.Verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("signin: code exchange: %v: %w", err, ErrFederation)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, ErrFederation
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: f.Config.ClientID}).Verify(ctx, raw)
	if err != nil {
		return Identity{}, fmt.Errorf("signin: id token: %v: %w", err, ErrFederation)
	}
	if idt.Nonce != at.Nonce {
		return Identity{}, ErrFederation
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, ErrFederation
	}
	uc, nc := f.Config.USCCClaim, f.Config.NameClaim
	if uc == "" {
		uc = "uscc"
	}
	if nc == "" {
		nc = "name"
	}
	uscc, _ := claims[uc].(string)
	name, _ := claims[nc].(string)
	uscc = account.NormalizeUSCC(uscc)
	if !account.ValidUSCC(uscc) {
		return Identity{}, ErrNoUSCC
	}
	return Identity{Issuer: idt.Issuer, Subject: idt.Subject, USCC: uscc, Name: strings.TrimSpace(name)}, nil
}

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// LogInFederated starts a web session for a person the identity platform vouched for as the
// legal person of an enterprise. The platform's word is the verification a reviewer would
// otherwise give: the login acts for the enterprise at once (made on first sight, with the
// enterprise if the code is new), and every other application for the code — a squatter's,
// pending or approved — is refused and its sessions ended. Audited.
func (s *Service) LogInFederated(ctx context.Context, id Identity, previous string) (Started, error) {
	if id.Issuer == "" || id.Subject == "" || !account.ValidUSCC(id.USCC) {
		return Started{}, ErrFederation
	}
	now := s.Clock.Now()
	var userID uint
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		e, err := s.St.EnterpriseByUSCC(ctx, id.USCC)
		if errors.Is(err, store.ErrNotFound) {
			name := id.Name
			if name == "" {
				name = id.USCC
			}
			county := id.USCC[2:8]
			if !slices.Contains(account.CountyCodes, county) {
				county = ""
			}
			e = &account.Enterprise{USCC: id.USCC, Name: name, CountyCode: county, Industry: "other", CreatedAt: now, UpdatedAt: now}
			err = s.St.CreateEnterprise(ctx, e)
		}
		if err != nil {
			return err
		}
		uid, err := s.St.FederatedUser(ctx, id.Issuer, id.Subject)
		switch {
		case err == nil:
			u, err := s.St.User(ctx, uid)
			if err != nil {
				return err
			}
			if u.Disabled {
				return ErrBadCredentials
			}
			if u.EnterpriseID == nil || *u.EnterpriseID != e.ID {
				return errs.New(errs.Forbidden, "federation_other_enterprise", "err.oidc_other_enterprise")
			}
			userID = u.ID
		case errors.Is(err, store.ErrNotFound):
			h := sha256.Sum256([]byte(id.Issuer + "\x00" + id.Subject))
			hash, err := account.HashPassword(randomString() + randomString()) // no password works
			if err != nil {
				return err
			}
			eid := e.ID
			u := &account.User{Username: "lp-" + hex.EncodeToString(h[:6]), PasswordHash: hash, Role: account.RoleEnterprise,
				DisplayName: e.Name, EnterpriseID: &eid, EnterpriseVerified: true, CreatedAt: now, UpdatedAt: now}
			if err := s.St.CreateUser(ctx, u); err != nil {
				return err
			}
			if err := s.St.CreateFederatedIdentity(ctx, &store.FederatedIdentity{Issuer: id.Issuer, Subject: id.Subject, UserID: u.ID, CreatedAt: now}); err != nil {
				return err
			}
			userID = u.ID
			if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: u.ID, ActorRole: string(u.Role), Action: "enterprise.federated", ObjectType: "enterprise", ObjectID: uint64(e.ID),
				Detail: fmt.Sprintf(`{"issuer":%q}`, id.Issuer)}); err != nil {
				return err
			}
		default:
			return err
		}
		if err := s.St.SetEnterpriseVerified(ctx, userID, true); err != nil {
			return err
		}
		claims, err := s.St.ClaimsOfEnterprise(ctx, e.ID)
		if err != nil {
			return err
		}
		platform := account.Actor{UserID: userID, Role: account.RoleEnterprise}
		var told []*store.Claim
		for i := range claims {
			c := &claims[i]
			if c.UserID == userID || c.Status == store.ClaimRefused {
				continue
			}
			if err := s.refuse(ctx, platform, c, "统一身份认证平台已确认该企业的法定代表人 / the identity platform confirmed the enterprise's legal person", now); err != nil {
				return err
			}
			told = append(told, c)
			if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: userID, ActorRole: string(account.RoleEnterprise), Action: "claim.refuse", ObjectType: "claim", ObjectID: c.ID,
				Detail: `{"by":"identity platform"}`}); err != nil {
				return err
			}
		}
		for _, c := range told {
			if err := s.tellRefused(ctx, c, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return Started{}, err
		}
		return Started{}, fmt.Errorf("signin: federated login: %w", err)
	}
	if previous != "" {
		if err := s.EndSession(ctx, previous); err != nil {
			return Started{}, err
		}
	}
	return s.StartSession(ctx, userID, KindWeb)
}
