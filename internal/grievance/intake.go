package grievance

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Call is a phone call to the 12345/12348 hotline that an operator records as an order on behalf
// of the enterprise that called: the body of POST /api/v1/intake/orders and the form of /intake.
// The caller is verified by the enterprise's credit code and its registered mobile; the rest is
// a filing's (Filing), anonymity included.
type Call struct {
	USCC           string   `json:"uscc" form:"uscc" validate:"required,uscc"`
	Mobile         string   `json:"mobile" form:"mobile" validate:"required,mobile"`
	Type           string   `json:"type" form:"type" validate:"required,oneof=illegal_inspection missing_code conduct appeal consultation"`
	Reasons        []string `json:"reasons" form:"reasons" validate:"max=17,dive,reason"`
	Description    string   `json:"description" form:"description" validate:"required,min=5,max=5000"`
	InspectionCode string   `json:"inspection_code" form:"inspection_code" validate:"max=40"`
	CodeForged     bool     `json:"code_forged" form:"code_forged"`
	BodyID         uint     `json:"body_id" form:"body_id"`
	// Anonymous: the caller asked to stay anonymous (the operator asks every caller).
	Anonymous bool `json:"anonymous" form:"anonymous"`
}

// Normalize trims what an operator types as heard before the rules see it: the credit code in
// capitals, the mobile without spaces, dashes or the country code.
func (c *Call) Normalize() {
	c.USCC = account.NormalizeUSCC(c.USCC)
	c.Mobile = normalMobile(c.Mobile)
	c.Description = strings.TrimSpace(c.Description)
	c.InspectionCode = strings.TrimSpace(c.InspectionCode)
}

// takenCall is what a verified call adds to its filing: who took it.
type takenCall struct {
	operator string // the operator's name, for the timeline
}

// TakenCall is a recorded call: the order, as the operator reads it back to the caller, and the
// enterprise the caller was verified as (empty when the caller asked to stay anonymous).
type TakenCall struct {
	Filed
	Enterprise string
}

var mobileRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// normalMobile is a mobile number as typed on a call, without spaces, dashes or the country code.
func normalMobile(m string) string {
	m = strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(m))
	m = strings.TrimPrefix(m, "+86")
	if len(m) == 13 && strings.HasPrefix(m, "86") {
		m = m[2:]
	}
	return m
}

// TakeCall records a phone call as an order. The operator (account.TakeCalls) names the caller's
// credit code and mobile; the enterprise is looked up by the code and the mobile must be its
// registered contact's or the verified mobile of one of its logins, else the refusal names the
// field and nothing is created. The order is then filed by File, like a web filing: the same
// routing, deadlines, idempotency (the key is the operator's) and notifications (to the
// enterprise's logins, as to a filer), with source phone and the operator named on the timeline.
func (s *Service) TakeCall(ctx context.Context, by account.Actor, c Call, key string) (TakenCall, error) {
	if !account.Can(by, account.TakeCalls, account.Object{}) {
		return TakenCall{}, ErrForbidden
	}
	code := account.NormalizeUSCC(c.USCC)
	if !account.ValidUSCC(code) {
		return TakenCall{}, errs.Field("uscc", "err.uscc")
	}
	mobile := normalMobile(c.Mobile)
	if !mobileRe.MatchString(mobile) {
		return TakenCall{}, errs.Field("mobile", "err.mobile")
	}
	ent, err := s.St.EnterpriseByUSCC(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return TakenCall{}, errs.Field("uscc", "err.intake_unknown")
	}
	if err != nil {
		return TakenCall{}, fmt.Errorf("complaint: take call: %w", err)
	}
	if normalMobile(ent.Mobile) != mobile {
		ok, err := s.St.LoginHasMobile(ctx, ent.ID, mobile)
		if err != nil {
			return TakenCall{}, fmt.Errorf("complaint: take call: %w", err)
		}
		if !ok {
			return TakenCall{}, errs.Field("mobile", "err.intake_mobile")
		}
	}
	u, err := s.St.User(ctx, by.UserID)
	if err != nil {
		return TakenCall{}, fmt.Errorf("complaint: take call: %w", err)
	}
	name := u.DisplayName
	if name == "" {
		name = u.Username
	}
	f := Filing{Type: c.Type, Reasons: c.Reasons, Description: c.Description, InspectionCode: c.InspectionCode, CodeForged: c.CodeForged,
		BodyID: c.BodyID, Anonymous: c.Anonymous, EnterpriseID: ent.ID, call: &takenCall{operator: name}}
	filed, err := s.File(ctx, by, f, key)
	if err != nil {
		return TakenCall{}, err
	}
	t := TakenCall{Filed: filed}
	if !c.Anonymous {
		t.Enterprise = ent.Name // an anonymous caller's name stays off what the operator keeps (RedactOrder)
	}
	return t, nil
}

// CallDay is an operator's numbers for its home page: the calls it took today (Wenzhou time)
// and, of all it took, those still open.
type CallDay struct {
	Today, Open int64
}

// CallDay counts the calls by took. Any other caller gets none.
func (s *Service) CallDay(ctx context.Context, by account.Actor) (CallDay, error) {
	if !account.Can(by, account.TakeCalls, account.Object{}) || by.UserID == 0 {
		return CallDay{}, nil
	}
	now := s.Clock.Now().In(calendar.Location())
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	today, open, err := s.St.CallCounts(ctx, by.UserID, day)
	if err != nil {
		return CallDay{}, fmt.Errorf("complaint: calls: %w", err)
	}
	return CallDay{Today: today, Open: open}, nil
}
