package outreach

import (
	"context"
	"errors"
	"strings"

	"qijian/internal/account"
	"qijian/internal/idem"
	"qijian/internal/message"
	"qijian/internal/store"
)

// documents are the three, in the order they are delivered and listed.
var documents = []struct{ name, title string }{
	{"decision", "行政处罚决定书"},
	{"advice", "行政合规建议书"},
	{"credit_repair", "信用修复告知书"},
}

// DocumentsInput is the three documents for one enterprise, by the API or the page form.
type DocumentsInput struct {
	EnterpriseUSCC string `json:"enterprise_uscc" form:"enterprise_uscc" validate:"required,uscc" doc:"the enterprise's unified social credit code"`
	Decision       string `json:"decision" form:"decision" validate:"required,max=20000"`
	Advice         string `json:"advice" form:"advice" validate:"required,max=20000"`
	CreditRepair   string `json:"credit_repair" form:"credit_repair" validate:"required,max=20000"`
}

// Normalize trims what people type.
func (in *DocumentsInput) Normalize() {
	in.EnterpriseUSCC = strings.TrimSpace(in.EnterpriseUSCC)
	in.Decision, in.Advice, in.CreditRepair = strings.TrimSpace(in.Decision), strings.TrimSpace(in.Advice), strings.TrimSpace(in.CreditRepair)
}

// SendDocuments delivers a penalty decision, compliance advice and credit-repair notice to the
// enterprise as one notice with three attachments; an officer sends for its own body.
func (s *Service) SendDocuments(ctx context.Context, a account.Actor, in DocumentsInput) (*BundleView, error) {
	if !account.Can(a, account.SendDocuments, account.Object{}) {
		return nil, ErrForbidden
	}
	in.Normalize()
	var out BundleView
	var replay uint64
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		claim, err := idem.Take(ctx, s.St, a.UserID, "documents", in, s.Clock.Now())
		if err != nil || claim.Prior != 0 {
			replay = claim.Prior
			return err
		}
		e, err := s.St.EnterpriseByUSCC(ctx, account.NormalizeUSCC(in.EnterpriseUSCC))
		if errors.Is(err, store.ErrNotFound) {
			return ErrUnknownEnterprise
		}
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		b := &store.DocumentBundle{BodyID: a.BodyID, EnterpriseID: e.ID, Decision: in.Decision, Advice: in.Advice, CreditRepair: in.CreditRepair, CreatedAt: now}
		if err := s.St.CreateBundle(ctx, b); err != nil {
			return err
		}
		if err := claim.Made(ctx, b.ID); err != nil {
			return err
		}
		users, err := s.St.EnterpriseUserIDs(ctx, []uint{e.ID})
		if err != nil {
			return err
		}
		for _, u := range users {
			if err := message.Send(ctx, s.St, now, message.Message{UserID: u, Kind: "alert.documents", TitleZh: "三书同达：行政处罚决定书、行政合规建议书、信用修复告知书 " + b.Number,
				TitleEn: "Three documents together: penalty decision, compliance advice, credit-repair notice " + b.Number, Link: "/documents/" + itoa(b.ID)}); err != nil {
				return err
			}
		}
		out = s.bundleView(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if replay != 0 {
		return s.Bundle(ctx, a, replay)
	}
	return &out, nil
}

// Bundle reads a bundle a may see: the enterprise (its first reading is recorded), the issuing
// body's officers, admins; to anyone else it does not exist.
func (s *Service) Bundle(ctx context.Context, a account.Actor, id uint64) (*BundleView, error) {
	b, err := s.St.Bundle(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if !account.Can(a, account.ViewDocuments, account.Object{EnterpriseID: b.EnterpriseID, BodyID: b.BodyID}) {
		return nil, ErrNotFound
	}
	if a.Role == account.RoleEnterprise && b.ReadAt == nil {
		now := s.Clock.Now()
		if err := s.St.MarkBundleRead(ctx, b.ID, now); err != nil {
			return nil, err
		}
		b.ReadAt = &now
	}
	v := s.bundleView(b)
	return &v, nil
}

// Bundles lists a's own: those its enterprise received, or its body sent. Other roles have no
// list.
func (s *Service) Bundles(ctx context.Context, a account.Actor) ([]BundleView, error) {
	sc := account.OwnScopeOf(a, account.ViewDocuments)
	if sc.Empty() {
		return nil, ErrForbidden
	}
	list, err := s.St.Bundles(ctx, sc.EnterpriseID, sc.BodyID)
	if err != nil {
		return nil, err
	}
	out := make([]BundleView, len(list))
	for i := range list {
		out[i] = s.bundleView(&list[i])
	}
	return out, nil
}

// DocumentDesk is the documents page: a's own bundles, and whether a may send some.
type DocumentDesk struct {
	Bundles []BundleView
	CanSend bool
}

// DocumentDesk reads the documents page for a.
func (s *Service) DocumentDesk(ctx context.Context, a account.Actor) (*DocumentDesk, error) {
	list, err := s.Bundles(ctx, a)
	if err != nil {
		return nil, err
	}
	return &DocumentDesk{Bundles: list, CanSend: account.Can(a, account.SendDocuments, account.Object{})}, nil
}

// File is one document as a text attachment.
type File struct {
	Name string // the file name: number-part.txt
	Text string
}

// DocumentFile is one of the three documents of a bundle a may see; part is its file name
// (decision.txt, advice.txt, credit_repair.txt).
func (s *Service) DocumentFile(ctx context.Context, a account.Actor, id uint64, part string) (*File, error) {
	b, err := s.Bundle(ctx, a, id)
	if err != nil {
		return nil, err
	}
	texts := map[string]string{"decision": b.Decision, "advice": b.Advice, "credit_repair": b.CreditRepair}
	for _, d := range documents {
		if part == d.name+".txt" {
			head := d.title + " " + b.Number + "\r\n"
			if d.name == "decision" && b.DecisionCode != "" { // §2.6 二: a decision without a code may be reported
				head += "行政行为码 Behaviour code: " + b.DecisionCodeShown + "\r\n"
			}
			return &File{Name: b.Number + "-" + part, Text: head + "\r\n" + texts[d.name] + "\r\n"}, nil
		}
	}
	return nil, ErrNotFound
}
