// Package errs is the small set of error kinds every package's errors wrap, so that one place
// (the portal's handleError) maps them to answers: a forgotten mapper can no longer turn a 404
// into a 500. A package states its refusals as *Error values of a kind, with a stable code and
// a message key; errors.Is(err, errs.NotFound) holds for every not-found of every package.
package errs

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// The kinds. Each is a sentinel that errors.Is matches through any wrapping.
var (
	NotFound     = errors.New("not found")
	Forbidden    = errors.New("forbidden")
	Conflict     = errors.New("conflict")
	Invalid      = errors.New("invalid input")   // the request is well-formed but a field is wrong (422)
	Malformed    = errors.New("malformed input") // the request cannot be read (400)
	TooLarge     = errors.New("too large")
	Unsupported  = errors.New("unsupported type")
	Unavailable  = errors.New("unavailable")
	Limited      = errors.New("limit reached")
	Unauthorized = errors.New("unauthorized")
)

// kinds in the order KindOf tries them.
var kinds = []error{NotFound, Forbidden, Unauthorized, Conflict, Invalid, Malformed, TooLarge, Unsupported, Unavailable, Limited}

// Error is a refusal of one kind. Code is stable for API clients ("slot_full"); Key is the
// message key shown to people; Fields, for bad input, maps each request field at fault (its JSON
// and form name) to the message shown beside it.
type Error struct {
	Kind   error
	Code   string
	Key    string
	Fields map[string]string
	Err    error // an underlying cause, if any (never shown to clients)
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Code != "" {
		b.WriteString(": " + e.Code)
	}
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		b.WriteString(" " + f + "=" + e.Fields[f])
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Is makes errors.Is(err, kind) true for an *Error of that kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap gives the cause.
func (e *Error) Unwrap() error { return e.Err }

// New is a refusal of kind with a code and a message key.
func New(kind error, code, key string) *Error { return &Error{Kind: kind, Code: code, Key: key} }

// Field is bad input in one field; key is the message shown beside it.
func Field(field, key string) *Error { return InvalidFields(map[string]string{field: key}) }

// InvalidFields is bad input in several fields, field → message key.
func InvalidFields(fields map[string]string) *Error {
	return &Error{Kind: Invalid, Code: "validation", Key: "err.form", Fields: fields}
}

// FieldsOf gives the fields at fault in err, or nil.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Wrap gives err a kind and a code, keeping it as the cause; nil stays nil.
func Wrap(kind error, code string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: kind, Code: code, Key: "err." + code, Err: err}
}

// KindOf is the kind of err, or nil when it has none (an internal fault). The outermost
// *Error's kind wins over its cause's; an error of no kind is offered to the classifiers.
func KindOf(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	for _, k := range kinds {
		if errors.Is(err, k) {
			return k
		}
	}
	for _, c := range classifiers {
		if k := c(err); k != nil {
			return k
		}
	}
	return nil
}

// classifiers give kinds to errors that come from below the packages that state their own: a
// driver's connection error, a full disk (see AddClassifier).
var classifiers []func(error) error

// AddClassifier lets a package that talks to the outside (the store: database drivers) say
// which of the errors it passes up are of a kind, such as Unavailable, so that an error that
// escaped its wrapping is still answered right. It is called from package init, before any
// request.
func AddClassifier(c func(error) error) { classifiers = append(classifiers, c) }
