package portal_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"qijian/internal/demo"
	"qijian/internal/testkit"
)

func validRegistration(i int) map[string]string {
	return map[string]string{
		"uscc": demo.USCC("330304", 900+i), "name": "温州测试企业有限公司", "county": "330304", "industry": "apparel",
		"contact_name": "张三", "mobile": "13800138000", "username": "newco" + string(rune('a'+i)), "password": "a-long-password",
	}
}

func (e *env) enterpriseCount() int64 {
	n, err := e.st.CountEnterprises(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestRegisterByAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.enterpriseCount()
	code, out := e.api("POST", "/api/v1/auth/register", "", validRegistration(0))
	if code != 202 || out["status"] != "received" || len(out) != 1 {
		t.Fatalf("register: %d %v", code, out)
	}
	c, me := e.api("GET", "/api/v1/me", e.tokenFor("newcoa", "a-long-password"), nil)
	if c != 200 || me["role"] != "enterprise" || me["applicant"] != true || me["enterprise"] != nil {
		t.Fatalf("the new login: %d %v; want an applicant with no enterprise yet", c, me)
	}
	if sent, _ := testkit.Sent(context.Background(), e.st, ""); len(sent) != 1 {
		t.Errorf("welcome notification: sent to %v, want the new login alone", sent)
	}
	// A credit code already registered and a taken username get the very same answer.
	dup := validRegistration(1)
	dup["uscc"] = validRegistration(0)["uscc"]
	dupUser := validRegistration(2)
	dupUser["username"] = "ent-a"
	for name, r := range map[string]map[string]string{"credit code": dup, "username": dupUser} {
		if code, again := e.api("POST", "/api/v1/auth/register", "", r); code != 202 || len(again) != 1 || again["status"] != "received" {
			t.Fatalf("taken %s: %d %v, want the answer of any registration", name, code, again)
		}
	}
	if got := e.enterpriseCount(); got != before+1 {
		t.Fatalf("enterprises: %d, want %d", got, before+1)
	}
}

func TestRegisterRefusesBadInputNamingTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.enterpriseCount()
	cases := []struct {
		name, field, value string
		status             int
	}{
		{"bad check character", "uscc", demo.USCC("330304", 950)[:17] + "X", 422},
		{"credit code too short", "uscc", "9133030", 422},
		{"missing name", "name", "", 422},
		{"county outside Wenzhou", "county", "110101", 422},
		{"unknown industry", "industry", "mining", 422},
		{"bad mobile", "mobile", "12345", 422},
		{"bad username", "username", "A B", 422},
		{"short password", "password", "short", 422},
		{"missing contact", "contact_name", "", 422},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := validRegistration(10 + i)
			r[tc.field] = tc.value
			if tc.field == "uscc" && tc.value[len(tc.value)-1] == 'X' && demo.USCC("330304", 950)[17] == 'X' {
				r[tc.field] = tc.value[:17] + "Y"
			}
			code, out := e.api("POST", "/api/v1/auth/register", "", r)
			if code != tc.status || fields(out)[tc.field] == nil {
				t.Fatalf("%d %v, want %d naming %s", code, out, tc.status, tc.field)
			}
		})
	}
	// Malformed bodies: wrong type, unknown field, not JSON, wrong content type.
	if code, out := e.api("POST", "/api/v1/auth/register", "", `{"uscc": 12}`); code != 400 || fields(out)["uscc"] == nil {
		t.Errorf("wrong type: %d %v", code, out)
	}
	if code, out := e.api("POST", "/api/v1/auth/register", "", `{"admin": true}`); code != 400 || fields(out)["admin"] == nil {
		t.Errorf("unknown field: %d %v", code, out)
	}
	if code, _ := e.api("POST", "/api/v1/auth/register", "", `{not json`); code != 400 {
		t.Errorf("not JSON: %d", code)
	}
	if code, _ := e.api("POST", "/api/v1/auth/register", "", `{}`, "Content-Type", "text/plain"); code != 415 {
		t.Errorf("text/plain: %d", code)
	}
	if got := e.enterpriseCount(); got != before {
		t.Fatalf("refused registrations created %d enterprises", got-before)
	}
}

func TestRegisterByPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	form := url.Values{}
	bad := validRegistration(0)
	bad["uscc"] = "91330304MA2H00000"
	for k, v := range bad {
		form.Set(k, v)
	}
	r := b.post("/register", "/register", form)
	if r.Status != 422 || !strings.Contains(r.Body, "统一社会信用代码无效") || !strings.Contains(r.Body, `value="温州测试企业有限公司"`) {
		t.Fatalf("bad credit code by page: %d; want the form back with the message and the typed values", r.Status)
	}
	if strings.Contains(r.Body, "a-long-password") {
		t.Fatal("the page echoed the password")
	}
	form.Set("uscc", validRegistration(0)["uscc"])
	r = b.post("/register", "/register", form)
	if r.Status != 303 || r.Header.Get("Location") != "/login?applied=1" {
		t.Fatalf("register by page: %d %s", r.Status, r.Header.Get("Location"))
	}
	if r := b.login("newcoa", "a-long-password"); r.Status != 303 {
		t.Fatalf("login after registering: %d", r.Status)
	}
	home := b.do("GET", "/", nil)
	if home.Status != 303 || home.Header.Get("Location") != "/account/application" {
		t.Fatalf("an applicant's home: %d %s, want its application", home.Status, home.Header.Get("Location"))
	}
	if app := b.do("GET", "/account/application", nil); app.Status != 200 || !strings.Contains(app.Body, "温州测试企业有限公司") || !strings.Contains(app.Body, "审核中") {
		t.Fatalf("the application page: %d", app.Status)
	}
}

func (e *env) tokenFor(user, pw string) string {
	e.t.Helper()
	code, out := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": user, "password": pw})
	if code != 200 {
		e.t.Fatalf("token for %s: %d %v", user, code, out)
	}
	return out["token"].(string)
}
