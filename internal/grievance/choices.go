package grievance

import (
	"context"
	"fmt"

	"qijian/internal/account"
)

// The forms around orders offer choices: these are what each form may offer its viewer.

// Unit is an enforcement body, to report or to dispatch to.
type Unit struct {
	ID     uint
	NameZh string
	NameEn string
}

// Liaison is a liaison an order may be assigned to.
type Liaison struct {
	ID          uint
	DisplayName string
	Username    string
}

// County is a county the city's queue may be narrowed to.
type County struct {
	Code   string
	NameZh string
	NameEn string
}

// FilingChoices is what the filing form offers: the bodies one may report, and for an
// observation point the member enterprises that consented to its filings.
type FilingChoices struct {
	Bodies   []Unit
	Members  []Party
	Observer bool // the filer is an observation point: it names the member and its consent
}

// FilingChoices reads the filing form's choices for by.
func (s *Service) FilingChoices(ctx context.Context, by account.Actor) (FilingChoices, error) {
	units, err := s.units(ctx)
	if err != nil {
		return FilingChoices{}, err
	}
	out := FilingChoices{Bodies: units, Observer: by.Role == account.RoleObserver}
	if !out.Observer || len(by.Members) == 0 {
		return out, nil
	}
	names, err := s.St.EnterpriseNames(ctx, by.Members)
	if err != nil {
		return FilingChoices{}, fmt.Errorf("complaint: filing form: %w", err)
	}
	for _, id := range by.Members {
		if name, ok := names[id]; ok {
			out.Members = append(out.Members, Party{ID: id, Name: name})
		}
	}
	return out, nil
}

// QueueChoices is what the queue page offers by.
type QueueChoices struct {
	CanFile  bool      // enterprises and observation points file from here
	Staff    bool      // liaisons and admins: filters, export, bulk assignment
	Liaisons []Liaison // staff: whom the bulk form may assign to
	Counties []County  // the city level: the counties its queue may be narrowed to
}

// QueueChoices reads the queue page's choices for by.
func (s *Service) QueueChoices(ctx context.Context, by account.Actor) (QueueChoices, error) {
	out := QueueChoices{CanFile: by.Role == account.RoleEnterprise || by.Role == account.RoleObserver, Staff: staff(by)}
	if !out.Staff {
		return out, nil
	}
	var err error
	if out.Liaisons, err = s.liaisonsFor(ctx, by.CountyCode); err != nil {
		return QueueChoices{}, err
	}
	if by.CountyCode == "" {
		counties, err := s.St.Counties(ctx)
		if err != nil {
			return QueueChoices{}, fmt.Errorf("complaint: queue: %w", err)
		}
		for _, c := range counties {
			out.Counties = append(out.Counties, County{Code: c.Code, NameZh: c.NameZh, NameEn: c.NameEn})
		}
	}
	return out, nil
}

// ActionChoices is what the order page's action form offers by.
type ActionChoices struct {
	Staff    bool      // liaisons and admins: reroute, reclassify, assign
	Units    []Unit    // where the order may be dispatched or transferred to
	Liaisons []Liaison // staff: who may work orders of the order's county
}

// ActionChoices reads the action form's choices for an order of county.
func (s *Service) ActionChoices(ctx context.Context, by account.Actor, county string) (ActionChoices, error) {
	units, err := s.units(ctx)
	if err != nil {
		return ActionChoices{}, err
	}
	out := ActionChoices{Staff: staff(by), Units: units}
	if out.Staff {
		if out.Liaisons, err = s.liaisonsFor(ctx, county); err != nil {
			return ActionChoices{}, err
		}
	}
	return out, nil
}

func (s *Service) units(ctx context.Context) ([]Unit, error) {
	bodies, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, fmt.Errorf("complaint: bodies: %w", err)
	}
	out := make([]Unit, len(bodies))
	for i, b := range bodies {
		out[i] = Unit{ID: b.ID, NameZh: b.NameZh, NameEn: b.NameEn}
	}
	return out, nil
}

// liaisonsFor lists the liaisons who may work orders of a county: its own and the city's (all,
// for the city's county "").
func (s *Service) liaisonsFor(ctx context.Context, county string) ([]Liaison, error) {
	all, err := s.St.UsersByRole(ctx, account.RoleLiaison)
	if err != nil {
		return nil, fmt.Errorf("complaint: liaisons: %w", err)
	}
	var out []Liaison
	for _, u := range all {
		if !u.Disabled && (u.CountyCode == "" || county == "" || u.CountyCode == county) {
			out = append(out, Liaison{ID: u.ID, DisplayName: u.DisplayName, Username: u.Username})
		}
	}
	return out, nil
}
