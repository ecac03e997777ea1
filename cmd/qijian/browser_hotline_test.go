package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The hotline steps as the real roles through the pages: every action has its own small form on
// the order page (data-testid "<action>-form", fields "#<action>-<field>"); these helpers, one per
// action, fill and send them.

type steps = []chromedp.Action[chromedp.Void]

// own sends the small form of action after setting its fields (field name → value), confirming
// where the page asks once more.
func own(action string, fields map[string]string) steps {
	form := `[data-testid="` + action + `-form"]`
	s := steps{chromedp.WaitVisible(chromedp.CSS(form))}
	for f, v := range fields {
		s = append(s, chromedp.SetValue(chromedp.CSS(`#`+action+`-`+f), v))
	}
	s = append(s, chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)))
	if action == "close" || action == "escalate" {
		s = append(s, chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-step"]`)), chromedp.Click(chromedp.CSS(`[data-testid="confirm-form"] button[type="submit"]`)))
	}
	return append(s, chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)))
}

func doAccept() steps              { return own("accept", nil) }
func doDispatch(unit string) steps { return own("dispatch", map[string]string{"unit_id": unit}) }
func doFollowUp() steps            { return own("follow_up", nil) }
func doClose() steps               { return own("close", nil) }
func doRequestInfo(note string) steps {
	return steps{chromedp.WaitVisible(chromedp.CSS(`[data-testid="request-info-form"]`)), chromedp.SetValue(chromedp.CSS(`#request_info-note`), note),
		chromedp.Click(chromedp.CSS(`[data-testid="request-info-form"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`.notice.ok`))}
}

// doReply sends the unit's reply, with a file attached when file is not empty.
func doReply(note, file string) steps {
	form := `[data-testid="reply-form"] form[action$="/act"]`
	s := steps{chromedp.WaitVisible(chromedp.CSS(form)), chromedp.SetValue(chromedp.CSS(`#reply-note`), note)}
	if file != "" {
		s = append(s, chromedp.SetUploadFiles(chromedp.CSS(`#reply_file`), []string{file}))
	}
	return append(s, chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)))
}

// inSection submits the form of one data-testid section after filling fields (selector → value;
// a value "click" clicks it instead).
func inSection(section string, fields [][2]string, submit string) steps {
	sec := `[data-testid="` + section + `"] `
	s := steps{chromedp.WaitVisible(chromedp.CSS(sec + `form`))}
	for _, f := range fields {
		if f[1] == "click" {
			s = append(s, chromedp.Click(chromedp.CSS(sec+f[0])))
		} else {
			s = append(s, chromedp.SetValue(chromedp.CSS(sec+f[0]), f[1]))
		}
	}
	return append(s, chromedp.Click(chromedp.CSS(sec+submit)), chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)))
}

