package pgbulk

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm/schema"
)

// binColumn is a column of n rows for pgx to send in binary: each row's value through conv, the
// zero T (NULL) where value finds a nil pointer.
func binColumn[T any](n int, value func(int) (reflect.Value, bool), conv func(reflect.Value) (T, error)) (binCol[T], error) {
	col := make(binCol[T], n)
	for i := range col {
		if v, ok := value(i); ok {
			x, err := conv(v)
			if err != nil {
				return nil, err
			}
			col[i] = x
		}
	}
	return col, nil
}

// binCol is one column's values as a one-dimensional array for pgx to send in binary. Index
// hands out a pointer into the slice, which pgx encodes through the pgtype value's own methods.
type binCol[T any] []T

func (c binCol[T]) Dimensions() []pgtype.ArrayDimension {
	return []pgtype.ArrayDimension{{Length: int32(len(c)), LowerBound: 1}}
}
func (c binCol[T]) Index(i int) any { return &c[i] }
func (c binCol[T]) IndexType() any  { return new(T) }

// binType is the array element type a column's values go as in binary: its sqlType, when that
// is the one its Go type has (a type: tag naming another, e.g. jsonb, takes the text path, whose
// cast converts), or "" for the text path.
func binType(f *schema.Field) string {
	t := f.FieldType
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if implementsValuer(t) || implementsValuer(reflect.PointerTo(t)) {
		return ""
	}
	natural := naturalType(t)
	if natural == "" || natural == "bytea" || sqlType(f) != natural {
		return "" // bytea, which has no binary case in table, goes as text too
	}
	return natural
}

// naturalType is the PostgreSQL type of a Go type's values, or "" for one without.
func naturalType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "bigint"
	case reflect.Float32, reflect.Float64:
		return "double precision"
	case reflect.Struct:
		if t == timeType {
			return "timestamptz"
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bytea"
		}
	}
	return ""
}

// sqlType is the PostgreSQL type a column's text is cast to: the one its schema names (gorm's
// own choice for the Go type, or a type: tag). Assignment narrows it to the column's exact type
// (integer, varchar(n)) as it would a parameter.
func sqlType(f *schema.Field) string {
	switch f.DataType {
	case schema.Bool:
		return "boolean"
	case schema.Int, schema.Uint:
		return "bigint"
	case schema.Float:
		return "double precision"
	case schema.String:
		return "text"
	case schema.Time:
		return "timestamptz"
	case schema.Bytes:
		return "bytea"
	}
	return string(f.DataType)
}

// int64Of is an integer field's value; an unsigned one beyond int64 is an error, not a wrap.
func int64Of(v reflect.Value) (int64, error) {
	switch v.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if u := v.Uint(); u > math.MaxInt64 {
			return 0, fmt.Errorf("%d is beyond bigint", u)
		}
		return int64(v.Uint()), nil
	}
	return v.Int(), nil
}

// timeOf reads a time.Time field without boxing a copy of it when the field is addressable (a
// slice element's field always is).
func timeOf(v reflect.Value) time.Time {
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time)
	}
	return v.Interface().(time.Time)
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	valuerType = reflect.TypeFor[driver.Valuer]()
)

// valuers caches reflect's Implements, which is slow enough to show in the submit path.
var valuers sync.Map // reflect.Type → bool

func implementsValuer(t reflect.Type) bool {
	if v, ok := valuers.Load(t); ok {
		return v.(bool)
	}
	v := t.Implements(valuerType)
	valuers.Store(t, v)
	return v
}
