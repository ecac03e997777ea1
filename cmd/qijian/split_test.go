package main

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"qijian/internal/demo"
	"qijian/internal/testkit"
)

// TestWebAndWorkerApart runs the production shape: a web part and a worker part sharing only
// PostgreSQL and Redis. Work queued by the web (a welcome message) is done by the worker.
func TestWebAndWorkerApart(t *testing.T) {
	if testkit.PostgresURL() == "" || testkit.RedisURL() == "" {
		if testkit.CI() {
			t.Skip("runs in the PostgreSQL and Redis pass of CI")
		}
		t.Skip("set QIJIAN_TEST_DATABASE_URL and QIJIAN_TEST_REDIS_URL to run web and worker apart")
	}
	env := serverEnv(t)
	env["QIJIAN_DEMO_PASSWORD"] = "split-demo-password"
	if err := run(context.Background(), []string{"demo"}, envOf(env), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	webOut, workerOut := &syncBuf{}, &syncBuf{}
	webDone, workerDone := make(chan error, 1), make(chan error, 1)
	go func() { webDone <- run(ctx, []string{"web"}, envOf(env), webOut, io.Discard) }()
	go func() { workerDone <- run(ctx, []string{"worker"}, envOf(env), workerOut, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-webDone; err != nil {
			t.Errorf("web: %v", err)
		}
		if err := <-workerDone; err != nil {
			t.Errorf("worker: %v", err)
		}
	})
	re := regexp.MustCompile(`Qijian portal: (http://\S+/)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := re.FindStringSubmatch(webOut.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("web printed no URL: %s", webOut.String())
	}
	if code, out := getJSON(t, "GET", base+"readyz", "", nil); code != 200 {
		t.Fatalf("readyz: %d %v", code, out)
	}
	reg := map[string]string{"uscc": demo.USCC("330383", 4242), "name": "龙港市分离部署测试有限公司", "county": "330383", "industry": "other", "contact_name": "赵六", "mobile": "13600000000", "username": "split-co", "password": "a-long-password"}
	if code, out := getJSON(t, "POST", base+"api/v1/auth/register", "", reg); code != 202 {
		t.Fatalf("register: %d %v", code, out)
	}
	_, tok := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": "split-co", "password": "a-long-password"})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, out := getJSON(t, "GET", base+"api/v1/notifications", tok["token"].(string), nil)
		if items, _ := out["items"].([]any); len(items) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker never delivered the welcome; worker said: %s", workerOut.String())
		}
	}
	if !strings.Contains(workerOut.String(), "worker running") {
		t.Errorf("worker output: %q", workerOut.String())
	}
}
