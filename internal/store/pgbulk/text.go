package pgbulk

import (
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// appendArrayElem appends v to an array literal: NULL for a nil pointer (or a Valuer's nil),
// else its text form in double quotes, with backslashes and quotes escaped.
func appendArrayElem(b []byte, v reflect.Value) ([]byte, error) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return append(b, "NULL"...), nil
		}
		if implementsValuer(v.Type()) {
			break
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.String && v.Type() != timeType && implementsValuer(v.Type()) {
		x, err := v.Interface().(driver.Valuer).Value()
		if err != nil {
			return b, err
		}
		if x == nil {
			return append(b, "NULL"...), nil
		}
		return appendArrayElem(b, reflect.ValueOf(x))
	}
	b = append(b, '"')
	switch {
	case v.Kind() == reflect.String:
		b = appendEscaped(b, v.String())
	case v.Type() == timeType:
		b = appendTimestamp(b, timeOf(v))
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
		b = append(b, `\\x`...)
		b = hex.AppendEncode(b, v.Bytes())
	default:
		switch v.Kind() {
		case reflect.Bool:
			b = strconv.AppendBool(b, v.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b = strconv.AppendInt(b, v.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			b = strconv.AppendUint(b, v.Uint(), 10)
		case reflect.Float32, reflect.Float64:
			b = strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
		default:
			return b, fmt.Errorf("no text form for %s", v.Type())
		}
	}
	return append(b, '"'), nil
}

// appendTimestamp appends t as timestamptz text: UTC, cut to the microsecond, as pgx's binary form
// does (PostgreSQL would round text's extra digits instead). Times of a plain time.Time column go
// in binary; this is for those a Valuer hands over (sql.NullTime).
func appendTimestamp(b []byte, t time.Time) []byte {
	return append(t.UTC().Truncate(time.Microsecond).AppendFormat(b, "2006-01-02 15:04:05.999999"), "+00"...)
}

// appendEscaped appends s with the two characters an array literal's quoted element escapes,
// copying the runs between them whole.
func appendEscaped(b []byte, s string) []byte {
	for {
		i := strings.IndexAny(s, `"\`)
		if i < 0 {
			return append(b, s...)
		}
		b = append(append(b, s[:i]...), '\\', s[i])
		s = s[i+1:]
	}
}
