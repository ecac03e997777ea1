// Package notify delivers what use cases queued (internal/message): the in-app inbox entry exactly
// once, then SMS and email through Channel (an outbox an admin reads by default, SMTP when
// configured), rendered from the templates in each person's language. Only cmd and workflows
// reach it.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"qijian/internal/message"
	"qijian/internal/store"
)

// TaskDeliver is the outbox task type of a message that also goes out by SMS or email.
const TaskDeliver = message.TaskDeliver

// TaskSend is the outbox task type of one SMS or email.
const TaskSend = "notify:send"

// Notifier delivers messages: the inbox always, then SMS and email as each person chose.
type Notifier struct {
	St      *store.Store
	BaseURL string  // absolute links in SMS and email
	SMS     Channel // nil: Outbox
	Email   Channel // nil: Outbox
	Log     *slog.Logger
}

// Deliver is the effect of a claimed outbox row with no outside channels configured.
func Deliver(ctx context.Context, st *store.Store, row *store.OutboxRow, now time.Time) error {
	return (&Notifier{St: st}).Deliver(ctx, row, now)
}

// Deliver is the effect of a claimed outbox row: it writes the inbox entry and queues one SMS and
// one email if the person wants them. It runs inside the transaction that marks the row done, and
// the unique outbox id on the entry (and on each delivery) keeps it single even if two workers
// raced past the claim.
func (n *Notifier) Deliver(ctx context.Context, row *store.OutboxRow, now time.Time) error {
	var m message.Message
	if err := json.Unmarshal([]byte(row.Payload), &m); err != nil {
		return fmt.Errorf("notify: payload of outbox %d: %w", row.ID, err)
	}
	if m.UserID == 0 {
		if m.To == "" {
			return fmt.Errorf("notify: outbox %d has no recipient", row.ID)
		}
		return n.fanOut(ctx, row.ID, m, now) // a message to a number alone: no inbox entry
	}
	id := row.ID
	entry := &store.Notification{UserID: m.UserID, Kind: m.Kind, Title: message.StoredTitle(m.TitleZh, m.TitleEn), Body: m.Body, Link: m.Link, OutboxID: &id, CreatedAt: now}
	if err := n.St.CreateNotification(ctx, entry); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil
		}
		return fmt.Errorf("notify: deliver: %w", err)
	}
	return n.fanOut(ctx, row.ID, m, now)
}

// fanOut renders and queues the outside messages the recipient asked for.
func (n *Notifier) fanOut(ctx context.Context, source uint64, m message.Message, now time.Time) error {
	if m.To != "" {
		return n.toNumber(ctx, source, m, now)
	}
	p, err := n.St.Prefs(ctx, m.UserID)
	if err != nil {
		return fmt.Errorf("notify: prefs: %w", err)
	}
	if (!p.SMS || p.Mobile == "") && (!p.EmailOn || p.Email == "") || slices.Contains(p.MutedGroups(), message.Group(m.Kind)) {
		return nil
	}
	u, err := n.St.User(ctx, m.UserID)
	if err != nil {
		return fmt.Errorf("notify: recipient: %w", err)
	}
	if u.Disabled {
		return nil
	}
	v := View{Name: u.DisplayName, Title: m.TitleZh, Body: m.Body, Settings: n.BaseURL + "/settings/notifications"}
	if p.Lang == "en" {
		v.Title = m.TitleEn
	}
	if v.Name == "" {
		v.Name = u.Username
	}
	if m.Link != "" {
		v.URL = n.BaseURL + m.Link
	}
	type out struct{ channel, to, part string }
	var outs []out
	if p.SMS && p.Mobile != "" {
		outs = append(outs, out{"sms", p.Mobile, "sms"})
	}
	if p.EmailOn && p.Email != "" {
		outs = append(outs, out{"email", p.Email, "email.body"})
	}
	for _, o := range outs {
		body, err := Render(p.Lang, o.part, m.Kind, v)
		if err != nil {
			return err
		}
		subject := ""
		if o.channel == "email" {
			if subject, err = Render(p.Lang, "email.subject", m.Kind, v); err != nil {
				return err
			}
		}
		d := &store.Delivery{SourceID: source, Channel: o.channel, UserID: m.UserID, Kind: m.Kind, Recipient: o.to,
			Subject: subject, Body: body, Status: store.DeliveryQueued, CreatedAt: now}
		if err := n.St.CreateDelivery(ctx, d); err != nil {
			if errors.Is(err, store.ErrConflict) {
				continue
			}
			return fmt.Errorf("notify: queue %s: %w", o.channel, err)
		}
		if err := n.St.QueueOutbox(ctx, TaskSend, sendPayload{DeliveryID: d.ID}, now, now); err != nil {
			return fmt.Errorf("notify: queue %s: %w", o.channel, err)
		}
	}
	return nil
}

