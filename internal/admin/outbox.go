package admin

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
)

// Delivery is one SMS or email the portal sent, or in embedded mode would have sent: the outbox
// stands in for the gateway and the mail server.
type Delivery struct {
	CreatedAt time.Time
	Channel   string // sms or email
	Via       string // how it went out, once sent
	Recipient string
	Subject   string
	Body      string
	Status    string // queued, sending, sent or failed
	LastError string
}

// OutboxLimit is how many of the newest deliveries the outbox shows.
const OutboxLimit = 200

// Outbox lists the newest deliveries, of one channel ("sms", "email") or, for any other value,
// of both.
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
	out := make([]Delivery, len(rows))
	for i, d := range rows {
		out[i] = Delivery{CreatedAt: d.CreatedAt, Channel: d.Channel, Via: d.Via, Recipient: d.Recipient, Subject: d.Subject, Body: d.Body, Status: d.Status, LastError: d.LastError}
	}
	return out, nil
}
