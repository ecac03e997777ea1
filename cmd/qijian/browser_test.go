package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qijian/internal/demo"
	"qijian/internal/testkit"
)

// chromePath finds the browser: QIJIAN_CHROME, else Debian's chromium. Under CI a missing
// browser fails the run; elsewhere the test skips and says which variable to set.
func chromePath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("QIJIAN_CHROME"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if testkit.CI() {
		t.Fatal("no browser: install Debian's chromium or set QIJIAN_CHROME")
	}
	t.Skip("no browser found: set QIJIAN_CHROME to a Chromium binary to run the browser tests")
	return ""
}

func screenshotDir(t *testing.T) string {
	if d := os.Getenv("QIJIAN_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromePath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(width, height),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first run starts the browser and binds the tab to ctx; later runs may use shorter
	// contexts derived from it without closing the tab.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start browser: %v", err)
	}
	return ctx
}

func shot(dir, name string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		buf, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	}
}

// text reads an element's text.
func text(ctx context.Context, sel string) (string, error) {
	return chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
}

// TestBrowserEachRoleSeesItsHome logs in as each demo role through the login page in a real
// browser, sees that role's home page, and logs out.
func TestBrowserEachRoleSeesItsHome(t *testing.T) {
	chromePath(t)
	base, pw := startServe(t, serverEnv(t))
	dir := screenshotDir(t)
	ctx := newBrowser(t, 1280, 900)
	homes := []struct{ user, want string }{
		{"ent-a", "温州鹿城新锐鞋业有限公司"},
		{"ent-b", "瑞安市恒泰汽摩配件有限公司"},
		{"liaison-lc", "监督联络员 · 鹿城区"},
		{"liaison-city", "监督联络员 · 全市"},
		{"officer-scj", "温州市市场监督管理局"},
		{"obs-chamber", "观测点"},
		{"provider-1", "温州市企检服务中心"},
		{"admin", "系统管理员"},
	}
	for _, h := range homes {
		var title, who string
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := chromedp.Do(tctx,
			chromedp.Navigate(base+"login"),
			chromedp.WaitVisible(chromedp.CSS(`#username`)),
			chromedp.SendKeys(chromedp.CSS(`#username`), h.user),
			chromedp.SendKeys(chromedp.CSS(`#password`), pw),
			chromedp.Submit(chromedp.CSS(`#password`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="home-title"]`)),
			shot(dir, "home-"+h.user),
		)
		if err == nil {
			title, err = text(tctx, `[data-testid="home-title"]`)
		}
		if err == nil {
			who, err = text(tctx, `[data-testid="whoami"]`)
		}
		if err == nil {
			err = chromedp.Do(tctx,
				chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
				chromedp.WaitVisible(chromedp.CSS(`#username`)))
		}
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", h.user, err)
		}
		if !strings.Contains(title, h.want) || who != h.user {
			t.Errorf("%s: home title %q (want %q), signed in as %q", h.user, title, h.want, who)
		}
	}
}

// TestBrowserRegisterOnAPhone registers an enterprise on a phone-sized screen, sees the field
// error for a bad credit code first, then switches to English.
func TestBrowserRegisterOnAPhone(t *testing.T) {
	chromePath(t)
	base, _ := startServe(t, serverEnv(t))
	dir := screenshotDir(t)
	ctx := newBrowser(t, 390, 844)
	good := demo.USCC("330381", 777)
	bad := good[:17] + map[bool]string{true: "0", false: "1"}[good[17] != '0']
	var msg, title, lead string
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	fill := func(code string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.CSS(`#uscc`), code),
			chromedp.SetValue(chromedp.CSS(`#name`), "瑞安市浏览器测试有限公司"),
			chromedp.SetValue(chromedp.CSS(`#county`), "330381"),
			chromedp.SetValue(chromedp.CSS(`#industry`), "auto_parts"),
			chromedp.SetValue(chromedp.CSS(`#contact_name`), "王五"),
			chromedp.SetValue(chromedp.CSS(`#mobile`), "13700000000"),
			chromedp.SetValue(chromedp.CSS(`#r-username`), "phone-co"),
			chromedp.SetValue(chromedp.CSS(`#r-password`), "Ou-wenzhou-gate-7319"),
		}
	}
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	var err error
	must("open register", chromedp.Do(tctx, chromedp.Navigate(base+"register"), chromedp.WaitVisible(chromedp.CSS(`#uscc`))))
	must("fill with a bad code", chromedp.Do(tctx, fill(bad)...))
	must("submit", chromedp.Do(tctx, chromedp.Submit(chromedp.CSS(`#uscc`)), chromedp.WaitVisible(chromedp.CSS(`#uscc-err`)), shot(dir, "register-phone-error")))
	msg, err = text(tctx, `#uscc-err`)
	must("read the error", err)
	must("fill with a good code", chromedp.Do(tctx, fill(good)...))
	// A self-registered login is an applicant: it lands on its application until reviewed.
	must("register and log in", chromedp.Do(tctx,
		chromedp.Submit(chromedp.CSS(`#uscc`)),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), "phone-co"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "Ou-wenzhou-gate-7319"),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="application-status"]`)),
		shot(dir, "application-phone-enterprise")))
	title, err = text(tctx, `[data-testid="application-status"]`)
	must("read the application", err)
	// The page fits the phone's width: the menu sits behind its button.
	overflow, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	must("measure the page", err)
	menu, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`(() => { const b = document.querySelector('[data-testid="menu-button"]').getBoundingClientRect(); const n = document.querySelector('.top nav').getBoundingClientRect(); return b.width > 0 && b.right <= window.innerWidth && n.height === 0; })()`))
	must("measure the menu", err)
	if overflow > 0 || !menu {
		t.Fatalf("on a phone the page is %dpx wider than the screen, or the menu is not behind its button (%v)", overflow, menu)
	}
	// Wait for the English page itself: the Chinese one's element is visible until it is replaced.
	must("switch to English", chromedp.Do(tctx, chromedp.Navigate(base), chromedp.WaitVisible(chromedp.CSS(`[data-testid="menu-button"]`)), openMenu(), chromedp.Click(chromedp.CSS(`form[action="/lang/en"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] [data-testid="application-status"]`)), shot(dir, "application-phone-enterprise-en")))
	lead, err = text(tctx, `[data-testid="application-status"]`)
	must("read the English text", err)
	if !strings.Contains(msg, "统一社会信用代码无效") {
		t.Errorf("credit code error: %q", msg)
	}
	if !strings.Contains(title, "审核中") {
		t.Errorf("after registering: %q, want the application under review", title)
	}
	if !strings.Contains(lead, "Under review") {
		t.Errorf("English switch: %q", lead)
	}
}
