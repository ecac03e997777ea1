package portal

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"qijian/internal/errs"

	"qijian/internal/message"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/grievance/lifecycle"
)

var (
	mobileRe   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{2,31}$`)
	countySet  = map[string]bool{}
)

func init() {
	for _, c := range account.CountyCodes {
		countySet[c] = true
	}
}

// newValidator registers the custom rules once: credit code, mobile, county, industry, username.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by their JSON names, which are also the form names.
	// Report fields by the names the request used: JSON and form names (the same), or the query
	// parameter's, or the path parameter's.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		for _, tag := range []string{"json", "query", "form", "param"} {
			name := strings.SplitN(f.Tag.Get(tag), ",", 2)[0]
			if name == "-" {
				return ""
			}
			if name != "" {
				return name
			}
		}
		return ""
	})
	must := func(tag string, fn func(string) bool) {
		if err := v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return fn(fl.Field().String()) }); err != nil {
			panic(err)
		}
	}
	must("uscc", func(s string) bool { return account.ValidUSCC(account.NormalizeUSCC(s)) })
	must("mobile", func(s string) bool { return mobileRe.MatchString(strings.TrimSpace(s)) })
	must("county", func(s string) bool { return countySet[s] })
	must("industry", account.ValidIndustry)
	must("username", func(s string) bool { return usernameRe.MatchString(strings.ToLower(strings.TrimSpace(s))) })
	must("role", func(s string) bool { return account.Role(s).Valid() })
	must("reason", lifecycle.ValidReason)
	must("group", message.ValidGroup)
	return v
}

// check validates v and turns failures into a 422 naming each field.
func (s *Server) check(v any) error {
	if bad := unstorableText(v); len(bad) > 0 {
		return errs.InvalidFields(bad)
	}
	err := s.validate.Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	fields := map[string]string{}
	for _, fe := range ves {
		key := "err.invalid"
		switch fe.Tag() {
		case "required":
			key = "err.required"
		case "required_if":
			key = "err.required"
		case "uscc", "mobile", "county", "industry", "username", "min", "max", "reason", "oneof", "email", "group":
			key = "err." + fe.Tag()
		}
		if _, seen := fields[fe.Field()]; !seen {
			fields[fe.Field()] = key
		}
	}
	return errs.InvalidFields(fields)
}

// decodeJSON reads a JSON body strictly: the right content type, one object, types that fit.
// A type mismatch names the field.
func decodeJSON(c *fiber.Ctx, v any) error {
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
		return &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.content_type"}
	}
	dec := json.NewDecoder(strings.NewReader(string(c.Body())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: map[string]string{te.Field: "err.invalid"}}
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: map[string]string{f: "err.invalid"}}
		}
		return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid"}
	}
	if dec.More() {
		return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid"}
	}
	return nil
}

// elems is f's value, the value it points to, or the elements of its slice.
func elems(f reflect.Value) []reflect.Value {
	switch f.Kind() {
	case reflect.Pointer:
		if f.IsNil() {
			return nil
		}
		return []reflect.Value{f.Elem()}
	case reflect.Slice:
		out := make([]reflect.Value, f.Len())
		for i := range out {
			out[i] = f.Index(i)
		}
		return out
	}
	return []reflect.Value{f}
}

// unstorableText names the string fields of the struct v points to that hold a NUL byte or
// invalid UTF-8, and the unsigned numbers past int64. PostgreSQL refuses all of them; caught here
// they are a 422 on the field instead of a failed write or query.
func unstorableText(v any) map[string]string {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return nil
	}
	bad := func(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }
	var out map[string]string
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := rv.Field(i)
		name := strings.SplitN(t.Field(i).Tag.Get("json"), ",", 2)[0]
		if name == "" || name == "-" {
			name = t.Field(i).Name
		}
		if t.Field(i).Anonymous && f.Kind() == reflect.Struct {
			for k, v := range unstorableText(f.Addr().Interface()) {
				if out == nil {
					out = map[string]string{}
				}
				out[k] = v
			}
			continue
		}
		hit := false
		for _, el := range elems(f) {
			switch el.Kind() {
			case reflect.String:
				hit = hit || bad(el.String())
			case reflect.Uint, reflect.Uint64:
				// Past int64 no database column holds it (bigint, SQLite's integer): bad input,
				// not a failed query.
				hit = hit || el.Uint() > math.MaxInt64
			}
		}
		if hit {
			if out == nil {
				out = map[string]string{}
			}
			out[name] = "err.invalid"
		}
	}
	return out
}
