package config

import (
	"runtime/debug"
	"testing"
)

// GOGC, when set, is the operator's choice; otherwise the portal's own default applies.
func TestTuneGCLeavesAnExplicitGOGC(t *testing.T) {
	t.Parallel()
	was := debug.SetGCPercent(100)
	defer debug.SetGCPercent(was)
	TuneGC(func(string) string { return "150" })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC set: the percent changed to %d", got)
	}
	TuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != GCPercent {
		t.Fatalf("GOGC unset: percent %d, want %d", got, GCPercent)
	}
}
