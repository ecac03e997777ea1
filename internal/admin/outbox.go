package admin

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"qijian/internal/account"
	"qijian/internal/store"
)

// Delivery is one SMS or email the portal sent, or in embedded mode would have sent: the outbox
// stands in for the gateway and the mail server. In the list, Masked: its recipient's address
// and name, and any phone number or email address in it, are partly hidden.
type Delivery struct {
	ID        uint64
	CreatedAt time.Time
	Channel   string // sms or email
	Via       string // how it went out, once sent
	Recipient string
	Subject   string
	Body      string
	Status    string // queued, sending, sent or failed
	LastError string
	Masked    bool
}

// OutboxLimit is how many of the newest deliveries the outbox shows.
const OutboxLimit = 200

// Outbox lists the newest deliveries, of one channel ("sms", "email") or, for any other value,
// of both, with the personal data in them masked: an SMS to an anonymous reporter, next to the
// number of the order it reports on, would otherwise name them. Seeing one in full is
// RevealDelivery, an audited look.
func (s *Service) Outbox(ctx context.Context, a account.Actor, channel string) ([]Delivery, error) {
	if err := allow(a, account.ReadOutbox); err != nil {
		return nil, err
	}
	if channel != "sms" && channel != "email" {
		channel = ""
	}
	rows, err := s.St.Deliveries(ctx, channel, OutboxLimit)
	if err != nil {
		return nil, fmt.Errorf("admin: outbox: %w", err)
	}
	names := map[uint][]string{}
	out := make([]Delivery, len(rows))
	for i, d := range rows {
		if _, ok := names[d.UserID]; !ok {
			names[d.UserID] = nil
			if u, err := s.St.User(ctx, d.UserID); err == nil {
				names[d.UserID] = []string{u.DisplayName, u.Username}
			}
		}
		out[i] = masked(deliveryOf(&d), names[d.UserID])
	}
	return out, nil
}

// RevealDelivery shows one delivery in full to an admin, and audits that it did in the same
// transaction: no look without its audit entry. Nothing is kept, so each look is audited anew.
func (s *Service) RevealDelivery(ctx context.Context, a account.Actor, id uint64) (Delivery, error) {
	if err := allow(a, account.ReadOutbox); err != nil {
		return Delivery{}, err
	}
	var out Delivery
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		d, err := s.St.Delivery(ctx, id)
		if err != nil {
			return notFound("delivery", err)
		}
		out = deliveryOf(d)
		return s.record(ctx, a, "outbox.reveal", "delivery", id, map[string]any{"channel": d.Channel, "user": d.UserID})
	})
	if err != nil {
		return Delivery{}, fmt.Errorf("admin: reveal delivery %d: %w", id, err)
	}
	return out, nil
}

// deliveryOf is d as an admin sees it. A one-time link's token (a password reset) is never
// shown, not even by a reveal: it would hand the admin the account.
func deliveryOf(d *store.Delivery) Delivery {
	body := tokenRe.ReplaceAllString(d.Body, "token=…")
	return Delivery{ID: d.ID, CreatedAt: d.CreatedAt, Channel: d.Channel, Via: d.Via, Recipient: d.Recipient, Subject: d.Subject, Body: body, Status: d.Status, LastError: d.LastError}
}

var tokenRe = regexp.MustCompile(`token=[A-Za-z0-9_-]+`)

var (
	// Mainland mobiles (with or without +86) and landlines with their area code; \b keeps them
	// from matching inside an order number or a link.
	phoneRe = regexp.MustCompile(`(?:\+86[ -]?)?\b1[3-9]\d{9}\b|\b0\d{2,3}-\d{7,8}\b`)
	emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}`)
)

// masked is d with its recipient's address and the given names of the recipient partly hidden
// wherever they appear, and any other phone number or email address too.
func masked(d Delivery, names []string) Delivery {
	d.Masked = true
	d.Recipient = maskAddress(d.Recipient)
	hide := func(s string) string {
		for _, n := range names {
			if utf8.RuneCountInString(n) >= 2 {
				s = strings.ReplaceAll(s, n, maskName(n))
			}
		}
		s = emailRe.ReplaceAllStringFunc(s, maskAddress)
		return phoneRe.ReplaceAllStringFunc(s, maskAddress)
	}
	d.Subject, d.Body, d.LastError = hide(d.Subject), hide(d.Body), hide(d.LastError)
	return d
}

// maskAddress keeps what tells an admin which kind of address it is and little else: a phone's
// first three and last two digits, an email's first character and top-level domain (a company's
// own domain would name it).
func maskAddress(s string) string {
	if at := strings.LastIndexByte(s, '@'); at > 0 {
		tld := ""
		if dot := strings.LastIndexByte(s[at:], '.'); dot > 0 {
			tld = s[at+dot:]
		}
		r, _ := utf8.DecodeRuneInString(s)
		return string(r) + "***@***" + tld
	}
	var digits []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits = append(digits, s[i])
		}
	}
	if len(digits) < 7 {
		return strings.Repeat("*", len(s))
	}
	return string(digits[:3]) + strings.Repeat("*", len(digits)-5) + string(digits[len(digits)-2:])
}

// maskName keeps a name's first character: 陈晓东 → 陈**.
func maskName(n string) string {
	r, _ := utf8.DecodeRuneInString(n)
	return string(r) + strings.Repeat("*", utf8.RuneCountInString(n)-1)
}
