package outreach

import (
	"context"
	"errors"
	"strings"

	"qijian/internal/message"

	"qijian/internal/account"
	"qijian/internal/store"
)

// Categories are the five published penalty lists (seed §2.8 三), in their order.
var Categories = []struct{ Code, Zh, En string }{
	{"none", "不予处罚", "No penalty"},
	{"may_none", "可以不予处罚", "Penalty may be waived"},
	{"mitigated", "减轻处罚", "Mitigated penalty"},
	{"lighter", "从轻处罚", "Lighter penalty"},
	{"heavier", "从重处罚", "Heavier penalty"},
}

// ValidCategory tells whether code is one of the five.
func ValidCategory(code string) bool {
	for _, c := range Categories {
		if c.Code == code {
			return true
		}
	}
	return false
}

// canPublishFor: the body's own officers, or admins.
func canPublishFor(a account.Actor, bodyID uint) bool {
	return a.Role == account.RoleAdmin || (a.Role == account.RoleOfficer && a.BodyID == bodyID)
}

// AddPenalty publishes one entry of a body's list.
func (s *Service) AddPenalty(ctx context.Context, a account.Actor, p *store.PenaltyEntry) error {
	if !canPublishFor(a, p.BodyID) {
		return ErrForbidden
	}
	if _, err := s.St.Body(ctx, p.BodyID); errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	p.CreatedAt = s.Clock.Now()
	return s.St.WithTx(ctx, func(ctx context.Context) error { return s.St.AddPenalty(ctx, p) })
}

// Documents are the three documents delivered together (三书同达).
type Documents struct {
	EnterpriseID                   uint
	Decision, Advice, CreditRepair string
}

// SendDocuments delivers a penalty decision, compliance advice and credit-repair notice to the
// enterprise as one notice with three attachments.
func (s *Service) SendDocuments(ctx context.Context, a account.Actor, d Documents) (*store.DocumentBundle, error) {
	if a.Role != account.RoleOfficer || a.BodyID == 0 {
		return nil, ErrForbidden
	}
	var b *store.DocumentBundle
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.St.Enterprise(ctx, d.EnterpriseID); errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		now := s.Clock.Now()
		b = &store.DocumentBundle{BodyID: a.BodyID, EnterpriseID: d.EnterpriseID, Decision: strings.TrimSpace(d.Decision), Advice: strings.TrimSpace(d.Advice),
			CreditRepair: strings.TrimSpace(d.CreditRepair), CreatedAt: now}
		if err := s.St.CreateBundle(ctx, b); err != nil {
			return err
		}
		users, err := s.St.EnterpriseUserIDs(ctx, []uint{d.EnterpriseID})
		if err != nil {
			return err
		}
		for _, u := range users {
			if err := message.Send(ctx, s.St, now, message.Message{UserID: u, Kind: "alert.documents", TitleZh: "三书同达：行政处罚决定书、行政合规建议书、信用修复告知书 " + b.Number,
				TitleEn: "Three documents together: penalty decision, compliance advice, credit-repair notice " + b.Number, Link: "/documents/" + itoa(b.ID)}); err != nil {
				return err
			}
		}
		return nil
	})
	return b, err
}

// BundleFor reads a bundle a may see: the enterprise (its first reading is recorded), the issuing
// body's officers, admins.
func (s *Service) BundleFor(ctx context.Context, a account.Actor, id uint64) (*store.DocumentBundle, error) {
	b, err := s.St.Bundle(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	switch {
	case a.Role == account.RoleEnterprise && a.EnterpriseID == b.EnterpriseID:
		if b.ReadAt == nil {
			now := s.Clock.Now()
			if err := s.St.MarkBundleRead(ctx, b.ID, now); err != nil {
				return nil, err
			}
			b.ReadAt = &now
		}
		return b, nil
	case a.Role == account.RoleOfficer && a.BodyID == b.BodyID, a.Role == account.RoleAdmin:
		return b, nil
	}
	return nil, ErrNotFound
}
