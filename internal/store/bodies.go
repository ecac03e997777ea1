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
