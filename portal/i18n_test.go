package portal

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"qijian/internal/grievance/lifecycle"
)

// TestEveryMessageKeyExists: every literal key the views and handlers use, and every key built
// from an enumeration, has a Chinese and an English text.
func TestEveryMessageKeyExists(t *testing.T) {
	t.Parallel()
	lit := regexp.MustCompile(`(?:\bt \$?\.Lang|tr\(lang,|tr\(langOf\(c\),|problem\([^,]+, "[^"]+",) "([a-z_.]+)"`)
	keyish := regexp.MustCompile(`"((?:err|orders|admin|verify|nav|home|register|login|inbox|action|stage|status|type)\.[a-z_.]+)"`)
	var missing []string
	check := func(where, k string) {
		if m, ok := messages[k]; !ok || m[0] == "" || m[1] == "" {
			missing = append(missing, where+": "+k)
		}
	}
	err := fs.WalkDir(viewsFS, "views", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(viewsFS, p)
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			check(p, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "i18n") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range keyish.FindAllStringSubmatch(string(b), -1) {
			check(f, m[1])
		}
	}
	for _, s := range lifecycle.Statuses {
		check("status", "status."+string(s))
	}
	for _, ty := range lifecycle.Types {
		check("type", "type."+string(ty))
	}
	for _, st := range lifecycle.Table {
		check("action", "action."+string(st.Action))
	}
	for _, st := range lifecycle.Stages {
		check("stage", "stage."+string(st))
	}
	for _, r := range []string{"enterprise", "observer", "liaison", "officer", "provider", "admin", "system", "reporter"} {
		check("role", "role."+r)
	}
	for _, v := range []string{"valid", "unknown", "forged", "revoked", "merged", "expired"} {
		check("verify", "verify."+v)
	}
	if len(missing) > 0 {
		t.Fatalf("message keys without both texts:\n%s", strings.Join(missing, "\n"))
	}
}
