package portal_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"qijian/internal/store"
)

func claimOf(t *testing.T, e *env, username string) *store.Claim {
	t.Helper()
	u, err := e.st.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.st.ClaimOfUser(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The review queue by page: a squatter's application for ent-a's code is shown as disputed (the
// code has a login already) to Lucheng's liaison, not to another county's; a refusal needs a
// reason, is audited and ends the squatter's session.
func TestReviewQueueRefusesASquatter(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	if code, _ := e.api("POST", "/api/v1/auth/register", "", squatterRegistration("squatter")); code != 202 {
		t.Fatal(code)
	}
	sq := e.browser()
	sq.login("squatter", "a-long-password")
	if r := sq.multipart("/account/application/licence", "/account/application", nil, smallPNG(t)); r.Status != 303 {
		t.Fatalf("licence upload: %d %s", r.Status, r.Body)
	}
	if r := sq.do("GET", "/account/application?done=licence", nil); !strings.Contains(r.Body, "营业执照已上传") || strings.Contains(r.Body, "未上传营业执照") {
		t.Fatalf("application page after the upload: %d", r.Status)
	}
	cl := claimOf(t, e, "squatter")
	li := e.browser()
	li.login("liaison-lc", demoPassword)
	q := li.do("GET", "/review/claims", nil)
	if q.Status != 200 || !strings.Contains(q.Body, fmt.Sprintf("/review/claims/%d", cl.ID)) || !strings.Contains(q.Body, "有争议") {
		t.Fatalf("Lucheng's queue: %d %s", q.Status, q.Body)
	}
	other := e.browser()
	other.login("liaison-ra", demoPassword)
	if r := other.do("GET", "/review/claims", nil); strings.Contains(r.Body, fmt.Sprintf("/review/claims/%d", cl.ID)) {
		t.Fatal("Rui'an's liaison sees a Lucheng application")
	}
	if r := other.do("GET", fmt.Sprintf("/review/claims/%d", cl.ID), nil); r.Status != 404 {
		t.Fatalf("Rui'an's liaison opens it: %d", r.Status)
	}
	for _, who := range []string{"ent-a", "officer-scj"} {
		b := e.browser()
		b.login(who, demoPassword)
		if r := b.do("GET", "/review/claims", nil); r.Status != 403 {
			t.Errorf("%s reads the queue: %d", who, r.Status)
		}
	}
	page := li.do("GET", fmt.Sprintf("/review/claims/%d", cl.ID), nil)
	if !strings.Contains(page.Body, "查看营业执照") || !strings.Contains(page.Body, "温州鹿城新锐鞋业有限公司") {
		t.Fatalf("claim page: %d", page.Status)
	}
	if r := li.do("GET", fmt.Sprintf("/review/claims/%d/licence", cl.ID), nil); r.Status != 200 || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("licence: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	path := fmt.Sprintf("/review/claims/%d/decision", cl.ID)
	if r := li.post(path, fmt.Sprintf("/review/claims/%d", cl.ID), url.Values{"approve": {"false"}}); r.Status != 422 {
		t.Fatalf("a refusal without a reason: %d", r.Status)
	}
	if r := li.post(path, fmt.Sprintf("/review/claims/%d", cl.ID), url.Values{"approve": {"false"}, "reason": {"营业执照与登记信息不符"}}); r.Status != 303 {
		t.Fatalf("refuse: %d %s", r.Status, r.Body)
	}
	if got := claimOf(t, e, "squatter"); got.Status != store.ClaimRefused || got.Reason != "营业执照与登记信息不符" {
		t.Fatalf("claim after refusal: %+v", got)
	}
	if r := sq.do("GET", "/account/application", nil); r.Status != 302 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("the refused applicant's session lives on: %d", r.Status)
	}
	var n int64
	e.st.DB(context.Background()).Table("audit_log").Where("action = ?", "claim.refuse").Count(&n)
	var pending int64
	e.st.DB(context.Background()).Table("audit_pending").Where("action = ?", "claim.refuse").Count(&pending)
	if n+pending != 1 {
		t.Fatalf("audited refusals: %d", n+pending)
	}
}

// A dispute by API: two applicants for one new credit code; the reviewer sees both and approves
// the second; the first loses its access; the winner reads the documents sent to the code
// before the decision. The queue page speaks English when asked.
func TestReviewDisputeByAPI(t *testing.T) {
	t.Parallel()
	e := attackEnv(t)
	first := validRegistration(10)
	first["county"], first["username"] = "330302", "first-co"
	second := validRegistration(10)
	second["county"], second["username"], second["name"] = "330302", "second-co", "温州第二申请有限公司"
	for _, r := range []map[string]string{first, second} {
		if code, _ := e.api("POST", "/api/v1/auth/register", "", r); code != 202 {
			t.Fatal(code)
		}
	}
	off := e.token("officer-scj")
	code, doc := e.api("POST", "/api/v1/documents", off, map[string]any{"enterprise_uscc": first["uscc"], "decision": "决定", "advice": "建议", "credit_repair": "修复"})
	if code != 201 {
		t.Fatalf("documents: %d %v", code, doc)
	}
	docPath := fmt.Sprintf("/api/v1/documents/%v", doc["id"])
	tokens := map[string]string{}
	for _, u := range []string{"first-co", "second-co"} {
		tokens[u] = e.tokenFor(u, "a-long-password")
		if code, out := e.upload("/api/v1/me/application/licence", tokens[u], smallPNG(t)); code != 200 {
			t.Fatalf("%s licence: %d %s", u, code, out)
		}
		if code, app := e.api("GET", "/api/v1/me/application", tokens[u], nil); code != 200 || app["status"] != "pending" || app["licence"] != true {
			t.Fatalf("%s application: %d %v", u, code, app)
		}
	}
	admin := e.token("admin")
	code, q := e.api("GET", "/api/v1/claims", admin, nil)
	items, _ := q["items"].([]any)
	if code != 200 || len(items) != 2 {
		t.Fatalf("queue: %d %v", code, q)
	}
	sc := claimOf(t, e, "second-co")
	code, view := e.api("GET", fmt.Sprintf("/api/v1/claims/%d", sc.ID), admin, nil)
	rivals, _ := view["rivals"].([]any)
	if code != 200 || len(rivals) != 1 || rivals[0].(map[string]any)["username"] != "first-co" {
		t.Fatalf("the dispute: %d %v", code, view)
	}
	if code, out := e.api("POST", fmt.Sprintf("/api/v1/claims/%d/decision", sc.ID), admin, map[string]any{"approve": true}); code != 422 {
		t.Fatalf("approval without the contact check: %d %v", code, out)
	}
	if code, out := e.api("POST", fmt.Sprintf("/api/v1/claims/%d/decision", sc.ID), admin, map[string]any{"approve": true, "contact_checked": true}); code != 200 || out["status"] != "approved" {
		t.Fatalf("approve: %d %v", code, out)
	}
	if code, _ := e.api("GET", docPath, tokens["second-co"], nil); code != 200 {
		t.Fatalf("the winner's documents: %d", code)
	}
	if code, _ := e.api("GET", "/api/v1/me", tokens["first-co"], nil); code != 401 {
		t.Fatalf("the loser's token: %d, want ended", code)
	}
	if code, _ := e.api("GET", docPath, e.tokenFor("first-co", "a-long-password"), nil); code != 404 {
		t.Fatalf("the loser's documents: %d", code)
	}
	if got := claimOf(t, e, "first-co"); got.Status != store.ClaimRefused {
		t.Fatalf("the loser's claim: %+v", got)
	}
	b := e.browser()
	b.cookies["qj_lang"] = "en"
	b.login("admin", demoPassword)
	if r := b.do("GET", "/review/claims", nil); r.Status != 200 || !strings.Contains(r.Body, "Enterprise application review") || !strings.Contains(r.Body, "No application awaits review") {
		t.Fatalf("English queue: %d", r.Status)
	}
}
