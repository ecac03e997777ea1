// Package notify tells people what happened: it queues messages through the outbox, in the same
// transaction as the change they report, and delivers them to the in-app inbox exactly once.
// Further channels (SMS, email, webhook) plug in behind Deliver.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"qijian/internal/store"
)

// TaskDeliver is the outbox task type of a message.
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
}

// Send queues m in ctx's transaction; it is delivered after the commit, and only if it commits.
func Send(ctx context.Context, st *store.Store, now time.Time, m Message) error {
	if m.UserID == 0 {
		return errors.New("notify: message without a recipient")
	}
	if _, err := st.AddOutbox(ctx, TaskDeliver, m, now, now); err != nil {
		return fmt.Errorf("notify: send: %w", err)
	}
	return nil
}

// Deliver is the effect of a claimed outbox row: it writes the inbox entry. It runs inside the
// transaction that marks the row done, and the unique outbox id on the entry keeps it single even
// if two workers raced past the claim.
func Deliver(ctx context.Context, st *store.Store, row *store.OutboxRow, now time.Time) error {
	var m Message
	if err := json.Unmarshal([]byte(row.Payload), &m); err != nil {
		return fmt.Errorf("notify: payload of outbox %d: %w", row.ID, err)
	}
	id := row.ID
	n := &store.Notification{UserID: m.UserID, Kind: m.Kind, Title: m.TitleZh + "\x1f" + m.TitleEn, Body: m.Body, Link: m.Link, OutboxID: &id, CreatedAt: now}
	if err := st.CreateNotification(ctx, n); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil
		}
		return fmt.Errorf("notify: deliver: %w", err)
	}
	return nil
}

// Title picks the title in lang from a stored notification.
func Title(stored, lang string) string {
	for i := 0; i < len(stored); i++ {
		if stored[i] == 0x1f {
			if lang == "en" && i+1 < len(stored) {
				return stored[i+1:]
			}
			return stored[:i]
		}
	}
	return stored
}
