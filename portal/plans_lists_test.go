package portal_test

import (
	"strings"
	"testing"
	"time"

	"qijian/internal/calendar"
)

// §2.5: a body's published plans and its published special inspections are listed on its public
// lists page; a special inspection not yet published, or published later, is not; nothing names
// the enterprise (the view carries none). A plan's publication date in the future is refused (PLAN-1).
func TestListsPageShowsPlansAndSpecials(t *testing.T) {
	t.Parallel()
	e := newEnv(t) // now: Monday 2026-03-02 17:00
	off := e.token("officer-scj")
	sh := calendar.Location()
	if code, out := e.api("POST", "/api/v1/bodies/1/plans", off, map[string]any{"year": 2027, "title": "2027 年度计划", "published_on": "2026-03-03"}); code != 422 || fields(out)["published_on"] == nil {
		t.Fatalf("a publication tomorrow: %d %v", code, out)
	}
	special := func(at, published time.Time) {
		t.Helper()
		d := time.Date(2026, 2, 10, 0, 0, 0, 0, sh)
		code, out := e.api("POST", "/api/v1/inspections", off, map[string]any{"kind": "special", "enterprise_id": 1, "body_ids": []int{1}, "item_ids": []int{1},
			"inspector_ids": []int{1, 2}, "scheduled_at": at.Format(time.RFC3339), "notice_delivered_at": d.Format(time.RFC3339),
			"special": map[string]any{"legal_review_on": d, "collective_decision_on": d, "approved_on": d, "filed_on": d, "published_on": published}})
		if code != 201 {
			t.Fatalf("special: %d %v", code, out)
		}
	}
	special(time.Date(2026, 3, 20, 9, 0, 0, 0, sh), time.Date(2026, 2, 12, 0, 0, 0, 0, sh))
	special(time.Date(2026, 4, 20, 9, 0, 0, 0, sh), time.Date(2026, 3, 10, 0, 0, 0, 0, sh)) // published later: not yet listed
	r := e.browser().do("GET", "/lists/1", nil)
	if r.Status != 200 {
		t.Fatalf("lists page: %d", r.Status)
	}
	plans := section(r.Body, `data-testid="plans"`)
	if !strings.Contains(plans, "2026 年度行政检查计划") || !strings.Contains(plans, "2026-02-20") {
		t.Errorf("the published plans are not listed: %s", plans)
	}
	specials := section(r.Body, `data-testid="specials"`)
	if !strings.Contains(specials, "2026-03-20") || !strings.Contains(specials, "2026-02-12") || strings.Contains(specials, "2026-04-20") {
		t.Errorf("the published specials: %s", specials)
	}
}

// section is the part of a page from marker to the end of its list.
func section(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</ul>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}
