package admin

import (
	"context"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/grievance/lifecycle"
)

// BodyOption is an enforcement body in a form's list.
type BodyOption struct {
	ID   uint
	Name string
}

// CountyOption is a county in a form's list.
type CountyOption struct {
	Code string
	Name string
}

// Options are the lists the admin forms offer, named in the reader's language. Bodies and
// counties are public (the penalty lists name them), so no actor is needed.
type Options struct {
	Bodies   []BodyOption
	Counties []CountyOption
	Roles    []string // the staff roles an admin may create (enterprises register themselves)
	Types    []string // the work order types a routing rule may match
}

// Options reads the form lists.
func (s *Service) Options(ctx context.Context, lang string) (Options, error) {
	bodies, err := s.St.Bodies(ctx)
	if err != nil {
		return Options{}, fmt.Errorf("admin: options: %w", err)
	}
	counties, err := s.St.Counties(ctx)
	if err != nil {
		return Options{}, fmt.Errorf("admin: options: %w", err)
	}
	o := Options{Bodies: make([]BodyOption, len(bodies)), Counties: make([]CountyOption, len(counties))}
	for i, b := range bodies {
		o.Bodies[i] = BodyOption{ID: b.ID, Name: pick(lang, b.NameZh, b.NameEn)}
	}
	for i, k := range counties {
		o.Counties[i] = CountyOption{Code: k.Code, Name: pick(lang, k.NameZh, k.NameEn)}
	}
	for _, r := range account.Roles {
		if r != account.RoleEnterprise {
			o.Roles = append(o.Roles, string(r))
		}
	}
	for _, t := range lifecycle.Types {
		o.Types = append(o.Types, string(t))
	}
	return o, nil
}

// names resolves body ids and county codes to names in lang, for the lists.
type names struct {
	bodies   map[uint]string
	counties map[string]string
}

func (s *Service) names(ctx context.Context, lang string) (names, error) {
	o, err := s.Options(ctx, lang)
	if err != nil {
		return names{}, err
	}
	n := names{bodies: make(map[uint]string, len(o.Bodies)), counties: make(map[string]string, len(o.Counties))}
	for _, b := range o.Bodies {
		n.bodies[b.ID] = b.Name
	}
	for _, k := range o.Counties {
		n.counties[k.Code] = k.Name
	}
	return n, nil
}
