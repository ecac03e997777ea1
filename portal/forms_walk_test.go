package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// pageFormCase is one page form sent with a field left out or wrong, by the role whose form it
// is: the page must come back in place, 422, with the summary naming the field.
type pageFormCase struct {
	user, path, from string
	form             url.Values
	field            string // the field's id the summary links to
}

// TestEveryPageFormAnswersAFieldErrorInPlace walks the classes of page forms (filing, actions,
// bookings, ratings, inspection registration, master data, admin forms, provider schedule,
// settings, appointments, alerts, documents): none answers bad input with a bare error page.
func TestEveryPageFormAnswersAFieldErrorInPlace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := makeVictims(t, e, "walk")
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 5, 9, 0, 0, 0, wz))
	id := func(n uint64) string { return fmt.Sprint(n) }
	cases := []pageFormCase{
		{"ent-a", "/complaints", "/complaints/new", url.Values{"type": {"conduct"}, "description": {"短"}}, "description"},
		{"liaison-lc", "/complaints/" + id(v.Complaint) + "/act", "/complaints/" + id(v.Complaint), url.Values{"action": {"transfer"}, "unit_id": {"2"}}, "transfer-reason"},
		{"ent-a", "/bookings", "/services", url.Values{"slot_id": {id(uint64(sl.ID))}, "mode": {"online"}, "topic": {strings.Repeat("长", 2100)}}, "topic"},
		{"ent-a", "/inspections/" + id(v.Inspection) + "/rate", "/inspections/" + id(v.Inspection), url.Values{"score": {"9"}}, "score"},
		{"officer-scj", "/manage/inspections", "/manage/inspections/new", url.Values{"kind": {"triggered"}}, "enterprise_uscc"},
		{"officer-scj", "/manage/bodies/1/plan", "/manage/bodies/1/plan/new", url.Values{"year": {"1900"}}, "year"},
		{"admin", "/admin/users", "/admin/users/new", url.Values{"username": {"x"}}, "username"},
		{"admin", "/admin/bodies", "/admin/bodies/new", url.Values{"name_zh": {""}}, "name_zh"},
		{"admin", "/admin/services", "/admin/services/new", url.Values{"code": {""}}, "code"},
		{"provider-1", "/provider/schedule/" + id(v.Service), "/provider/schedule", url.Values{"times1": {"25:00"}, "cap1": {"1"}}, "times1-" + id(v.Service)},
		{"ent-a", "/settings/notifications", "/settings", url.Values{"sms": {"true"}, "mobile": {"123"}}, "mobile"},
		{"ent-a", "/appointments", "/appointments", url.Values{"body_id": {"1"}}, "topic"},
		{"officer-scj", "/alerts", "/alerts", url.Values{"title": {""}}, "title"},
		{"officer-scj", "/documents", "/documents", url.Values{"enterprise_uscc": {"1"}}, "enterprise_uscc"},
	}
	for _, tc := range cases {
		b := e.browser()
		b.login(tc.user, demoPassword)
		r := b.post(tc.path, tc.from, tc.form)
		bare := strings.Contains(r.Body, `data-testid="error-page"`) || !strings.Contains(r.Body, `data-testid="error-summary"`)
		t.Logf("%s %s: %d bare=%v field=%v", tc.user, tc.path, r.Status, bare, strings.Contains(r.Body, `href="#`+tc.field+`"`))
		if r.Status != 422 || bare || !strings.Contains(r.Body, `href="#`+tc.field+`"`) {
			t.Errorf("%s posts %s with a bad %s: %d, summary %v", tc.user, tc.path, tc.field, r.Status, !bare)
		}
	}
}
