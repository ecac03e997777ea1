package config

import (
	"errors"
	"slices"
	"sync"
	"testing"
)

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"QIJIAN_DATA_DIR": dir, "QIJIAN_SECRET": "0123456789abcdef0123456789abcdef"}
	get := func(k string) string { return env[k] }
	c, err := Load(nil, get)
	if err != nil || len(c.TrustedProxies) != 0 {
		t.Fatalf("default: %v %v, want no trusted proxies", c, err)
	}
	env["QIJIAN_TRUSTED_PROXIES"] = " 10.0.0.1, 172.16.0.0/12 ,"
	if c, err = Load(nil, get); err != nil || !slices.Equal(c.TrustedProxies, []string{"10.0.0.1", "172.16.0.0/12"}) {
		t.Fatalf("list: %v %v", c, err)
	}
	env["QIJIAN_TRUSTED_PROXIES"] = "10.0.0.1,proxy.example"
	var ce *Error
	if _, err = Load(nil, get); !errors.As(err, &ce) || ce.Var != "QIJIAN_TRUSTED_PROXIES" {
		t.Fatalf("bad entry: %v, want an error naming QIJIAN_TRUSTED_PROXIES", err)
	}
	if c, err = Load([]string{"--trusted-proxies", "::1"}, get); err != nil || !slices.Equal(c.TrustedProxies, []string{"::1"}) {
		t.Fatalf("flag: %v %v", c, err)
	}
}

// TestProcessesSharingADataDirKeepOneSecret: a web and a worker started together on one data
// volume (the compose file) end up with the same generated secret.
func TestProcessesSharingADataDirKeepOneSecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := func(k string) string {
		if k == "QIJIAN_DATA_DIR" {
			return dir
		}
		return ""
	}
	secrets := make(chan string, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := Load(nil, env)
			if err != nil {
				t.Error(err)
				return
			}
			secrets <- string(c.Secret)
		}()
	}
	wg.Wait()
	close(secrets)
	first := <-secrets
	for s := range secrets {
		if s != first {
			t.Fatal("two processes generated different secrets")
		}
	}
}

// The pool's size and bounds are optional; a bad value stops the start naming its variable.
func TestDatabasePool(t *testing.T) {
	t.Parallel()
	env := map[string]string{"QIJIAN_DATA_DIR": t.TempDir(), "QIJIAN_SECRET": "0123456789abcdef0123456789abcdef"}
	get := func(k string) string { return env[k] }
	c, err := Load(nil, get)
	if err != nil || c.DBMaxConns != 0 || c.DBIdle != 0 || c.DBStatementTimeout != 0 || c.DBLockTimeout != 0 {
		t.Fatalf("default: %+v %v, want zeros (the process kind's defaults)", c, err)
	}
	env["QIJIAN_DB_MAX_CONNS"], env["QIJIAN_DB_IDLE"], env["QIJIAN_DB_STATEMENT_TIMEOUT"], env["QIJIAN_DB_LOCK_TIMEOUT"] = "6", "30s", "8s", "2s"
	if c, err = Load(nil, get); err != nil || c.DBMaxConns != 6 || c.DBIdle.String() != "30s" || c.DBStatementTimeout.String() != "8s" || c.DBLockTimeout.String() != "2s" {
		t.Fatalf("set: %+v %v", c, err)
	}
	for k, bad := range map[string]string{"QIJIAN_DB_MAX_CONNS": "0", "QIJIAN_DB_IDLE": "forever", "QIJIAN_DB_STATEMENT_TIMEOUT": "1ms", "QIJIAN_DB_LOCK_TIMEOUT": "-1s"} {
		e := map[string]string{"QIJIAN_DATA_DIR": env["QIJIAN_DATA_DIR"], "QIJIAN_SECRET": env["QIJIAN_SECRET"], k: bad}
		var ce *Error
		if _, err := Load(nil, func(v string) string { return e[v] }); !errors.As(err, &ce) || ce.Var != k {
			t.Errorf("%s=%s: %v, want an error naming it", k, bad, err)
		}
	}
}
