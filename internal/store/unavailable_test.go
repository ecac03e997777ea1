package store

import (
	"context"
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
		{errors.New("database or disk is full (13)"), true},
		{fmt.Errorf("store: add booking: %w", errors.New("attempt to write a readonly database (8)")), true},
		{errors.New("database table is locked (6)"), true},
		{errors.New("disk I/O error (10)"), true},
		{&pgconn.PgError{Code: "25006", Message: "cannot execute INSERT in a read-only transaction"}, true},
		{&pgconn.PgError{Code: "53300", Message: "sorry, too many clients already"}, true},
		{&pgconn.PgError{Code: "53100", Message: "could not extend file: No space left on device"}, true},
		{&pgconn.PgError{Code: "55P03", Message: "canceling statement due to lock timeout"}, true},
		{&pgconn.PgError{Code: "57014", Message: "canceling statement due to statement timeout"}, true},
		{fmt.Errorf("store: slot: %w", context.DeadlineExceeded), true},
		{&pgconn.PgError{Code: "23503"}, false}, // foreign key: the request's fault
		{&pgconn.PgError{Code: "22001"}, false}, // value too long
	} {
		if got := Unavailable(c.err); got != c.want {
			t.Errorf("Unavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
