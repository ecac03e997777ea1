// Package outreach is the government side reaching enterprises outside inspections: entrepreneur
// appointments (约见, seed §2.9 一), risk alerts, the published penalty lists and the three
// documents delivered together (三书同达, seed §2.8 三). Its use cases answer with views of their
// own (views.go); the meeting rules are in internal/outreach/appointment.
package outreach

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/errs"
	"qijian/internal/inspection/actcode"
	"qijian/internal/store"
)

// Service runs the use cases.
type Service struct {
	St    *store.Store
	Clock clock.Clock
	// Codes issues the behaviour codes of penalty decisions (the inspections' codec).
	Codes *actcode.Codec
}

// Refusals, each with its own code and words; the meeting rules' own is appointment.ErrNotAllowed.
var (
	ErrNotFound          = errs.New(errs.NotFound, "not_found", "err.not_found")
	ErrForbidden         = errs.New(errs.Forbidden, "forbidden", "err.forbidden")
	ErrNeedTime          = errs.Field("meet_at", "err.required")             // a meeting time is needed
	ErrMeetAt            = errs.Field("meet_at", "err.invalid")              // not a time
	ErrPreferredAt       = errs.Field("preferred_at", "err.invalid")         // not a time
	ErrMunicipal         = errs.Field("body_id", "appt.err.municipal")       // appointments are with municipal bodies
	ErrScore             = errs.Field("score", "err.invalid")                // 1 to 5
	ErrUnknownEnterprise = errs.Field("enterprise_uscc", "docs.err.unknown") // no such enterprise on the portal
)

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// notFound turns the store's not-found into the package's own, and keeps any other error.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

// ParseTime reads an RFC 3339 time or a datetime-local value ("2006-01-02T15:04", Wenzhou
// time); empty is no time (nil), and ok is false for anything else.
func ParseTime(v string) (t *time.Time, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, calendar.Location()); err == nil {
			return &t, true
		}
	}
	return nil, false
}
