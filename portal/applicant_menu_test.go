package portal_test

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestApplicantMenuHoldsOnlyWhatItMayUse: a self-registered login not yet approved sees its
// application, its inbox, its settings and the public services in the menu, and logout, none
// of the enterprise's pages (which would answer it 403); every item it sees opens.
func TestApplicantMenuHoldsOnlyWhatItMayUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	form := url.Values{}
	for k, v := range validRegistration(0) {
		form.Set(k, v)
	}
	if r := b.post("/register", "/register", form); r.Status != 303 {
		t.Fatalf("register: %d", r.Status)
	}
	b.login("newcoa", "a-long-password")
	page := b.do("GET", "/account/application", nil).Body
	nav := page[strings.Index(page, `<nav id="menu"`):]
	nav = nav[:strings.Index(nav, "</nav>")]
	var hrefs []string
	for _, m := range regexp.MustCompile(`<a href="([^"]+)"`).FindAllStringSubmatch(nav, -1) {
		hrefs = append(hrefs, m[1])
	}
	sort.Strings(hrefs)
	if got := strings.Join(hrefs, " "); got != "/account/application /inbox /services /settings/notifications" {
		t.Errorf("the applicant's menu links %s", got)
	}
	if !strings.Contains(nav, `action="/logout"`) {
		t.Error("no logout in the applicant's menu")
	}
	for _, h := range hrefs {
		if r := b.do("GET", h, nil); r.Status != 200 {
			t.Errorf("the applicant's menu item %s answers %d", h, r.Status)
		}
	}
	// An approved enterprise keeps its whole menu.
	b = e.browser()
	b.login("ent-a", demoPassword)
	if home := b.do("GET", "/", nil).Body; !strings.Contains(home, `href="/bookings"`) || strings.Contains(home, `href="/account/application"`) {
		t.Error("an approved enterprise's menu lost its pages")
	}
}
