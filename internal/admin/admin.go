// Package admin is the administrator's use cases: staff logins, enforcement bodies and the
// county list, the routing table and deadlines of work orders, local overrides of the
// working-day calendar, and the SMS and email outbox. Each checks account.Can first, and each
// change is written to the audit chain in its own transaction.
package admin

import (
	"context"
	"encoding/json"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Service runs the admin use cases. Cal is the working-day calendar this process keeps loaded;
// calendar overrides are applied to it at once.
type Service struct {
	St    *store.Store
	Cal   *calendar.Calendar
	Clock clock.Clock
}

// The refusals of this package (bad input comes as errs.Field values).
var (
	ErrForbidden   = errs.New(errs.Forbidden, "forbidden", "err.forbidden")
	ErrNotFound    = errs.New(errs.NotFound, "not_found", "err.not_found")
	ErrDisableSelf = errs.New(errs.Forbidden, "disable_self", "admin.err.disable_self")
)

// allow refuses unless the policy grants act to a.
func allow(a account.Actor, act account.Action) error {
	if !account.Can(a, act, account.Object{}) {
		return ErrForbidden
	}
	return nil
}

// record puts what a did on the audit chain, in ctx's transaction. detail, if not nil, is
// stored as JSON.
func (s *Service) record(ctx context.Context, a account.Actor, action, objType string, objID uint64, detail any) error {
	e := audit.Event{At: s.Clock.Now(), ActorID: a.UserID, ActorRole: string(a.Role), Action: action, ObjectType: objType, ObjectID: objID}
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("admin: audit detail: %w", err)
		}
		e.Detail = string(b)
	}
	return s.St.QueueAudit(ctx, e)
}

// notFound turns the store's not-found into this package's, keeping other errors with a prefix.
func notFound(op string, err error) error {
	if errs.KindOf(err) == errs.NotFound {
		return fmt.Errorf("admin: %s: %w", op, ErrNotFound)
	}
	return fmt.Errorf("admin: %s: %w", op, err)
}

// pick is the English text when asked for and present, else the Chinese.
func pick(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}
