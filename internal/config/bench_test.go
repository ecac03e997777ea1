package config

import (
	"errors"
	"testing"
	"time"
)

// TestFaultSuiteSettings: the periodic jobs' shortened period (tests and rehearsals only) and the
// per-account budget the fault suite raises.
func TestFaultSuiteSettings(t *testing.T) {
	t.Parallel()
	env := map[string]string{"QIJIAN_DATA_DIR": t.TempDir(), "QIJIAN_SECRET": "0123456789abcdef0123456789abcdef"}
	get := func(k string) string { return env[k] }
	c, err := Load(nil, get)
	if err != nil || c.PeriodicEvery != 0 || c.SubmitPerMinute != 30 {
		t.Fatalf("default: periodic %s, submit %d, %v; want 0 (each job's own period) and 30", c.PeriodicEvery, c.SubmitPerMinute, err)
	}
	env["QIJIAN_PERIODIC_EVERY"], env["QIJIAN_SUBMIT_PER_MINUTE"] = "3s", "600"
	if c, err = Load(nil, get); err != nil || c.PeriodicEvery != 3*time.Second || c.SubmitPerMinute != 600 {
		t.Fatalf("set: %s %d %v", c.PeriodicEvery, c.SubmitPerMinute, err)
	}
	for k, bad := range map[string]string{"QIJIAN_PERIODIC_EVERY": "10ms", "QIJIAN_SUBMIT_PER_MINUTE": "0"} {
		e := map[string]string{"QIJIAN_DATA_DIR": env["QIJIAN_DATA_DIR"], "QIJIAN_SECRET": env["QIJIAN_SECRET"], k: bad}
		var ce *Error
		if _, err := Load(nil, func(v string) string { return e[v] }); !errors.As(err, &ce) || ce.Var != k {
			t.Errorf("%s=%s: %v, want an error naming it", k, bad, err)
		}
	}
	env["QIJIAN_PERIODIC_EVERY"] = "2h"
	var ce *Error
	if _, err := Load(nil, get); !errors.As(err, &ce) || ce.Var != "QIJIAN_PERIODIC_EVERY" {
		t.Errorf("2h: %v, want an error naming QIJIAN_PERIODIC_EVERY", err)
	}
}
