package store

import (
	"net/url"
	"testing"
	"time"
)

// Every PostgreSQL connection carries the bounds, unless the URL sets its own; a one-shot
// command's none is 0 (PostgreSQL's "no limit").
func TestTimeoutsOnTheURL(t *testing.T) {
	t.Parallel()
	web := DefaultOptions("web")
	q := mustQuery(t, withTimeouts("postgres://u@h/db?sslmode=disable", web))
	if q.Get("statement_timeout") != "10000" || q.Get("lock_timeout") != "3000" || q.Get("sslmode") != "disable" {
		t.Fatalf("web: %v", q)
	}
	q = mustQuery(t, withTimeouts("postgres://u@h/db?lock_timeout=500", web))
	if q.Get("lock_timeout") != "500" {
		t.Fatalf("the URL's own lock_timeout was replaced: %v", q)
	}
	q = mustQuery(t, withTimeouts("postgres://u@h/db", DefaultOptions("migrate")))
	if q.Get("statement_timeout") != "0" || q.Get("lock_timeout") != "0" {
		t.Fatalf("migrate: %v", q)
	}
	q = mustQuery(t, withTimeouts("postgres://u@h/db", Options{ReadOnly: true}.or(web)))
	if q.Get("default_transaction_read_only") != "on" {
		t.Fatalf("read-only: %v", q)
	}
	if w := DefaultOptions("worker"); w.StatementTimeout <= web.StatementTimeout || w.MaxConns > 20 || web.MaxConns > 20 {
		t.Fatalf("a worker's statements %+v should be longer than a web's %+v, and neither pool above 20", w, web)
	}
	if o := (Options{MaxConns: 2}).or(web); o.MaxIdle > 2 || o.IdleTime != time.Minute {
		t.Fatalf("filled: %+v", o)
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}
