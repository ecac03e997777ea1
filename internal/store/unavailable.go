package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"qijian/internal/errs"
)

// Database errors that escaped mapErr (a failed BEGIN, a dropped connection mid-statement) are
// still unavailability to whoever answers them.
func init() {
	errs.AddClassifier(func(err error) error {
		if Unavailable(err) {
			return errs.Unavailable
		}
		return nil
	})
}

// Unavailable tells whether err means the database could not be reached or dropped the
// connection (a restart, an outage, a full pool), as opposed to a fault in the request or the
// code. Callers answer such errors with 503 so clients retry, instead of 500.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"): // connection exception
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // shutdown, crash, starting up
			return true
		case pe.Code == "55000" && strings.Contains(pe.Message, "not currently accepting connections"):
			return true
		case strings.HasPrefix(pe.Code, "53"): // insufficient resources: too many clients, disk full, out of memory
			return true
		case pe.Code == "25006": // read-only transaction: a standby, or default_transaction_read_only
			return true
		case pe.Code == "55P03": // lock not available: lock_timeout ran out
			return true
		case pe.Code == "57014": // query canceled: statement_timeout ran out (or the request's deadline)
			return true
		case pe.Code == "58030": // I/O error
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), pgconn.Timeout(err),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true // the request's server-side deadline ran out waiting for the database
	}
	msg := err.Error()
	for _, m := range unavailableMessages {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// unavailableMessages are the texts of driver errors that carry no code we can match: SQLite's
// (the message of each result code, and its name), a closed connection, a refused dial.
var unavailableMessages = []string{
	"conn closed", "failed to connect",
	"SQLITE_BUSY", "database is locked", "database table is locked", // busy_timeout ran out
	"SQLITE_FULL", "database or disk is full",
	"SQLITE_READONLY", "attempt to write a readonly database",
	"SQLITE_IOERR", "disk I/O error",
	"SQLITE_CANTOPEN", "unable to open database file",
	"no space left on device",
}
