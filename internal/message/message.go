// Package message is what use cases say to people: one Message to one user, queued in the same
// transaction as the change it reports. Delivery (the inbox entry, SMS, email, templates) is the
// top-level notify package's, which only cmd and workflows reach.
package message

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/store"
)

// TaskDeliver is the outbox task type of a message that also goes out by SMS or email.
const TaskDeliver = "notify:deliver"

// Message is one notification to one user. Titles are stored in both languages so the inbox
// follows the reader's language switch.
type Message struct {
	UserID  uint   `json:"user_id"`
	Kind    string `json:"kind"`
	TitleZh string `json:"title_zh"`
	TitleEn string `json:"title_en"`
	Body    string `json:"body,omitempty"`
	Link    string `json:"link,omitempty"`
	// To is a verified mobile an account message (a password reset link, the answer to an
	// application) goes to by SMS whatever the recipient's settings and mutes. With UserID 0 it
	// has no inbox entry: what it carries (a one-time link) is for the holder of the number only.
	To string `json:"to,omitempty"`
}

// Send queues m in ctx's transaction; it is delivered after the commit, and only if it commits.
// A recipient with neither SMS nor email turned on gets the inbox entry in the same transaction,
// which is exactly once by construction and costs the worker nothing; anyone else gets an outbox
// task that writes the entry and queues the outside messages.
func Send(ctx context.Context, st *store.Store, now time.Time, m Message) error {
	if m.UserID == 0 && m.To == "" {
		return errors.New("message: without a recipient")
	}
	if m.To != "" {
		if err := st.QueueOutbox(ctx, TaskDeliver, m, now, now); err != nil {
			return fmt.Errorf("message: send: %w", err)
		}
		return nil
	}
	outside, err := st.WantsOutside(ctx, m.UserID)
	if err != nil {
		return fmt.Errorf("message: send: %w", err)
	}
	if !outside {
		n := store.Notification{UserID: m.UserID, Kind: m.Kind, Title: StoredTitle(m.TitleZh, m.TitleEn), Body: m.Body, Link: m.Link, CreatedAt: now}
		if err := st.QueueNotification(ctx, n); err != nil {
			return fmt.Errorf("message: send: %w", err)
		}
		return nil
	}
	if err := st.QueueOutbox(ctx, TaskDeliver, m, now, now); err != nil {
		return fmt.Errorf("message: send: %w", err)
	}
	return nil
}

// StoredTitle is how an inbox entry keeps both titles in one column.
func StoredTitle(zh, en string) string { return zh + "\x1f" + en }

// Title picks the title in lang from a stored notification.
func Title(stored, lang string) string {
	zh, en, ok := strings.Cut(stored, "\x1f")
	if !ok {
		return stored
	}
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

// Group is the family a kind belongs to ("order.accept" → "order"); people mute whole families.
func Group(kind string) string {
	if i := strings.IndexByte(kind, '.'); i >= 0 {
		return kind[:i]
	}
	return kind
}

// Groups are the families a person may mute for SMS and email, with their labels.
var Groups = []struct{ Code, Zh, En string }{
	{"order", "工单进展", "Work order updates"},
	{"inspection", "检查通知", "Inspection notices"},
	{"booking", "预约服务", "Bookings"},
	{"alert", "风险提示", "Risk alerts"},
	{"welcome", "账号消息", "Account messages"},
}

// ValidGroup tells whether code is one of Groups.
func ValidGroup(code string) bool {
	for _, g := range Groups {
		if g.Code == code {
			return true
		}
	}
	return false
}
