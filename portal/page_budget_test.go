package portal_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Page budgets for a slow phone (issue 18): any page's HTML under 100 KB, the CSS and JS it
// references under 150 KB together, and nothing fetched from any host but the portal's own.
const (
	maxHTML   = 100 << 10
	maxAssets = 150 << 10
)

var (
	assetRe   = regexp.MustCompile(`<(?:script|img|link|source|iframe|video|audio)\b[^>]*?\s(?:src|href|srcset)="([^"]+)"`)
	cssLinkRe = regexp.MustCompile(`<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<script\b[^>]*src="([^"]+)"`)
	cssURLRe  = regexp.MustCompile(`url\(\s*['"]?([^'")]+)`)
	actionRe  = regexp.MustCompile(`<form\b[^>]*\saction="([^"]+)"`)
)

// foreign tells whether a reference leaves the portal's own host.
func foreign(ref string) bool {
	ref = html.UnescapeString(strings.TrimSpace(ref))
	if strings.HasPrefix(ref, "data:") {
		return false
	}
	u, err := url.Parse(ref)
	return err != nil || u.Host != "" || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https")
}

func TestEveryPageFitsASlowPhone(t *testing.T) {
	t.Parallel()
	e := withStories(t)
	assetSize := map[string]int{}
	size := func(b *browser, ref string) int {
		if n, ok := assetSize[ref]; ok {
			return n
		}
		r := b.do("GET", ref, nil)
		if r.Status != 200 {
			t.Errorf("asset %s: %d", ref, r.Status)
		}
		if strings.HasSuffix(ref, ".css") {
			for _, m := range cssURLRe.FindAllStringSubmatch(r.Body, -1) {
				if foreign(m[1]) {
					t.Errorf("%s fetches %s from another host", ref, m[1])
				}
			}
		}
		assetSize[ref] = len(r.Body)
		return len(r.Body)
	}
	pages, biggest, biggestAt := 0, 0, ""
	for _, user := range []string{"", "ent-a", "ent-b", "liaison-lc", "liaison-city", "officer-scj", "obs-chamber", "provider-1", "admin"} {
		for _, lang := range []string{"zh", "en"} {
			b := e.browser()
			if user != "" {
				b.login(user, demoPassword)
			}
			if lang == "en" {
				b.post("/lang/en", "/", url.Values{"next": {"/"}})
			}
			crawl(t, b, []string{"/", "/complaints?limit=500", "/lists"}, 80, func(path, body string) {
				pages++
				where := user + " " + lang + " " + path
				if len(body) > biggest {
					biggest, biggestAt = len(body), where
				}
				if len(body) > maxHTML {
					t.Errorf("%s: HTML %d KB, over %d KB", where, len(body)>>10, maxHTML>>10)
				}
				for _, re := range []*regexp.Regexp{assetRe, actionRe} {
					for _, m := range re.FindAllStringSubmatch(body, -1) {
						if foreign(m[1]) {
							t.Errorf("%s references %s on another host", where, m[1])
						}
					}
				}
				total := 0
				for _, m := range cssLinkRe.FindAllStringSubmatch(body, -1) {
					total += size(b, html.UnescapeString(m[1]+m[2]))
				}
				if total > maxAssets {
					t.Errorf("%s: CSS and JS %d KB, over %d KB", where, total>>10, maxAssets>>10)
				}
			})
		}
	}
	if pages < 100 {
		t.Errorf("only %d pages crawled", pages)
	}
	t.Logf("%d pages; largest HTML %d KB (%s); assets %v", pages, biggest>>10, biggestAt, assetSize)
}

func TestForeignReferenceIsSeen(t *testing.T) {
	t.Parallel()
	for ref, want := range map[string]bool{"/static/css/app.css": false, "https://cdn.example.com/x.js": true, "//cdn.example.com/x.js": true, "data:image/png;base64,AA": false, "/login?next=%2F": false} {
		if foreign(ref) != want {
			t.Errorf("foreign(%q) = %v", ref, !want)
		}
	}
}
