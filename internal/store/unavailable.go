package store

import (
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
		case pe.Code == "53300": // too many connections
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
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "failed to connect")
}
