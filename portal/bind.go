package portal

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
)

// bindParams fills the struct dst points to from the request's path parameters (fields tagged
// `param:"id"`) and query string (`query:"status"`). Each value is checked as it is read: a
// number that does not fit (ids of 2^63 and up, which PostgreSQL's bigint cannot hold), a NUL
// byte or invalid UTF-8 is bad input naming its field, never a failed query later. A path
// parameter that is not a number answers 404: /complaints/abc is no order.
func bindParams(c *fiber.Ctx, dst any) error {
	rv := reflect.ValueOf(dst).Elem()
	rt := rv.Type()
	bad := map[string]string{}
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			if err := bindParams(c, rv.Field(i).Addr().Interface()); err != nil {
				return err
			}
			continue
		}
		if name := sf.Tag.Get("param"); name != "" {
			if err := setText(rv.Field(i), c.Params(name)); err != nil {
				return errNotFound
			}
			continue
		}
		name := strings.SplitN(sf.Tag.Get("query"), ",", 2)[0]
		if name == "" || name == "-" {
			continue
		}
		f := rv.Field(i)
		if f.Kind() == reflect.Slice {
			raw := c.Context().QueryArgs().PeekMulti(name)
			vals := reflect.MakeSlice(f.Type(), 0, len(raw))
			for _, r := range raw {
				el := reflect.New(f.Type().Elem()).Elem()
				if err := setText(el, string(r)); err != nil {
					bad[name] = "err.invalid"
					break
				}
				vals = reflect.Append(vals, el)
			}
			f.Set(vals)
			continue
		}
		raw := c.Query(name)
		if raw == "" {
			continue
		}
		if err := setText(f, raw); err != nil {
			bad[name] = "err.invalid"
		}
	}
	if len(bad) > 0 {
		return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: bad}
	}
	return nil
}

// setText parses s into f by f's kind; a pointer field gets a new value.
func setText(f reflect.Value, s string) error {
	if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
		return strconv.ErrSyntax
	}
	if f.Kind() == reflect.Pointer {
		v := reflect.New(f.Type().Elem())
		if err := setText(v.Elem(), s); err != nil {
			return err
		}
		f.Set(v)
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(strings.Clone(s)) // fiber reuses the buffer behind the query
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, err := strconv.ParseInt(s, 10, f.Type().Bits())
		if err != nil {
			return err
		}
		f.SetInt(n)
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		n, err := strconv.ParseUint(s, 10, f.Type().Bits())
		if err != nil || n > math.MaxInt64 {
			return strconv.ErrRange
		}
		f.SetUint(n)
	default:
		return strconv.ErrSyntax
	}
	return nil
}
