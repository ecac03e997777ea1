package actcode

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// CODE-1: codes round-trip, and anything altered or invented is refused.
func TestCodeRoundTripAndForgery(t *testing.T) {
	t.Parallel()
	c := New([]byte("secret-one"))
	for _, id := range []uint64{1, 42, 1 << 40, 1<<48 - 1} {
		code := c.Issue(id, now)
		if len(code) != 28 || strings.ContainsAny(code, "ILOU") {
			t.Fatalf("code %q: length or alphabet", code)
		}
		got, day, err := c.Parse(strings.ToLower(Format(code)))
		if err != nil || got != id || !day.Equal(time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("round trip of %d: %d %v %v", id, got, day, err)
		}
		// Every single-character change is caught.
		for i := 2; i < len(code); i++ {
			b := []byte(code)
			b[i] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(strings.IndexByte("0123456789ABCDEFGHJKMNPQRSTVWXYZ", b[i])+1)%32]
			if _, _, err := c.Parse(string(b)); err == nil {
				t.Fatalf("altered code %q accepted", b)
			}
		}
	}
	other := New([]byte("secret-two")).Issue(42, now)
	if _, _, err := c.Parse(other); !errors.Is(err, ErrForged) {
		t.Fatalf("a code from another key: %v", err)
	}
	for _, s := range []string{"", "QJ", "hello", "QJ" + strings.Repeat("0", 26), strings.Repeat("Z", 40)} {
		if _, _, err := c.Parse(s); err == nil {
			t.Fatalf("%q accepted", s)
		}
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 10000; i++ {
		b := make([]byte, 26)
		for j := range b {
			b[j] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[rng.Intn(32)]
		}
		if _, _, err := c.Parse("QJ" + string(b)); !errors.Is(err, ErrForged) && !errors.Is(err, ErrMalformed) {
			t.Fatalf("random code accepted: %v", err)
		}
	}
}

func FuzzParse(f *testing.F) {
	c := New([]byte("fuzz"))
	f.Add(c.Issue(7, now))
	f.Add("QJ-0000")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		id, day, err := c.Parse(s)
		if err != nil {
			return
		}
		if again := c.Issue(id, day); Normalize(again) != Normalize(s) {
			t.Fatalf("accepted %q, which re-issues as %q", s, again)
		}
	})
}

// CODE-1, §2.6 二: a penalty decision's code has the same form, tells its kind, and is never
// taken for an inspection's code of the same id.
func TestDecisionCodeKind(t *testing.T) {
	t.Parallel()
	c := New([]byte("secret-one"))
	d := c.IssueDecision(42, now)
	if d == c.Issue(42, now) || len(d) != 28 {
		t.Fatalf("decision code %q", d)
	}
	k, id, day, err := c.ParseKind(Format(d))
	if err != nil || k != KindDecision || id != 42 || !day.Equal(time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("decision round trip: %v %d %v %v", k, id, day, err)
	}
	if _, _, err := c.Parse(d); !errors.Is(err, ErrMalformed) {
		t.Fatalf("a decision's code parsed as an inspection's: %v", err)
	}
	if k, _, _, err := c.ParseKind(c.Issue(42, now)); err != nil || k != KindInspection {
		t.Fatalf("inspection code kind: %v %v", k, err)
	}
	if _, _, _, err := New([]byte("other")).ParseKind(d); !errors.Is(err, ErrForged) {
		t.Fatalf("forged decision code: %v", err)
	}
}
