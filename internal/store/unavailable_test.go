package store

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestUnavailable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("some bug"), false},
		{fmt.Errorf("store: order: %w", ErrNotFound), false},
		{&pgconn.PgError{Code: "23505"}, false}, // unique violation: the request's fault
		{fmt.Errorf("store: add outbox: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}), true},
		{&pgconn.PgError{Code: "55000", Message: `database "x" is not currently accepting connections`}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{errors.New("database is locked (5) (SQLITE_BUSY)"), true},
	} {
		if got := Unavailable(c.err); got != c.want {
			t.Errorf("Unavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
