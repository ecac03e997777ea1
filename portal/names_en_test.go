package portal_test

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// TestEnglishPagesNameBodiesAndCountiesInEnglish crawls every role's pages in English, with the
// demo's data, and fails where a body or county that has an English name is shown by its
// Chinese one. What people typed or registered (enterprise names, logins' display names,
// addresses, plan titles) is proper text and is left out of the check; so, for now, is the
// evidence text the automatic checks write on a clue, which is stored in Chinese.
func TestEnglishPagesNameBodiesAndCountiesInEnglish(t *testing.T) {
	t.Parallel()
	e := withStories(t)
	ctx := context.Background()
	var chinese []string
	bodies, err := e.st.Bodies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bodies {
		if b.NameEn != "" {
			chinese = append(chinese, b.NameZh)
		}
	}
	counties, err := e.st.Counties(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counties {
		if c.NameEn != "" {
			chinese = append(chinese, c.NameZh)
		}
	}
	var proper []string
	if err := e.st.Gorm().Raw("SELECT name FROM enterprises UNION SELECT display_name FROM users UNION SELECT org_name FROM users WHERE org_name <> '' UNION SELECT address FROM bookings WHERE address <> '' UNION SELECT title FROM inspection_plans UNION SELECT description FROM work_orders WHERE source = 'system'").Scan(&proper).Error; err != nil {
		t.Fatal(err)
	}
	for _, p := range proper { // a clue's evidence, as the clue list shows it
		if t, ok := strings.CutPrefix(p, "【系统线索】"); ok {
			proper = append(proper, t)
		}
	}
	sort.Slice(proper, func(i, j int) bool { return len(proper[i]) > len(proper[j]) })
	var problems []string
	for _, user := range []string{"", "ent-a", "ent-b", "liaison-lc", "liaison-city", "officer-scj", "obs-chamber", "provider-1", "admin"} {
		b := e.browser()
		if user != "" {
			b.login(user, demoPassword)
		}
		b.post("/lang/en", "/", url.Values{"next": {"/"}})
		crawl(t, b, []string{"/", "/complaints?limit=500", "/lists", "/inspections"}, 80, func(path, body string) {
			if path == "/admin/counties" || strings.HasPrefix(path, "/admin/bodies") {
				return // the master data itself: both names side by side
			}
			text := visibleText(body)
			for _, p := range proper {
				text = strings.ReplaceAll(text, p, " ")
			}
			for _, zh := range chinese {
				if strings.Contains(text, zh) {
					problems = append(problems, user+" "+path+": "+zh)
				}
			}
		})
	}
	sort.Strings(problems)
	uniq := problems[:0]
	for i, p := range problems {
		if i == 0 || p != problems[i-1] {
			uniq = append(uniq, p)
		}
	}
	if len(uniq) > 0 {
		t.Errorf("%d Chinese names on English pages:\n%s", len(uniq), strings.Join(uniq, "\n"))
	}
}