// arrived waits until the browser has followed a form's answer to a page whose address holds
// part (an action that takes the order out of the actor's sight answers no order page).
func arrived(part string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		for {
			loc, err := chromedp.Location()(ctx, tg)
			if err != nil {
				return chromedp.Void{}, err
			}
			if strings.Contains(loc, part) {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

type journey struct {
	t        *testing.T
	ctx      context.Context
	base, pw string
	dir      string
	url      string
}

func (j *journey) do(step string, s ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, s...); err != nil {
		j.t.Fatalf("%s: %v", step, err)
	}
}

// as logs in as user, opens the order and runs s.
func (j *journey) as(user, step string, s ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	all := append(append(steps{}, login(j.base, user, j.pw)...), chromedp.Navigate(j.url), chromedp.WaitVisible(chromedp.CSS(`[data-testid="order-number"]`)))
	j.do(user+": "+step, append(append(all, s...), logout()...)...)
}

func (j *journey) read(sel string) string {
	j.t.Helper()
	s, err := text(j.ctx, sel)
	if err != nil {
		j.t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// look opens the order as user and reads the selectors.
func (j *journey) look(user, shotName string, sels ...string) []string {
	j.t.Helper()
	j.do(user+" opens the order", append(append(steps{}, login(j.base, user, j.pw)...), chromedp.Navigate(j.url),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="timeline"]`)), shot(j.dir, shotName))...)
	out := make([]string, len(sels))
	for i, s := range sels {
		out[i] = j.read(s)
	}
	j.do(user+" logs out", logout()...)
	return out
}

// file files an illegal-inspection report as ent-a and keeps the order's address.
func (j *journey) file(desc string) {
	j.t.Helper()
	j.do("ent-a files", append(append(steps{}, login(j.base, "ent-a", j.pw)...),
		chromedp.Navigate(j.base+"complaints/new"), chromedp.WaitVisible(chromedp.CSS(`#description`)),
		chromedp.SetValue(chromedp.CSS(`#type`), "illegal_inspection"),
		chromedp.Click(chromedp.CSS(`input[name="reasons"][value="NOTICE-1"]`)),
		chromedp.SetValue(chromedp.CSS(`#body_id`), "1"),
		chromedp.SendKeys(chromedp.CSS(`#description`), desc),
		chromedp.Submit(chromedp.CSS(`#description`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="order-number"]`)))...)
	url, err := chromedp.Run(j.ctx, chromedp.Location())
	if err != nil {
		j.t.Fatal(err)
	}
	j.url = strings.TrimSuffix(url, "?filed=1") // the order itself, not its just-filed confirmation
	j.do("ent-a logs out", logout()...)
}

func newJourney(t *testing.T) *journey {
	chromePath(t)
	base, pw := startServe(t, serverEnv(t))
	ctx := newBrowser(t, 1280, 1000)
	tctx, cancel := context.WithTimeout(ctx, 240*time.Second)
	t.Cleanup(cancel)
	return &journey{t: t, ctx: tctx, base: base, pw: pw, dir: screenshotDir(t)}
}

// TestBrowserHotlineJourney: dispatch → sign-for → request for more (clock paused, shown) → the
// enterprise answers → the unit asks for more time, the liaison approves (the first due time kept
// and shown) → reply → follow-up dissatisfied → 重办 at level 1 → reply → follow-up satisfied →
// close. The timeline names who did each step.
func TestBrowserHotlineJourney(t *testing.T) {
	j := newJourney(t)
	j.file("检查人员未提前送达检查通知书，请核查")
	j.as("liaison-lc", "accepts and dispatches", append(doAccept(), doDispatch("1")...)...)
	j.as("officer-scj", "signs for it and asks for more", append(inSection("sign-form", nil, `button[type="submit"]`), doRequestInfo("请补充检查当日的照片")...)...)
	if got := j.look("ent-a", "hotline-paused", `[data-testid="paused"]`, `[data-testid="order-status"]`); !strings.Contains(got[0], "计时暂停") || got[1] != "已签收" {
		t.Fatalf("while waiting on the enterprise: %q, status %q", got[0], got[1])
	}
	j.as("ent-a", "answers", inSection("supply-info-form", [][2]string{{`#supply_info-note`, "照片已上传，请查收"}}, `button[type="submit"]`)...)
	// Five working days after the start of the test clock (Monday 2 March): Monday 9 March, after
	// the reply stage's due time (5 March) and within the 10 working days 12348 allows.
	j.as("officer-scj", "asks for an extension", inSection("ask-extension-form", [][2]string{{`#ask_extension-until`, "2026-03-09"}, {`#ask_extension-reason`, "需现场复核"}}, `button[type="submit"]`)...)
	j.as("liaison-lc", "approves it", inSection("decide-extension-form", nil, `form.inline button`)...)
	got := j.look("liaison-lc", "hotline-extended", `[data-testid="deadlines"]`, `[data-testid="timeline"]`)
	if !strings.Contains(got[0], "原定时限") || !strings.Contains(got[0], "03-09") {
		t.Fatalf("the extended reply stage does not show its new and first due times: %q", got[0])
	}
	if !strings.Contains(got[1], "鹿城区司法局 监督联络员") || !strings.Contains(got[1], "市场监管") {
		t.Fatalf("the timeline does not name who acted: %q", got[1])
	}
	j.as("officer-scj", "replies", doReply("已核查，检查前已送达通知书", replyPhoto(t))...)
	if got := j.look("ent-a", "hotline-reply-file", `[data-testid="reply-files"]`); !strings.Contains(got[0], "1") {
		t.Fatalf("the enterprise does not see the reply's photo: %q", got[0])
	}
	j.as("liaison-lc", "follows up: not solved, not satisfied", append(doFollowUp(),
		inSection("follow-up-form", [][2]string{{`#solved-no`, "click"}, {`#satisfied-no`, "click"}, {`#record_follow_up-note`, "企业表示问题未解决"}}, `button[type="submit"]`)...)...)
	if got := j.look("officer-scj", "hotline-rehandle", `[data-testid="order-level"]`, `[data-testid="order-status"]`, `[data-testid="timeline"]`, `[data-testid="deadlines"]`); got[0] != "催办提醒" || got[1] != "办理中" || !strings.Contains(got[2], "重办") || !strings.Contains(got[3], "轮次 2") {
		t.Fatalf("after the dissatisfied follow-up: level %q status %q timeline %q deadlines %q (want the new round's reply stage)", got[0], got[1], got[2], got[3])
	}
	j.as("officer-scj", "replies again", doReply("已重新核查并整改", "")...)
	j.as("liaison-lc", "follows up: solved, satisfied, and closes", append(append(doFollowUp(),
		inSection("follow-up-form", [][2]string{{`#solved-yes`, "click"}, {`#satisfied-yes`, "click"}}, `button[type="submit"]`)...), doClose()...)...)
	if got := j.look("ent-a", "hotline-closed", `[data-testid="order-status"]`, `[data-testid="order-level"]`); got[0] != "已办结" || got[1] != "催办提醒" {
		t.Fatalf("at the end: status %q level %q", got[0], got[1])
	}
}

// TestBrowserBounceJourney: the unit bounces a dispatched order with a coded reason; the liaison
// sees the reason by its name and dispatches it to another unit.
func TestBrowserBounceJourney(t *testing.T) {
	j := newJourney(t)
	j.file("检查人员未出示行政行为码，也未提前通知")
	j.as("liaison-lc", "accepts and dispatches", append(doAccept(), doDispatch("1")...)...)
	bounce := inSection("return-form", [][2]string{{`#return-return_code`, "not_our_duty"}, {`#return-reason`, "该检查由生态环境部门实施"}}, `button[type="submit"]`)
	bounce[len(bounce)-1] = arrived("done=return") // the order leaves the unit's sight
	j.as("officer-scj", "bounces it", bounce...)
	got := j.look("liaison-lc", "bounce-returned", `[data-testid="order-status"]`, `[data-testid="order-return"]`)
	if got[0] != "已退单" || !strings.Contains(got[1], "非本单位职责") || !strings.Contains(got[1], "生态环境部门") {
		t.Fatalf("the bounced order: status %q, return %q", got[0], got[1])
	}
	j.as("liaison-lc", "dispatches it again", doDispatch("2")...)
	if got := j.look("liaison-lc", "bounce-redispatched", `[data-testid="order-status"]`, `[data-testid="timeline"]`); got[0] != "已派单" || !strings.Contains(got[1], "退单") {
		t.Fatalf("re-dispatched: status %q timeline %q", got[0], got[1])
	}
}

// replyPhoto is a small real PNG for the unit's reply to carry.
func replyPhoto(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "现场照片.png")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
