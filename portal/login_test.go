package portal_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"qijian/portal"
)

// Each demo user logs in by page and lands on its role's home page, and by API token.
var demoHomes = []struct{ user, role, marker string }{
	{"ent-a", "enterprise", "温州鹿城新锐鞋业有限公司"},
	{"ent-b", "enterprise", "瑞安市恒泰汽摩配件有限公司"},
	{"liaison-lc", "liaison", "鹿城区"},
	{"liaison-city", "liaison", "全市"},
	{"officer-scj", "officer", "温州市市场监督管理局"},
	{"obs-chamber", "observer", "温州鹿城新锐鞋业有限公司"},
	{"provider-1", "provider", "温州市企检服务中心"},
	{"admin", "admin", "系统管理员"},
}

func TestEachDemoUserLogsInByPageAndToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, d := range demoHomes {
		t.Run(d.user, func(t *testing.T) {
			b := e.browser()
			r := b.login(d.user, demoPassword)
			if r.Status != 303 || r.Header.Get("Location") != "/" {
				t.Fatalf("login: %d to %q", r.Status, r.Header.Get("Location"))
			}
			home := b.do("GET", "/", nil)
			if home.Status != 200 || !strings.Contains(home.Body, `data-testid="home-title"`) || !strings.Contains(home.Body, d.marker) {
				t.Fatalf("home: %d, want the %s home with %q", home.Status, d.role, d.marker)
			}
			code, me := e.api("GET", "/api/v1/me", e.token(d.user), nil)
			if code != 200 || me["username"] != d.user || me["role"] != d.role {
				t.Fatalf("/me: %d %v", code, me)
			}
		})
	}
}

func TestMeCarriesScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, me := e.api("GET", "/api/v1/me", e.token("ent-a"), nil)
	ent := me["enterprise"].(map[string]any)
	if ent["county"] != "330302" || len(ent["uscc"].(string)) != 18 || ent["name"] == "" {
		t.Errorf("enterprise: %v", ent)
	}
	_, me = e.api("GET", "/api/v1/me", e.token("liaison-lc"), nil)
	if s := me["scope"].(map[string]any); s["level"] != "county" || s["county"] != "330302" {
		t.Errorf("liaison-lc scope: %v", s)
	}
	_, me = e.api("GET", "/api/v1/me", e.token("liaison-city"), nil)
	if s := me["scope"].(map[string]any); s["level"] != "city" {
		t.Errorf("liaison-city scope: %v", s)
	}
	_, me = e.api("GET", "/api/v1/me", e.token("officer-scj"), nil)
	if b := me["body"].(map[string]any); b["name"] != "温州市市场监督管理局" {
		t.Errorf("officer body: %v", b)
	}
	if code, _ := e.api("GET", "/api/v1/me", "", nil); code != 401 {
		t.Errorf("/me without a token: %d, want 401", code)
	}
	if code, _ := e.api("GET", "/api/v1/me", "forged-token", nil); code != 401 {
		t.Errorf("/me with a forged token: %d, want 401", code)
	}
}

func TestWrongPasswordAndUnknownUserLookTheSame(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c1, o1 := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-a", "password": "wrong-password"})
	c2, o2 := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "no-such-user", "password": "wrong-password"})
	if c1 != 401 || c2 != 401 || o1["error"].(map[string]any)["code"] != o2["error"].(map[string]any)["code"] {
		t.Fatalf("wrong password %d %v, unknown user %d %v", c1, o1, c2, o2)
	}
	b := e.browser()
	r := b.login("ent-a", "wrong-password")
	if r.Status != 401 || !strings.Contains(r.Body, "用户名或密码错误") {
		t.Fatalf("page login with wrong password: %d", r.Status)
	}
	if _, ok := b.cookies["qj_session"]; ok {
		t.Fatal("a failed login set a session cookie")
	}
	// Missing fields are named.
	code, out := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-a"})
	if code != 422 || fields(out)["password"] == nil {
		t.Fatalf("missing password: %d %v", code, out)
	}
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := 0; i < 4; i++ {
		if code, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": "wrong-password"}); code != 401 {
			t.Fatalf("attempt %d: %d", i+1, code)
		}
	}
	if code, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": "wrong-password"}); code != 429 {
		t.Fatalf("5th failure: %d, want 429 locked", code)
	}
	if code, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": demoPassword}); code != 429 {
		t.Fatalf("right password while locked: %d, want 429", code)
	}
	b := e.browser()
	if r := b.login("ent-b", demoPassword); r.Status != 429 || !strings.Contains(r.Body, "临时锁定") {
		t.Fatalf("page login while locked: %d", r.Status)
	}
	e.clk.Advance(16 * time.Minute)
	if code, _ := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "ent-b", "password": demoPassword}); code != 200 {
		t.Fatalf("after the lock ran out: %d, want 200", code)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.LoginPerMinute = 3 })
	for i := 0; i < 3; i++ {
		e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "x", "password": "y"})
	}
	if code, out := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": "x", "password": "y"}); code != 429 || out["error"].(map[string]any)["code"] != "rate_limited" {
		t.Fatalf("4th attempt in a minute: %d %v", code, out)
	}
}

func TestCSRFIsRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.do("GET", "/login", nil)
	if r := b.do("POST", "/login", url.Values{"username": {"ent-a"}, "password": {demoPassword}}); r.Status != 403 {
		t.Fatalf("login without a CSRF token: %d, want 403", r.Status)
	}
	if r := b.do("POST", "/login", url.Values{"username": {"ent-a"}, "password": {demoPassword}, "_csrf": {"forged"}}); r.Status != 403 {
		t.Fatalf("login with a forged CSRF token: %d, want 403", r.Status)
	}
	b.login("ent-a", demoPassword)
	if r := b.do("POST", "/logout", url.Values{}); r.Status != 403 {
		t.Fatalf("logout without a token: %d", r.Status)
	}
	// A token from another session does not work either.
	other := e.browser()
	other.login("ent-b", demoPassword)
	tok := other.csrf("/")
	if r := b.do("POST", "/logout", url.Values{"_csrf": {tok}}); r.Status != 403 {
		t.Fatalf("logout with another session's token: %d", r.Status)
	}
	if r := b.do("GET", "/", nil); !strings.Contains(r.Body, "home-title") {
		t.Fatal("the session did not survive the refused requests")
	}
	if r := b.post("/logout", "/", nil); r.Status != 303 {
		t.Fatalf("logout with the token: %d", r.Status)
	}
	if r := b.do("GET", "/inbox", nil); r.Status != 302 {
		t.Fatalf("after logout /inbox: %d, want a redirect to login", r.Status)
	}
}

func TestSessionFixationIsDefeated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.cookies["qj_session"] = "attacker-chosen-session-id"
	b.login("ent-a", demoPassword)
	got := b.cookies["qj_session"]
	if got == "" || got == "attacker-chosen-session-id" {
		t.Fatalf("session id not rotated at login: %q", got)
	}
	// And a logged-in session is replaced, not reused, by a second login.
	b.post("/login", "/", url.Values{"username": {"ent-a"}, "password": {demoPassword}})
	if b.cookies["qj_session"] == got {
		t.Fatal("second login kept the old session id")
	}
	old := e.browser()
	old.cookies["qj_session"] = got
	if r := old.do("GET", "/inbox", nil); r.Status != 302 {
		t.Fatalf("the replaced session still works: %d", r.Status)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("ent-a", demoPassword)
	e.clk.Advance(29 * time.Minute)
	if r := b.do("GET", "/inbox", nil); r.Status != 200 {
		t.Fatalf("after 29 idle minutes: %d", r.Status)
	}
	e.clk.Advance(31 * time.Minute)
	if r := b.do("GET", "/inbox", nil); r.Status != 302 {
		t.Fatalf("after 31 idle minutes: %d, want redirect", r.Status)
	}
	// Absolute: active every 20 minutes, still out after 12 hours.
	b.login("ent-a", demoPassword)
	for i := 0; i < 35; i++ { // 11 h 40 min
		e.clk.Advance(20 * time.Minute)
		if r := b.do("GET", "/inbox", nil); r.Status != 200 {
			t.Fatalf("active session died after %d min", (i+1)*20)
		}
	}
	e.clk.Advance(20 * time.Minute)
	if r := b.do("GET", "/inbox", nil); r.Status != 302 {
		t.Fatalf("after 12 h: %d, want redirect", r.Status)
	}
}

// Users written by bulk loads or older code may hold NULL in optional text columns; signing in
// and every later request must read them as empty, not fail.
func TestSignedInUserWithNullColumns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token("ent-a")
	if err := e.st.Gorm().Exec("UPDATE users SET org_name = NULL, county_code = NULL, display_name = NULL WHERE username = 'ent-a'").Error; err != nil {
		t.Fatal(err)
	}
	if code, me := e.api("GET", "/api/v1/me", tok, nil); code != 200 {
		t.Fatalf("/me of a user with NULL columns: %d %v", code, me)
	}
	if code, out := e.api("POST", "/api/v1/complaints", tok, map[string]any{"type": "conduct", "description": "检查人员态度粗暴，干扰生产"}); code != 201 {
		t.Fatalf("filing by a user with NULL columns: %d %v", code, out)
	}
}
