package portal_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"qijian/internal/demo"
	"qijian/internal/signin"
	"qijian/portal"
)

func init() {
	routeClass["GET /login/oidc"] = "public"
	routeClass["GET /login/oidc/callback"] = "public"
}

// platform is the unified identity platform as the tests run it: zitadel's OpenID Provider
// (its in-memory example storage, login form and all) over real HTTP, whose ID tokens carry the
// legal person's enterprise: a credit code and a name per subject.
type platform struct {
	*storage.Storage
	enterprises map[string][2]string // subject → credit code, name
}

func (p *platform) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := p.Storage.SetUserinfoFromRequest(ctx, ui, token, scopes); err != nil {
		return err
	}
	if e, ok := p.enterprises[token.GetSubject()]; ok {
		ui.AppendClaims("uscc", e[0])
		ui.AppendClaims("name", e[1])
	}
	return nil
}

const portalCallback = "http://portal.test/login/oidc/callback"

// startPlatform serves the provider on a loopback port and registers the portal as a client.
func startPlatform(t *testing.T, enterprises map[string][2]string) (issuer string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer = "http://" + srv.Listener.Addr().String()
	users := storage.NewUserStore(issuer)
	clients := map[string]*storage.Client{"qijian": storage.WebClient("qijian", "qijian-secret", portalCallback)}
	st := &platform{Storage: storage.NewStorageWithClients(users, clients), enterprises: enterprises}
	srv.Config.Handler = exampleop.SetupServer(issuer, st, nil, false)
	srv.Start()
	t.Cleanup(srv.Close)
	return issuer
}

// federatedEnv is a portal that trusts the platform at issuer.
func federatedEnv(t *testing.T, issuer string) *env {
	return newEnv(t, func(d *portal.Deps) {
		d.Federation = &signin.Federation{Config: signin.FederationConfig{Issuer: issuer, ClientID: "qijian", ClientSecret: "qijian-secret", RedirectURL: portalCallback}}
	})
}

// legalPersonLogin walks a browser through the platform: the portal sends it there, the person
// signs in on the platform's own form, the platform sends it back with a code.
func legalPersonLogin(t *testing.T, b *browser, issuer, username, password string) resp {
	t.Helper()
	start := b.do("GET", "/login/oidc", nil)
	if start.Status != 303 || !strings.HasPrefix(start.Header.Get("Location"), issuer) {
		t.Fatalf("start: %d %s", start.Status, start.Header.Get("Location"))
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next := start.Header.Get("Location")
	var back string
	for range 10 {
		res, err := client.Get(next)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		loc, err := res.Location()
		if err != nil {
			t.Fatalf("the platform stopped at %s: %d", next, res.StatusCode)
		}
		if strings.HasPrefix(loc.String(), portalCallback) {
			back = loc.String()
			break
		}
		if loc.Path == "/login/username" {
			form := url.Values{"username": {username}, "password": {password}, "id": {loc.Query().Get("authRequestID")}}
			res, err := client.PostForm(issuer+"/login/username", form)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if loc, err = res.Location(); err != nil {
				t.Fatalf("the platform refused the login: %d", res.StatusCode)
			}
		}
		next = loc.String()
		if !strings.HasPrefix(next, "http") {
			next = issuer + next
		}
	}
	if back == "" {
		t.Fatal("the platform never sent the browser back")
	}
	return b.do("GET", strings.TrimPrefix(back, "http://portal.test"), nil)
}

// Finding 5: the legal-person login by OpenID Connect. The credit code comes from the
// platform's ID token; the login acts for the enterprise at once, and a squatter's application
// for the same code is refused and its access ended.
func TestLegalPersonLoginThroughTheIdentityPlatform(t *testing.T) {
	t.Parallel()
	code := demo.USCC("330302", 1) // ent-a's
	issuer := startPlatform(t, map[string][2]string{"id1": {code, "温州鹿城新锐鞋业有限公司"}, "id2": {"not-a-code", "无效"}})
	e := federatedEnv(t, issuer)
	if code, _ := e.api("POST", "/api/v1/auth/register", "", squatterRegistration("squatter")); code != 202 {
		t.Fatal(code)
	}
	squatter := e.tokenFor("squatter", "a-long-password")
	host := strings.Split(strings.TrimPrefix(issuer, "http://"), ":")[0]
	b := e.browser()
	if r := b.do("GET", "/login", nil); !strings.Contains(r.Body, "/login/oidc") {
		t.Fatal("the login page offers no legal-person login")
	}
	r := legalPersonLogin(t, b, issuer, "test-user@"+host, "verysecure")
	if r.Status != 303 || r.Header.Get("Location") != "/" {
		t.Fatalf("callback: %d %s %s", r.Status, r.Header.Get("Location"), r.Body)
	}
	home := b.do("GET", "/", nil)
	if home.Status != 200 || !strings.Contains(home.Body, "温州鹿城新锐鞋业有限公司") {
		t.Fatalf("the legal person's home: %d", home.Status)
	}
	if r := b.do("GET", "/documents", nil); r.Status != 200 {
		t.Fatalf("documents page: %d", r.Status)
	}
	if c, _ := e.api("GET", "/api/v1/me", squatter, nil); c != 401 {
		t.Fatalf("the squatter's token after the legal person came: %d", c)
	}
	if c := claimOf(t, e, "squatter"); c.Status != "refused" {
		t.Fatalf("the squatter's application: %+v", c)
	}
	// The same person again: the same login, no second account.
	again := e.browser()
	if r := legalPersonLogin(t, again, issuer, "test-user@"+host, "verysecure"); r.Status != 303 {
		t.Fatalf("second login: %d", r.Status)
	}
	var n int64
	e.st.DB(context.Background()).Table("federated_identities").Count(&n)
	if n != 1 {
		t.Fatalf("federated identities: %d", n)
	}
	// A token without a valid credit code signs no one in; nor does a forged callback.
	other := e.browser()
	if r := legalPersonLogin(t, other, issuer, "test-user2", "verysecure"); r.Status != 401 || other.cookies["qj_session"] != "" {
		t.Fatalf("a token without a credit code: %d", r.Status)
	}
	forged := e.browser()
	forged.do("GET", "/login/oidc", nil)
	if r := forged.do("GET", "/login/oidc/callback?code=forged&state=forged", nil); r.Status != 401 || forged.cookies["qj_session"] != "" {
		t.Fatalf("a forged callback: %d", r.Status)
	}
}
