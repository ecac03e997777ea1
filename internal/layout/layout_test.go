// Package layout holds the test that keeps the tree's import direction:
// cmd → portal, workflows → internal/<capability> → internal/store, with the pure rule packages
// importing none of fiber, gorm, asynq or the store.
package layout

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func listAll(t *testing.T) map[string]pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Imports,Deps", "qijian/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	all := map[string]pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		all[p.ImportPath] = p
	}
	return all
}

// pure are the packages that state rules in plain Go: a unit test drives them without a database.
var pure = []string{
	"qijian/internal/account",
	"qijian/internal/audit",
	"qijian/internal/booking/slots",
	"qijian/internal/calendar",
	"qijian/internal/clock",
	"qijian/internal/errs",
	"qijian/internal/grievance/lifecycle",
	"qijian/internal/inspection/actcode",
	"qijian/internal/inspection/rules",
	"qijian/internal/outreach/appointment",
}

// frameworks may appear only where the layout puts them.
var frameworks = map[string][]string{
	"github.com/gofiber/fiber": {"qijian/portal", "qijian/cmd/", "qijian/bench"},
	"gorm.io/gorm":             {"qijian/internal/store", "qijian/migrations", "qijian/cmd/", "qijian/bench", "qijian/portal", "qijian/workflows", "qijian/notify", "qijian/internal/testkit", "qijian/internal/demo"},
	"github.com/hibiken/asynq": {"qijian/workflows", "qijian/cmd/", "qijian/bench", "qijian/internal/testkit"},
}

func has(list []string, prefix string) bool {
	for _, x := range list {
		if x == prefix || strings.HasPrefix(x, prefix+"/") {
			return true
		}
	}
	return false
}

func allowed(path string, where []string) bool {
	for _, w := range where {
		if path == w || (strings.HasSuffix(w, "/") && strings.HasPrefix(path, w)) || strings.HasPrefix(path, w+"/") {
			return true
		}
	}
	return false
}

func TestPurePackagesImportNoFrameworkOrStore(t *testing.T) {
	t.Parallel()
	all := listAll(t)
	for _, p := range pure {
		info, ok := all[p]
		if !ok {
			t.Errorf("%s: no such package (update the list)", p)
			continue
		}
		for _, bad := range []string{"github.com/gofiber/fiber", "gorm.io/gorm", "github.com/hibiken/asynq", "qijian/internal/store", "qijian/portal", "qijian/workflows", "qijian/notify"} {
			if has(info.Deps, bad) {
				t.Errorf("%s depends on %s: rules stay plain Go", p, bad)
			}
		}
	}
}

func TestFrameworksStayInTheirLayer(t *testing.T) {
	t.Parallel()
	for path, info := range listAll(t) {
		for fw, where := range frameworks {
			if has(info.Imports, fw) && !allowed(path, where) {
				t.Errorf("%s imports %s", path, fw)
			}
		}
	}
}

// TestDirection: internal packages never reach up to portal, workflows, notify or cmd; the store
// reaches no use-case package; use cases reach each other only downward (none imports portal).
func TestDirection(t *testing.T) {
	t.Parallel()
	all := listAll(t)
	for path, info := range all {
		if !strings.HasPrefix(path, "qijian/internal/") || path == "qijian/internal/testkit" || strings.HasPrefix(path, "qijian/internal/layout") {
			continue
		}
		for _, up := range []string{"qijian/portal", "qijian/workflows", "qijian/notify", "qijian/cmd", "qijian/bench"} {
			if has(info.Deps, up) {
				t.Errorf("%s depends on %s, above it", path, up)
			}
		}
	}
	store := all["qijian/internal/store"]
	for _, imp := range store.Deps {
		if !strings.HasPrefix(imp, "qijian/") {
			continue
		}
		ok := imp == "qijian/internal/errs" || strings.HasPrefix(imp, "qijian/internal/store/") // its own parts (pgbulk)
		for _, p := range pure {
			ok = ok || imp == p
		}
		if !ok {
			t.Errorf("internal/store depends on %s: the store sits below the use cases and knows only plain types", imp)
		}
	}
	// The portal binds, calls the use cases and renders what they return: it reads no table.
	for _, imp := range all["qijian/portal"].Imports {
		if imp == "qijian/internal/store" || strings.HasPrefix(imp, "gorm.io/") {
			t.Errorf("portal imports %s: what it shows comes from the use cases", imp)
		}
	}
	for _, top := range []string{"qijian/portal", "qijian/workflows"} {
		for _, imp := range all[top].Deps {
			if imp == "qijian/notify" && top == "qijian/portal" {
				t.Errorf("portal depends on notify: delivery is reached from cmd and workflows only")
			}
			if imp == "qijian/cmd/qijian" {
				t.Errorf("%s depends on cmd", top)
			}
		}
	}
}
