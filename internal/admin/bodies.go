package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Body is one enforcement body in the admin's list.
type Body struct {
	ID         uint
	Name       string
	Short      string
	CountyName string // empty: a municipal body
	Qualified  bool   // confirmed and announced (SUBJ-1)
}

// Bodies lists the enforcement bodies, named in lang.
func (s *Service) Bodies(ctx context.Context, a account.Actor, lang string) ([]Body, error) {
	if err := allow(a, account.ManageBodies); err != nil {
		return nil, err
	}
	rows, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, fmt.Errorf("admin: bodies: %w", err)
	}
	n, err := s.names(ctx, lang)
	if err != nil {
		return nil, fmt.Errorf("admin: bodies: %w", err)
	}
	out := make([]Body, len(rows))
	for i, b := range rows {
		out[i] = Body{ID: b.ID, Name: pick(lang, b.NameZh, b.NameEn), Short: b.Short, CountyName: n.counties[b.CountyCode], Qualified: b.Qualified}
	}
	return out, nil
}

// BodyInput is an enforcement body as the admin's form (or a client) gives it.
type BodyInput struct {
	NameZh      string `json:"name_zh" form:"name_zh" validate:"required,min=2,max=120"`
	NameEn      string `json:"name_en" form:"name_en" validate:"max=200"`
	Short       string `json:"short" form:"short" validate:"max=40"`
	County      string `json:"county" form:"county" validate:"omitempty,county"`
	Qualified   bool   `json:"qualified" form:"qualified"`
	AnnouncedOn string `json:"announced_on" form:"announced_on" validate:"omitempty,datetime=2006-01-02"`
}

// Normalize trims what people type.
func (b *BodyInput) Normalize() {
	b.NameZh, b.NameEn, b.Short = strings.TrimSpace(b.NameZh), strings.TrimSpace(b.NameEn), strings.TrimSpace(b.Short)
}

// Body reads one body as its edit form shows it.
func (s *Service) Body(ctx context.Context, a account.Actor, id uint) (BodyInput, error) {
	if err := allow(a, account.ManageBodies); err != nil {
		return BodyInput{}, err
	}
	b, err := s.St.Body(ctx, id)
	if err != nil {
		return BodyInput{}, notFound("body", err)
	}
	in := BodyInput{NameZh: b.NameZh, NameEn: b.NameEn, Short: b.Short, County: b.CountyCode, Qualified: b.Qualified}
	if b.AnnouncedOn != nil {
		in.AnnouncedOn = b.AnnouncedOn.In(calendar.Location()).Format(time.DateOnly)
	}
	return in, nil
}

// ErrBodyNameTaken is a body name another body has.
var ErrBodyNameTaken = &errs.Error{Kind: errs.Conflict, Code: "conflict", Key: "err.form", Fields: map[string]string{"name_zh": "err.invalid"}}

// SaveBody creates a body (id 0) or changes one; in has passed the validator. It answers the
// body's id.
func (s *Service) SaveBody(ctx context.Context, a account.Actor, id uint, in BodyInput) (uint, error) {
	if err := allow(a, account.ManageBodies); err != nil {
		return 0, err
	}
	in.Normalize()
	now := s.Clock.Now()
	b := &account.Body{ID: id, NameZh: in.NameZh, NameEn: in.NameEn, Short: in.Short, CountyCode: in.County, Qualified: in.Qualified, UpdatedAt: now}
	if in.AnnouncedOn != "" {
		d, err := time.ParseInLocation(time.DateOnly, in.AnnouncedOn, calendar.Location())
		if err != nil {
			return 0, errs.Field("announced_on", "err.invalid")
		}
		b.AnnouncedOn = &d
	}
	if id == 0 {
		b.CreatedAt = now
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.SaveBody(ctx, b); err != nil {
			return err
		}
		return s.record(ctx, a, "body.save", "body", uint64(b.ID), nil)
	})
	if errors.Is(err, store.ErrConflict) {
		return 0, ErrBodyNameTaken
	}
	if err != nil {
		return 0, notFound("save body", err)
	}
	return b.ID, nil
}

// County is one county-level unit, as the admin's reference list shows it.
type County struct {
	Code, NameZh, NameEn string
}

// Counties lists Wenzhou's county-level units in their official order.
func (s *Service) Counties(ctx context.Context, a account.Actor) ([]County, error) {
	if err := allow(a, account.ManageBodies); err != nil {
		return nil, err
	}
	rows, err := s.St.Counties(ctx)
	if err != nil {
		return nil, fmt.Errorf("admin: counties: %w", err)
	}
	out := make([]County, len(rows))
	for i, k := range rows {
		out[i] = County{Code: k.Code, NameZh: k.NameZh, NameEn: k.NameEn}
	}
	return out, nil
}
