package notify

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Channel carries one message to one address outside the portal. Every outside channel sits
// behind this, so an SMS gateway is one more implementation.
type Channel interface {
	// Via names the implementation ("outbox", "smtp") for the delivery record.
	Via() string
	Send(ctx context.Context, to, subject, body string) error
}

// Outbox is the embedded channel: the delivery row itself is the message, read by an admin on
// the outbox page; nothing leaves the machine.
type Outbox struct{}

// Via names the channel.
func (Outbox) Via() string { return "outbox" }

// Send does nothing more: the row is already written.
func (Outbox) Send(context.Context, string, string, string) error { return nil }

// SMTP sends email through a mail server.
type SMTP struct {
	host, from, user, pass string
	port                   int
	ssl                    bool
}

// ParseSMTP reads smtp://user:pass@host:port?from=addr (smtps:// for implicit TLS).
func ParseSMTP(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("notify: smtp url: %w", err)
	}
	s := &SMTP{host: u.Hostname(), from: u.Query().Get("from"), ssl: u.Scheme == "smtps", port: 587}
	if s.ssl {
		s.port = 465
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("notify: smtp port: %w", err)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	if s.host == "" || s.from == "" {
		return nil, fmt.Errorf("notify: smtp url needs a host and ?from=")
	}
	return s, nil
}

// Via names the channel.
func (*SMTP) Via() string { return "smtp" }

// Send delivers one plain-text email. STARTTLS is used when the server offers it.
func (s *SMTP) Send(ctx context.Context, to, subject, body string) error {
	m := mail.NewMsg()
	if err := m.From(s.from); err != nil {
		return fmt.Errorf("notify: from: %w", err)
	}
	if err := m.To(to); err != nil {
		return fmt.Errorf("notify: to: %w", err)
	}
	m.Subject(subject)
	m.SetBodyString(mail.TypeTextPlain, body)
	opts := []mail.Option{mail.WithPort(s.port), mail.WithTimeout(15 * time.Second), mail.WithTLSPolicy(mail.TLSOpportunistic)}
	if s.ssl {
		opts = append(opts, mail.WithSSL())
	}
	if s.user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.user), mail.WithPassword(s.pass))
	}
	c, err := mail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("notify: smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("notify: smtp send: %w", err)
	}
	return nil
}
