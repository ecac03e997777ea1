package notify_test

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"qijian/notify"
)

// mailbox is a loopback SMTP server that keeps what it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []received
}

type received struct{ from, to, data string }

type session struct {
	box *mailbox
	cur received
}

func (b *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: b}, nil }
func (s *session) Reset()                                      { s.cur = received{} }
func (s *session) Logout() error                               { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.cur.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.cur.to = to; return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, s.cur)
	s.box.mu.Unlock()
	return nil
}

func startMailbox(t *testing.T) (*mailbox, string) {
	t.Helper()
	box := &mailbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return box, ln.Addr().String()
}

// With QIJIAN_SMTP_URL set, email really goes out by SMTP, with the rendered subject and body.
func TestSMTPChannelSendsRealMail(t *testing.T) {
	t.Parallel()
	box, addr := startMailbox(t)
	ch, err := notify.ParseSMTP("smtp://" + addr + "?from=noreply@qijian.example")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := notify.Render("zh", "email.body", "order.accept", notify.View{Name: "王经理", Title: "工单 W1 已受理", URL: "https://qijian.example/complaints/1"})
	subject, _ := notify.Render("zh", "email.subject", "order.accept", notify.View{Title: "工单 W1 已受理"})
	if err := ch.Send(context.Background(), "boss@example.test", subject, body); err != nil {
		t.Fatal(err)
	}
	box.mu.Lock()
	defer box.mu.Unlock()
	if len(box.msgs) != 1 {
		t.Fatalf("server got %d messages", len(box.msgs))
	}
	m := box.msgs[0]
	if m.from != "noreply@qijian.example" || m.to != "boss@example.test" {
		t.Fatalf("envelope %q → %q", m.from, m.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(m.data))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	text, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if subj != "【企检】工单 W1 已受理" || !strings.Contains(string(text), "王经理，您好") || !strings.Contains(string(text), "https://qijian.example/complaints/1") {
		t.Fatalf("subject %q body %q", subj, text)
	}
}

func TestParseSMTPRejectsIncompleteURLs(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"smtp://host:25", "smtp://?from=a@b", "smtp://host:x?from=a@b"} {
		if _, err := notify.ParseSMTP(raw); err == nil {
			t.Errorf("%q accepted", raw)
		}
	}
}

// A server that is down makes Send fail, so the delivery is retried rather than marked sent.
func TestSMTPServerDownIsAnError(t *testing.T) {
	t.Parallel()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ch, _ := notify.ParseSMTP("smtp://" + addr + "?from=noreply@qijian.example")
	if err := ch.Send(context.Background(), "boss@example.test", "s", "b"); err == nil {
		t.Fatal("sending to a closed port succeeded")
	}
}
