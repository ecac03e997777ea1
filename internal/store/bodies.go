package store

import (
	"context"
	"errors"

	"qijian/internal/account"
)

var errNoRows = errors.New("no rows")

// Bodies lists enforcement bodies by name.
func (s *Store) Bodies(ctx context.Context) ([]account.Body, error) {
	var out []account.Body
	err := s.DB(ctx).Order("id").Find(&out).Error
	return out, mapErr("bodies", err)
}

// Body reads one enforcement body.
func (s *Store) Body(ctx context.Context, id uint) (*account.Body, error) {
	var b account.Body
	err := s.DB(ctx).First(&b, id).Error
	return &b, mapErr("body", err)
}

// SaveBody creates b when it has no id, else updates it.
func (s *Store) SaveBody(ctx context.Context, b *account.Body) error {
	if b.ID == 0 {
		return mapErr("create body", s.DB(ctx).Create(b).Error)
	}
	res := s.DB(ctx).Model(b).Select("name_zh", "name_en", "short", "county_code", "qualified", "announced_on", "updated_at").Updates(b)
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr("update body", errNoRows)
	}
	return mapErr("update body", res.Error)
}

// BodyName is body id's Chinese name from a cache of every body's (read once and again after a
// write to bodies), so a hot path such as the filing batch names a unit without a round trip in
// its transaction; a body the cache does not know yet (made by another process) is looked up.
// An unknown id answers "".
func (s *Store) BodyName(ctx context.Context, id uint) (string, error) {
	names, err := cachedRead(ctx, s, "body_names", func(ctx context.Context) (map[uint]string, error) {
		var rows []struct {
			ID     uint
			NameZh string
		}
		if err := s.DB(ctx).Model(&account.Body{}).Select("id", "name_zh").Scan(&rows).Error; err != nil {
			return nil, mapErr("body names", err)
		}
		out := make(map[uint]string, len(rows))
		for _, r := range rows {
			out[r.ID] = r.NameZh
		}
		return out, nil
	})
	if err != nil {
		return "", err
	}
	if name, ok := names[id]; ok {
		return name, nil
	}
	b, err := s.Body(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return b.NameZh, nil
}

// BodiesExist tells which of ids are enforcement bodies. Bodies are never deleted, so a cached
// set of known ids is safe to trust; an id missing from it (one made in another process since)
// is looked up.
func (s *Store) BodiesExist(ctx context.Context, ids []uint) (map[uint]bool, error) {
	out := make(map[uint]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	known, err := cachedRead(ctx, s, "body_ids", func(ctx context.Context) (map[uint]bool, error) {
		var all []uint
		if err := s.DB(ctx).Model(&account.Body{}).Pluck("id", &all).Error; err != nil {
			return nil, mapErr("body ids", err)
		}
		set := make(map[uint]bool, len(all))
		for _, id := range all {
			set[id] = true
		}
		return set, nil
	})
	if err != nil {
		return nil, err
	}
	var missing []uint
	for _, id := range ids {
		if known[id] {
			out[id] = true
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		found, err := s.BodiesByID(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, b := range found {
			out[b.ID] = true
		}
	}
	return out, nil
}

// CountBodies counts enforcement bodies.
func (s *Store) CountBodies(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&account.Body{}).Count(&n).Error
	return n, mapErr("count bodies", err)
}
