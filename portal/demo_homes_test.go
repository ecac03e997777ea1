package portal_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"qijian/internal/demo"
)

// withStories is an env with the demo's stories played up to its clock.
func withStories(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	if err := demo.Stories(context.Background(), e.st, []byte("0123456789abcdef0123456789abcdef"), e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDemoGivesEveryHomeSomethingToDo: with the demo loaded, each role's home leads with live
// numbers that are not all nought, and lists instead of "… will show here".
func TestDemoGivesEveryHomeSomethingToDo(t *testing.T) {
	t.Parallel()
	e := withStories(t)
	figRe := regexp.MustCompile(`data-testid="fig-(fig\.[a-z_]+)"><strong>(\d+)</strong>`)
	want := map[string][]string{
		"ent-a":        {"fig.to_sign", "fig.upcoming_inspections", "fig.open_complaints"},
		"ent-b":        {"fig.upcoming_inspections", "fig.open_complaints"},
		"liaison-lc":   {"fig.open"},
		"liaison-city": {"fig.open"},
		"officer-scj":  {"fig.open", "fig.upcoming_inspections"},
	}
	empty := []string{"会显示在这里", "会按截止时间排列在这里"}
	for _, user := range []string{"ent-a", "ent-b", "liaison-lc", "liaison-city", "officer-scj", "obs-chamber", "provider-1", "admin"} {
		b := e.browser()
		b.login(user, demoPassword)
		home := b.do("GET", "/", nil).Body
		figs := map[string]string{}
		for _, m := range figRe.FindAllStringSubmatch(home, -1) {
			figs[m[1]] = m[2]
		}
		for _, k := range want[user] {
			if figs[k] == "" || figs[k] == "0" {
				t.Errorf("%s's home: %s is %q (figures %v)", user, k, figs[k], figs)
			}
		}
		if user == "provider-1" && !strings.Contains(home, `href="/bookings/`) {
			t.Errorf("the provider's home lists no booking")
		}
		if user == "obs-chamber" && !strings.Contains(home, `data-testid="obs-orders"`) {
			t.Errorf("the observation point's home lists no filing")
		}
		for _, s := range empty {
			if strings.Contains(home, s) {
				t.Errorf("%s's home still says %q", user, s)
			}
		}
	}
}

// TestOwnListSaysWhoFiled: the enterprise's own list and home name who raised each order: the
// clue its inspection raised is the system's, the observation point's filing is the point's,
// and only its own are "filed by you".
func TestOwnListSaysWhoFiled(t *testing.T) {
	t.Parallel()
	e := withStories(t)
	b := e.browser()
	b.login("ent-a", demoPassword)
	re := regexp.MustCompile(`data-testid="filed-by">([^<]*)<`)
	for _, path := range []string{"/complaints?limit=500", "/"} {
		seen := map[string]int{}
		for _, m := range re.FindAllStringSubmatch(b.do("GET", path, nil).Body, -1) {
			seen[m[1]]++
		}
		if path == "/" {
			if seen["您提交的"] == 0 {
				t.Errorf("home: %v", seen)
			}
			continue
		}
		if seen["您提交的"] == 0 || seen["系统线索"] == 0 || seen["观察点代为反映"] == 0 || len(seen) != 3 {
			t.Errorf("%s: who filed %v, want its own, the system's clue and the observation point's", path, seen)
		}
	}
}
