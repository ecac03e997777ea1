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
