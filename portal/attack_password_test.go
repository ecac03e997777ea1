package portal_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"qijian/internal/message"
	"qijian/internal/store"
)

func init() {
	for k, v := range map[string]string{
		"PUT /api/v1/me/password":                  "login",
		"POST /api/v1/auth/password-reset":         "public",
		"POST /api/v1/auth/password-reset/confirm": "public",
		"GET /settings/password":                   "login",
		"POST /settings/password":                  "login",
		"GET /password/forgot":                     "public",
		"POST /password/forgot":                    "public",
		"GET /password/reset":                      "public",
		"POST /password/reset":                     "public",
	} {
		routeClass[k] = v
	}
}

// Finding 7: weak and common passwords are refused wherever a person chooses one.
func TestAttackWeakPasswordsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i, pw := range []string{"aaaaaaaaaa", "1234567890", "password123", "qwertyuiop"} {
		r := validRegistration(i)
		r["password"] = pw
		if code, out := e.api("POST", "/api/v1/auth/register", "", r); code != 422 || fields(out)["password"] == nil {
			t.Errorf("registering with %q: %d %v", pw, code, out)
		}
	}
	b := e.browser()
	form := url.Values{}
	for k, v := range validRegistration(5) {
		form.Set(k, v)
	}
	form.Set("password", "1234567890")
	if r := b.post("/register", "/register", form); r.Status != 422 || !strings.Contains(r.Body, "常见密码") {
		t.Errorf("page registration with a common password: %d", r.Status)
	}
	tok := e.token("ent-a")
	if code, out := e.api("PUT", "/api/v1/me/password", tok, map[string]string{"current_password": demoPassword, "new_password": "aaaaaaaaaa"}); code != 422 || fields(out)["new_password"] == nil {
		t.Errorf("changing to aaaaaaaaaa: %d %v", code, out)
	}
}

// Changing one's password needs the current one, ends the other sessions and is audited.
func TestPasswordChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.token("ent-a")
	b := e.browser()
	b.login("ent-a", demoPassword)
	if r := b.post("/settings/password", "/settings/password", url.Values{"current_password": {"wrong-password"}, "new_password": {"a-new-strong-passphrase-42"}}); r.Status != 422 || !strings.Contains(r.Body, "当前密码不正确") {
		t.Fatalf("wrong current password: %d", r.Status)
	}
	if r := b.post("/settings/password", "/settings/password", url.Values{"current_password": {demoPassword}, "new_password": {"a-new-strong-passphrase-42"}}); r.Status != 303 {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	if r := b.do("GET", "/settings/password?done=1", nil); r.Status != 200 || !strings.Contains(r.Body, "密码已修改") {
		t.Fatalf("the changing session: %d", r.Status)
	}
	if code, _ := e.api("GET", "/api/v1/me", other, nil); code != 401 {
		t.Fatalf("another session after the change: %d", code)
	}
	tok := e.tokenFor("ent-a", "a-new-strong-passphrase-42")
	if code, out := e.api("PUT", "/api/v1/me/password", tok, map[string]string{"current_password": "a-new-strong-passphrase-42", "new_password": "another-strong-passphrase-7"}); code != 204 {
		t.Fatalf("change by API: %d %v", code, out)
	}
	if code, _ := e.api("GET", "/api/v1/me", tok, nil); code != 200 {
		t.Fatalf("the token that changed it: %d", code)
	}
	var n, m int64
	e.st.DB(context.Background()).Table("audit_pending").Where("action = ?", "password.change").Count(&n)
	e.st.DB(context.Background()).Table("audit_log").Where("action = ?", "password.change").Count(&m)
	if n+m != 2 {
		t.Fatalf("audited changes: %d", n+m)
	}
}

func lastResetLink(t *testing.T, e *env) (to, token string) {
	t.Helper()
	var rows []store.OutboxRow
	if err := e.st.DB(context.Background()).Where("task_type = ?", message.TaskDeliver).Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var m message.Message
		if json.Unmarshal([]byte(r.Payload), &m) == nil && m.Kind == "account.reset" {
			to, token = m.To, strings.TrimPrefix(m.Link, "/password/reset?token=")
		}
	}
	return to, token
}

// Finding 7: the reset request answers the same for anyone, and the link reaches only the
// login's verified mobile, once.
func TestAttackResetDoesNotEnumerate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	answers := map[string]string{}
	for _, name := range []string{"no-such-user", "admin", "ent-a"} {
		began := time.Now()
		code, out := e.api("POST", "/api/v1/auth/password-reset", "", map[string]string{"username": name})
		if took := time.Since(began); took < 190*time.Millisecond {
			t.Errorf("a reset request for %s answered in %v: its timing may tell whether the login exists", name, took)
		}
		answers[name] = fmt.Sprint(code, out)
		b := e.browser()
		r := b.post("/password/forgot", "/password/forgot", url.Values{"username": {name}})
		answers[name] += " " + fmt.Sprint(r.Status, r.Header.Get("Location"))
	}
	if answers["no-such-user"] != answers["ent-a"] || answers["admin"] != answers["ent-a"] || !strings.HasPrefix(answers["ent-a"], "202") {
		t.Fatalf("reset answers differ: %v", answers)
	}
	to, token := lastResetLink(t, e)
	entA, _ := e.st.UserByUsername(context.Background(), "ent-a")
	ent, _ := e.st.Enterprise(context.Background(), *entA.EnterpriseID)
	if token == "" || to != ent.Mobile {
		t.Fatalf("reset link to %q (token %q), want ent-a's mobile %s", to, token, ent.Mobile)
	}
	old := e.token("ent-a")
	b := e.browser()
	if r := b.do("GET", "/password/reset?token="+token, nil); r.Status != 200 || r.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("reset page: %d %q", r.Status, r.Header.Get("Referrer-Policy"))
	}
	if r := b.post("/password/reset", "/password/reset?token="+token, url.Values{"token": {token}, "new_password": {"a-new-strong-passphrase-42"}}); r.Status != 303 || r.Header.Get("Location") != "/login?reset=1" {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	if code, _ := e.api("GET", "/api/v1/me", old, nil); code != 401 {
		t.Fatalf("a token from before the reset: %d", code)
	}
	if code, out := e.api("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": token, "new_password": "another-strong-passphrase-7"}); code != 422 || fields(out)["token"] == nil {
		t.Fatalf("the link used again: %d %v", code, out)
	}
	e.tokenFor("ent-a", "a-new-strong-passphrase-42")
}

// Finding 7: the lockout answers an unknown username exactly as a real one.
func TestAttackLockoutDoesNotEnumerate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seq := func(name string) string {
		var out []string
		for range 7 {
			code, body := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": name, "password": "wrong-password"})
			out = append(out, fmt.Sprint(code, body))
		}
		return strings.Join(out, "\n")
	}
	real, ghost := seq("ent-b"), seq("no-such-user")
	if real != ghost || !strings.Contains(real, "429") {
		t.Fatalf("a real login:\n%s\nan unknown one:\n%s", real, ghost)
	}
}
