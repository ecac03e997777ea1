package booking

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/store"
)

// The catalogue is master data (seed §2.8 一: keep it data-driven): admins add and change its
// entries, each with the provider that serves it.

// ServiceInput is a catalogue entry as the admin form or the API gives it.
type ServiceInput struct {
	Code       string   `json:"code" form:"code" validate:"required,max=40,username"`
	Kind       string   `json:"kind" form:"kind" validate:"required,oneof=checkup risk legal menu"`
	NameZh     string   `json:"name_zh" form:"name_zh" validate:"required,max=120"`
	NameEn     string   `json:"name_en" form:"name_en" validate:"required,max=120"`
	DescZh     string   `json:"description_zh" form:"description_zh" validate:"max=4000"`
	DescEn     string   `json:"description_en" form:"description_en" validate:"max=4000"`
	Industries []string `json:"industries" form:"industries" validate:"max=20,dive,industry" doc:"empty: every industry"`
	Minutes    int      `json:"minutes" form:"minutes" validate:"required,min=15,max=480"`
	Mode       string   `json:"mode" form:"mode" validate:"required,oneof=online onsite both"`
	ProviderID uint     `json:"provider_id" form:"provider_id" validate:"required" doc:"the provider's user id"`
	Active     bool     `json:"active" form:"active"`
}

// Normalize trims what people type; codes are lower case, industries each once, in the order
// the store keeps them.
func (in *ServiceInput) Normalize() {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.NameZh, in.NameEn = strings.TrimSpace(in.NameZh), strings.TrimSpace(in.NameEn)
	if in.Industries != nil {
		in.Industries = slices.Compact(slices.Sorted(slices.Values(in.Industries)))
	}
}

// NewServiceInput is the form for a new entry.
func NewServiceInput() *ServiceInput {
	return &ServiceInput{Kind: "menu", Minutes: 60, Mode: "both", Active: true}
}

func (s *Service) manageCatalogue(a account.Actor) error {
	if !account.Can(a, account.ManageMasterData, account.Object{}) {
		return ErrForbidden
	}
	return nil
}

// AllServices is the whole catalogue, inactive entries too, for its admins.
func (s *Service) AllServices(ctx context.Context, a account.Actor) ([]ServiceView, error) {
	if err := s.manageCatalogue(a); err != nil {
		return nil, err
	}
	all, err := s.St.Services(ctx, true)
	if err != nil {
		return nil, err
	}
	out := make([]ServiceView, len(all))
	for i := range all {
		out[i] = serviceView(&all[i])
	}
	return out, nil
}

// ServiceInputOf is entry id as its edit form starts.
func (s *Service) ServiceInputOf(ctx context.Context, a account.Actor, id uint) (*ServiceInput, error) {
	if err := s.manageCatalogue(a); err != nil {
		return nil, err
	}
	sv, err := s.St.Service(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	return &ServiceInput{Code: sv.Code, Kind: sv.Kind, NameZh: sv.NameZh, NameEn: sv.NameEn, DescZh: sv.DescZh, DescEn: sv.DescEn,
		Industries: sv.Industries, Minutes: sv.Minutes, Mode: sv.Mode, ProviderID: sv.ProviderID, Active: sv.Active}, nil
}

// SaveService adds an entry (id 0) or changes entry id, and records who did.
func (s *Service) SaveService(ctx context.Context, a account.Actor, id uint, in ServiceInput) (*ServiceView, error) {
	if err := s.manageCatalogue(a); err != nil {
		return nil, err
	}
	in.Normalize()
	var out ServiceView
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		sv := &store.Service{CreatedAt: now}
		if id != 0 {
			var err error
			if sv, err = s.St.Service(ctx, id); err != nil {
				return notFound(err)
			}
		}
		if u, err := s.St.User(ctx, in.ProviderID); errors.Is(err, store.ErrNotFound) || (err == nil && u.Role != account.RoleProvider) {
			return ErrProvider
		} else if err != nil {
			return err
		}
		sv.Code, sv.Kind, sv.NameZh, sv.NameEn, sv.DescZh, sv.DescEn = in.Code, in.Kind, in.NameZh, in.NameEn, in.DescZh, in.DescEn
		sv.Industries, sv.Minutes, sv.Mode, sv.ProviderID, sv.Active, sv.UpdatedAt = in.Industries, in.Minutes, in.Mode, in.ProviderID, in.Active, now
		if err := s.St.SaveService(ctx, sv); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return ErrCodeTaken
			}
			return err
		}
		detail, _ := json.Marshal(map[string]string{"code": sv.Code})
		out = serviceView(sv)
		return s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: a.UserID, ActorRole: string(a.Role), Action: "service.save", ObjectType: "service", ObjectID: uint64(sv.ID), Detail: string(detail)})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ProviderView is a provider's login, as the catalogue form offers it.
type ProviderView struct {
	ID                uint
	Username, OrgName string
}

// Providers lists the providers an entry may be given to.
func (s *Service) Providers(ctx context.Context, a account.Actor) ([]ProviderView, error) {
	if err := s.manageCatalogue(a); err != nil {
		return nil, err
	}
	users, err := s.St.UsersByRole(ctx, account.RoleProvider)
	if err != nil {
		return nil, err
	}
	out := make([]ProviderView, len(users))
	for i, u := range users {
		out[i] = ProviderView{ID: u.ID, Username: u.Username, OrgName: u.OrgName}
	}
	return out, nil
}
