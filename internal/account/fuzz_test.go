package account

import "testing"

// FuzzUSCC: the check never panics, and whatever it accepts has 18 characters from the alphabet
// whose last one is the computed check character.
func FuzzUSCC(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "", "91330302MA2H00001Y", "IOZSV", "９１３３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidUSCC(s) {
			return
		}
		c, ok := USCCCheckChar(s[:17])
		if len(s) != 18 || !ok || c != s[17] {
			t.Fatalf("accepted %q", s)
		}
	})
}
