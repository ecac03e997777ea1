package store

import (
	"context"
	"strings"
	"time"

	"qijian/internal/account"
)

// Counties lists the county-level units in their official order.
func (s *Store) Counties(ctx context.Context) ([]account.County, error) {
	var out []account.County
	err := s.DB(ctx).Order("sort").Find(&out).Error
	return out, mapErr("counties", err)
}

// CreateEnterprise inserts e; a taken credit code is ErrConflict.
func (s *Store) CreateEnterprise(ctx context.Context, e *account.Enterprise) error {
	return mapErr("create enterprise", s.DB(ctx).Create(e).Error)
}

// Enterprise reads one enterprise.
func (s *Store) Enterprise(ctx context.Context, id uint) (*account.Enterprise, error) {
	var e account.Enterprise
	err := s.DB(ctx).First(&e, id).Error
	return &e, mapErr("enterprise", err)
}

// EnterpriseNames reads the names of many enterprises in one query, for lists.
func (s *Store) EnterpriseNames(ctx context.Context, ids []uint) (map[uint]string, error) {
	out := make(map[uint]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []account.Enterprise
	if err := s.DB(ctx).Select("id", "name").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, mapErr("enterprise names", err)
	}
	for _, e := range rows {
		out[e.ID] = e.Name
	}
	return out, nil
}

// EnterpriseByUSCC finds an enterprise by its credit code.
func (s *Store) EnterpriseByUSCC(ctx context.Context, uscc string) (*account.Enterprise, error) {
	var e account.Enterprise
	err := s.DB(ctx).Where("uscc = ?", uscc).First(&e).Error
	return &e, mapErr("enterprise by uscc", err)
}

// Enterprises lists enterprises, newest first, limited.
func (s *Store) Enterprises(ctx context.Context, limit int) ([]account.Enterprise, error) {
	var out []account.Enterprise
	err := s.DB(ctx).Order("id desc").Limit(limit).Find(&out).Error
	return out, mapErr("enterprises", err)
}

// CreateUser inserts u; a taken username is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *account.User) error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	return mapErr("create user", s.DB(ctx).Create(u).Error)
}

// User reads one user.
func (s *Store) User(ctx context.Context, id uint) (*account.User, error) {
	var u account.User
	err := s.DB(ctx).First(&u, id).Error
	return &u, mapErr("user", err)
}

// UserByUsername finds a user by login name (case-insensitive).
func (s *Store) UserByUsername(ctx context.Context, username string) (*account.User, error) {
	var u account.User
	err := s.DB(ctx).Where("username = ?", strings.ToLower(strings.TrimSpace(username))).First(&u).Error
	return &u, mapErr("user by username", err)
}

// Users lists users in id order.
func (s *Store) Users(ctx context.Context) ([]account.User, error) {
	var out []account.User
	err := s.DB(ctx).Order("id").Find(&out).Error
	return out, mapErr("users", err)
}

// SetUserPassword replaces a user's hash and clears any lockout.
func (s *Store) SetUserPassword(ctx context.Context, id uint, hash string) error {
	return mapErr("set password", s.DB(ctx).Model(&account.User{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "failed_logins": 0, "locked_until": nil}).Error)
}

// SetUserDisabled turns a login off or on.
func (s *Store) SetUserDisabled(ctx context.Context, id uint, disabled bool) error {
	res := s.DB(ctx).Model(&account.User{}).Where("id = ?", id).Update("disabled", disabled)
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr("disable user", errNoRows)
	}
	return mapErr("disable user", res.Error)
}

// RecordLoginFailure counts a failed login and locks the account for lockFor once max is reached.
// It returns the lock's end, if the account is now locked.
func (s *Store) RecordLoginFailure(ctx context.Context, id uint, max int, now time.Time, lockFor time.Duration) (*time.Time, error) {
	var locked *time.Time
	err := s.WithTx(ctx, func(ctx context.Context) error {
		var u account.User
		if err := s.DB(ctx).First(&u, id).Error; err != nil {
			return err
		}
		n := u.FailedLogins + 1
		upd := map[string]any{"failed_logins": n}
		if n >= max {
			until := now.Add(lockFor)
			upd["locked_until"] = until
			upd["failed_logins"] = 0
			locked = &until
		}
		return s.DB(ctx).Model(&account.User{}).Where("id = ?", id).Updates(upd).Error
	})
	return locked, mapErr("record login failure", err)
}

