package portal_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"qijian/internal/store"
	"qijian/notify"
)

func TestNotificationSettingsPageValidatesAndSaves(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.login("ent-b", demoPassword)
	if r := b.do("GET", "/settings/notifications", nil); r.Status != 200 || !strings.Contains(r.Body, `name="mobile"`) {
		t.Fatalf("settings page: %d", r.Status)
	}
	// SMS on with a bad number: 422 naming the field, nothing saved.
	r := b.post("/settings/notifications", "/settings/notifications", url.Values{"lang": {"zh"}, "sms": {"true"}, "mobile": {"123"}})
	if r.Status != 422 || !strings.Contains(r.Body, "请输入 11 位手机号码") {
		t.Fatalf("bad mobile: %d", r.Status)
	}
	tok := e.token("ent-b")
	if _, out := e.api("GET", "/api/v1/me/notification-settings", tok, nil); out["sms"] != false {
		t.Fatalf("a refused form changed the settings: %v", out)
	}
	r = b.post("/settings/notifications", "/settings/notifications", url.Values{"lang": {"en"}, "sms": {"true"}, "mobile": {"13800000001"}, "muted": {"alert", "booking"}})
	if r.Status != 303 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	_, out := e.api("GET", "/api/v1/me/notification-settings", tok, nil)
	if out["sms"] != true || out["lang"] != "en" || out["mobile"] != "13800000001" || len(out["muted"].([]any)) != 2 {
		t.Fatalf("saved settings: %v", out)
	}
}

func TestNotificationSettingsAPINamesBadFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token("ent-b")
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"lang": "zh", "email_on": true}, "email"},
		{map[string]any{"lang": "zh", "email_on": true, "email": "not-an-address"}, "email"},
		{map[string]any{"lang": "fr"}, "lang"},
		{map[string]any{"lang": "zh", "muted": []string{"order", "gossip"}}, "muted"},
	} {
		code, out := e.api("PUT", "/api/v1/me/notification-settings", tok, tc.body)
		if code != 422 || fields(out) == nil || !hasFieldPrefix(fields(out), tc.field) {
			t.Errorf("%v: %d %v, want 422 naming %s", tc.body, code, out, tc.field)
		}
	}
	code, out := e.api("PUT", "/api/v1/me/notification-settings", tok, map[string]any{"lang": "zh", "email_on": true, "email": "lin@example.test"})
	if code != 200 || out["email"] != "lin@example.test" {
		t.Fatalf("valid settings: %d %v", code, out)
	}
}

func hasFieldPrefix(f map[string]any, name string) bool {
	for k := range f {
		if k == name || strings.HasPrefix(k, name+"[") {
			return true
		}
	}
	return false
}

// An order step reaches the filer by SMS and email as they chose; the admin reads both in the
// outbox; other roles cannot open it.
func TestOrderStepsReachTheOutboxAsChosen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.token("ent-a")
	if code, out := e.api("PUT", "/api/v1/me/notification-settings", ent, map[string]any{"lang": "zh", "sms": true, "mobile": "13800000001", "email_on": true, "email": "chen@example.test"}); code != 200 {
		t.Fatalf("settings: %d %v", code, out)
	}
	code, out := e.api("POST", "/api/v1/complaints", ent, map[string]any{"type": "missing_code", "description": "检查人员未出示行政行为码，也未出示执法证件。"})
	if code != 201 {
		t.Fatalf("file: %d %v", code, out)
	}
	number := out["number"].(string)
	var rows []store.OutboxRow
	if err := e.st.Gorm().Where("task_type = ? AND done_at IS NULL", notify.TaskDeliver).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		deliver(t, e, r.ID)
	}
	d, err := e.st.Deliveries(context.Background(), "", 50)
	if err != nil {
		t.Fatal(err)
	}
	var sms, mail int
	for _, x := range d {
		if !strings.Contains(x.Body, number) {
			continue
		}
		switch {
		case x.Channel == "sms" && x.Recipient == "13800000001":
			sms++
		case x.Channel == "email" && x.Recipient == "chen@example.test":
			mail++
		}
	}
	if sms != 1 || mail != 1 {
		t.Fatalf("want one SMS and one email about %s, got %d and %d of %d deliveries", number, sms, mail, len(d))
	}
	admin := e.browser()
	admin.login("admin", demoPassword)
	r := admin.do("GET", "/admin/outbox?channel=sms", nil)
	// Masked in the list; in full only by the audited reveal.
	if r.Status != 200 || strings.Contains(r.Body, "13800000001") || !strings.Contains(r.Body, "138******01") || !strings.Contains(r.Body, number) || strings.Contains(r.Body, "chen@") {
		t.Fatalf("admin outbox (sms): %d", r.Status)
	}
	for _, who := range []string{"liaison-city", "officer-scj", "ent-a"} {
		b := e.browser()
		b.login(who, demoPassword)
		if r := b.do("GET", "/admin/outbox", nil); r.Status != 403 && r.Status != 404 {
			t.Errorf("%s reached the outbox: %d", who, r.Status)
		}
	}
}
