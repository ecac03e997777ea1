package pgbulk

import (
	"database/sql"
	"reflect"
	"testing"
	"time"
)

// Times on the text path are UTC, cut (not rounded) to the microsecond, with trailing zeros
// dropped, as PostgreSQL reads timestamptz text and pgx's binary form keeps them.
func TestAppendTimestamp(t *testing.T) {
	t.Parallel()
	cst := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 3, 2, 9, 30, 0, 123456789, cst), "2026-03-02 01:30:00.123456+00"},
		{time.Date(2026, 3, 2, 9, 30, 0, 999999999, time.UTC), "2026-03-02 09:30:00.999999+00"},
		{time.Date(2026, 11, 29, 8, 0, 0, 1000, time.UTC), "2026-11-29 08:00:00.000001+00"},
		{time.Date(2026, 11, 29, 8, 0, 0, 999, time.UTC), "2026-11-29 08:00:00+00"},
		{time.Date(2026, 11, 29, 8, 0, 0, 120000000, time.FixedZone("W", -5*3600-1800)), "2026-11-29 13:30:00.12+00"},
		{time.Date(2027, 1, 1, 0, 30, 0, 0, cst), "2026-12-31 16:30:00+00"},
		{time.Time{}, "0001-01-01 00:00:00+00"},
	} {
		if got := string(appendTimestamp(nil, tc.t)); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.t, got, tc.want)
		}
	}
}

// Each kind of value's array element: quoted text form, NULL for a nil pointer or a Valuer's
// nil, a Valuer's value in its own form.
func TestAppendArrayElem(t *testing.T) {
	t.Parallel()
	s := `a"b\c`
	var nilStr *string
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"plain", `"plain"`},
		{&s, `"a\"b\\c"`},
		{nilStr, `NULL`},
		{true, `"true"`},
		{int64(-42), `"-42"`},
		{uint(7), `"7"`},
		{1.5, `"1.5"`},
		{[]byte("hi"), `"\\x6869"`},
		{at, `"2026-03-02 09:30:00+00"`},
		{sql.NullString{String: "x", Valid: true}, `"x"`},
		{sql.NullString{}, `NULL`},
		{sql.NullTime{Time: at, Valid: true}, `"2026-03-02 09:30:00+00"`},
		{sql.NullInt64{Int64: 9, Valid: true}, `"9"`},
	} {
		got, err := appendArrayElem(nil, reflect.ValueOf(tc.v))
		if err != nil || string(got) != tc.want {
			t.Errorf("%#v: %s (%v), want %s", tc.v, got, err, tc.want)
		}
	}
	if _, err := appendArrayElem(nil, reflect.ValueOf(struct{}{})); err == nil {
		t.Error("a struct has a text form")
	}
}