// RecordLoginSuccess clears the failure count.
func (s *Store) RecordLoginSuccess(ctx context.Context, id uint) error {
	return mapErr("record login success", s.DB(ctx).Model(&account.User{}).Where("id = ?", id).
		Updates(map[string]any{"failed_logins": 0, "locked_until": nil}).Error)
}

// ObservationMembers returns the enterprises that consented to an observation point.
func (s *Store) ObservationMembers(ctx context.Context, observerID uint) ([]uint, error) {
	var ids []uint
	err := s.DB(ctx).Table("observation_members").Where("observer_id = ?", observerID).Order("enterprise_id").Pluck("enterprise_id", &ids).Error
	return ids, mapErr("observation members", err)
}

// AddObservationMember records an enterprise's consent to be represented by an observation point.
func (s *Store) AddObservationMember(ctx context.Context, observerID, enterpriseID uint, at time.Time) error {
	err := s.DB(ctx).Exec(`INSERT INTO observation_members (observer_id, enterprise_id, consent_at) VALUES (?, ?, ?)
		ON CONFLICT (observer_id, enterprise_id) DO NOTHING`, observerID, enterpriseID, at).Error
	return mapErr("add observation member", err)
}

// Actor loads the policy's view of a user.
func (s *Store) Actor(ctx context.Context, u *account.User) (account.Actor, error) {
	a := account.ActorOf(u)
	if u.Role == account.RoleObserver {
		m, err := s.ObservationMembers(ctx, u.ID)
		if err != nil {
			return a, err
		}
		a.Members = m
	}
	return a, nil
}

// CountEnterprises counts registered enterprises.
func (s *Store) CountEnterprises(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&account.Enterprise{}).Count(&n).Error
	return n, mapErr("count enterprises", err)
}

// UsersByRole lists users of a role.
func (s *Store) UsersByRole(ctx context.Context, r account.Role) ([]account.User, error) {
	var out []account.User
	err := s.DB(ctx).Where("role = ?", r).Order("id").Find(&out).Error
	return out, mapErr("users by role", err)
}

// Liaisons lists the supervision liaisons who may be told of new orders: enabled ones, cached
// like the routing table (every filing tells them).
func (s *Store) Liaisons(ctx context.Context) ([]account.User, error) {
	return cachedRead(ctx, s, "liaisons", func(ctx context.Context) ([]account.User, error) {
		var out []account.User
		err := s.DB(ctx).Where("role = ? AND disabled = ?", account.RoleLiaison, false).Order("id").Find(&out).Error
		return out, mapErr("liaisons", err)
	})
}

// UsersByBody lists an enforcement body's officers.
func (s *Store) UsersByBody(ctx context.Context, bodyID uint) ([]account.User, error) {
	var out []account.User
	err := s.DB(ctx).Where("role = ? AND body_id = ?", account.RoleOfficer, bodyID).Order("id").Find(&out).Error
	return out, mapErr("users by body", err)
}

// UsersByEnterprise lists the logins that act for an enterprise (account.ActorOf): an applicant
// whose claim is not approved is not among them, so it is told nothing addressed to the code.
func (s *Store) UsersByEnterprise(ctx context.Context, enterpriseID uint) ([]account.User, error) {
	var rows []account.User
	if err := s.DB(ctx).Where("enterprise_id = ?", enterpriseID).Order("id").Find(&rows).Error; err != nil {
		return nil, mapErr("users by enterprise", err)
	}
	out := rows[:0]
	for i := range rows {
		if account.ActorOf(&rows[i]).EnterpriseID == enterpriseID {
			out = append(out, rows[i])
		}
	}
	return out, nil
}

// CountUsers counts logins of every role.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&account.User{}).Count(&n).Error
	return n, mapErr("count users", err)
}

// OfficersOfBody lists the enabled officer logins of an enforcement body.
func (s *Store) OfficersOfBody(ctx context.Context, bodyID uint) ([]account.User, error) {
	var rows []account.User
	if bodyID == 0 {
		return rows, nil
	}
	err := s.DB(ctx).Where("role = ? AND body_id = ? AND disabled = ?", account.RoleOfficer, bodyID, false).Order("id").Find(&rows).Error
	return rows, mapErr("officers of body", err)
}
