package message

import (
	"context"
	"fmt"
	"strings"
	"time"

	"qijian/internal/clock"
	"qijian/internal/store"
)

// Inbox is a person's own messages and how they want to be told: the use cases behind the inbox
// and settings pages and their API twins. Every call is scoped to the caller's own user id.
type Inbox struct {
	St    *store.Store
	Clock clock.Clock
}

// Prefs are a person's notification settings, by page and by API (the same names).
type Prefs struct {
	Lang    string   `json:"lang" form:"lang" validate:"required,oneof=zh en"`
	Mobile  string   `json:"mobile" form:"mobile" validate:"required_if=SMS true,omitempty,mobile"`
	Email   string   `json:"email" form:"email" validate:"required_if=EmailOn true,omitempty,email,max=120"`
	SMS     bool     `json:"sms" form:"sms"`
	EmailOn bool     `json:"email_on" form:"email_on"`
	Muted   []string `json:"muted" form:"muted" validate:"max=10,dive,group"`
}

// Normalize trims what people type.
func (p *Prefs) Normalize() {
	p.Mobile, p.Email = strings.TrimSpace(p.Mobile), strings.TrimSpace(p.Email)
	if p.Muted == nil {
		p.Muted = []string{}
	}
}

func prefsOf(r *store.NotificationPrefs) Prefs {
	p := Prefs{Lang: r.Lang, Mobile: r.Mobile, Email: r.Email, SMS: r.SMS, EmailOn: r.EmailOn, Muted: r.MutedGroups()}
	p.Normalize()
	return p
}

// Prefs reads the caller's settings (defaults: Chinese, inbox only).
func (b *Inbox) Prefs(ctx context.Context, userID uint) (Prefs, error) {
	r, err := b.St.Prefs(ctx, userID)
	if err != nil {
		return Prefs{}, fmt.Errorf("message: prefs: %w", err)
	}
	return prefsOf(r), nil
}

// SavePrefs replaces the caller's settings; p has passed the validator.
func (b *Inbox) SavePrefs(ctx context.Context, userID uint, p Prefs) (Prefs, error) {
	p.Normalize()
	r := &store.NotificationPrefs{UserID: userID, Lang: p.Lang, Mobile: p.Mobile, Email: p.Email, SMS: p.SMS, EmailOn: p.EmailOn,
		Muted: p.Muted, UpdatedAt: b.Clock.Now()}
	if err := b.St.WithTx(ctx, func(ctx context.Context) error { return b.St.SavePrefs(ctx, r) }); err != nil {
		return Prefs{}, fmt.Errorf("message: save prefs: %w", err)
	}
	return prefsOf(r), nil
}

// Entry is one inbox message as its reader sees it.
type Entry struct {
	ID        uint64
	Kind      string
	Title     string // in the reader's language
	Body      string
	Link      string
	CreatedAt time.Time
	Read      bool
}

// List is the caller's newest messages, titled in lang.
func (b *Inbox) List(ctx context.Context, userID uint, lang string, limit int) ([]Entry, error) {
	rows, err := b.St.Notifications(ctx, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("message: inbox: %w", err)
	}
	out := make([]Entry, len(rows))
	for i, n := range rows {
		out[i] = Entry{ID: n.ID, Kind: n.Kind, Title: Title(n.Title, lang), Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt.UTC(), Read: n.ReadAt != nil}
	}
	return out, nil
}

// Open marks one of the caller's messages read and returns where it leads; another's message is
// not found.
func (b *Inbox) Open(ctx context.Context, userID uint, id uint64) (string, error) {
	n, err := b.St.OpenNotification(ctx, userID, id, b.Clock.Now())
	if err != nil {
		return "", fmt.Errorf("message: open: %w", err)
	}
	return n.Link, nil
}

// MarkAllRead marks the caller's inbox read.
func (b *Inbox) MarkAllRead(ctx context.Context, userID uint) error {
	return b.St.MarkAllRead(ctx, userID, b.Clock.Now())
}

// Unread counts the caller's unread messages.
func (b *Inbox) Unread(ctx context.Context, userID uint) (int64, error) {
	return b.St.UnreadCount(ctx, userID)
}