// toNumber queues an account message's one SMS to the verified number it names (message.To),
// in Chinese and English, whatever the recipient's settings.
func (n *Notifier) toNumber(ctx context.Context, source uint64, m message.Message, now time.Time) error {
	v := View{Title: m.TitleZh + " / " + m.TitleEn, Body: m.Body, Settings: n.BaseURL + "/settings/notifications"}
	if m.Link != "" {
		v.URL = n.BaseURL + m.Link
	}
	body, err := Render("zh", "sms", m.Kind, v)
	if err != nil {
		return err
	}
	d := &store.Delivery{SourceID: source, Channel: "sms", UserID: m.UserID, Kind: m.Kind, Recipient: m.To,
		Body: body, Status: store.DeliveryQueued, CreatedAt: now}
	if err := n.St.CreateDelivery(ctx, d); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil
		}
		return fmt.Errorf("notify: queue sms: %w", err)
	}
	if err := n.St.QueueOutbox(ctx, TaskSend, sendPayload{DeliveryID: d.ID}, now, now); err != nil {
		return fmt.Errorf("notify: queue sms: %w", err)
	}
	return nil
}

// statusTries and statusBackoff bound the retries of a send's status write: 0.25 s doubling,
// about 8 s in all.
const (
	statusTries   = 6
	statusBackoff = 250 * time.Millisecond
)

// retry runs fn until it succeeds, at most tries times, waiting backoff, then twice that, between.
func retry(tries int, backoff time.Duration, fn func() error) error {
	var err error
	for try := range tries {
		if err = fn(); err == nil || try == tries-1 {
			return err
		}
		time.Sleep(backoff << try)
	}
	return err
}

type sendPayload struct {
	DeliveryID uint64 `json:"delivery_id"`
}

// Send is the effect of a TaskSend row. Claiming the delivery commits with the outbox row; the
// message goes out only after that commit, so a retried task finds it claimed and sends nothing:
// each person hears of each event at most once per channel. A failed send is retried later by a
// new outbox row, at most three times.
func (n *Notifier) Send(ctx context.Context, row *store.OutboxRow, now time.Time) error {
	var p sendPayload
	if err := json.Unmarshal([]byte(row.Payload), &p); err != nil {
		return fmt.Errorf("notify: payload of outbox %d: %w", row.ID, err)
	}
	d, ok, err := n.St.ClaimDelivery(ctx, p.DeliveryID)
	if err != nil || !ok {
		return err
	}
	ch := n.channel(d.Channel)
	store.AfterCommit(ctx, func(ctx context.Context) {
		bg := context.WithoutCancel(ctx)
		sendCtx, cancel := context.WithTimeout(bg, 30*time.Second)
		sendErr := ch.Send(sendCtx, d.Recipient, d.Subject, d.Body)
		cancel()
		// The outcome is recorded with retries: a status write lost to a short outage (53300,
		// a restart) left deliveries "sending" for ever. What still fails is settled by
		// ReconcileSending.
		err := retry(statusTries, statusBackoff, func() error {
			return n.St.WithTx(bg, func(ctx context.Context) error {
				if err := n.St.FinishDelivery(ctx, d.ID, ch.Via(), sendErr, now); err != nil {
					return err
				}
				if sendErr != nil && d.Attempts < 3 {
					return n.St.QueueOutbox(ctx, TaskSend, p, now, now.Add(time.Duration(d.Attempts)*time.Minute))
				}
				return nil
			})
		})
		if (err != nil || sendErr != nil) && n.Log != nil {
			// Server answers can quote the address; the error text stays in the row for the admin.
			n.Log.Warn("notify: outside delivery", "delivery", d.ID, "channel", d.Channel, "send_failed", sendErr != nil, "store_err", err)
		}
	})
	return nil
}

func (n *Notifier) channel(name string) Channel {
	if name == "sms" && n.SMS != nil {
		return n.SMS
	}
	if name == "email" && n.Email != nil {
		return n.Email
	}
	return Outbox{}
}
