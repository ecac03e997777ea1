package account

import (
	"strings"
	"testing"
)

func TestUSCC(t *testing.T) {
	t.Parallel()
	// Valid codes are built by computing the check character, then one character is spoiled.
	good := "91330302MA2CTEXT0"
	c, ok := USCCCheckChar(good)
	if !ok {
		t.Fatal("alphabet rejected a valid prefix")
	}
	valid := good + string(c)
	cases := []struct {
		name, code string
		want       bool
	}{
		{"valid", valid, true},
		{"published example", "91350100M000100Y43", true},
		{"wrong check char", good + string(usccChars[(strings.IndexByte(usccChars, c)+1)%31]), false},
		{"too short", valid[:17], false},
		{"too long", valid + "0", false},
		{"letter I not in alphabet", "91330302MA2CTESTI" + "0", false},
		{"lower case", strings.ToLower(valid), false},
		{"empty", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidUSCC(tc.code); got != tc.want {
				t.Errorf("ValidUSCC(%q) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}

func TestPassword(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("not an argon2id hash: %s", h)
	}
	if ok, _ := CheckPassword(h, "correct horse battery"); !ok {
		t.Error("right password refused")
	}
	if ok, _ := CheckPassword(h, "correct horse batterx"); ok {
		t.Error("wrong password accepted")
	}
	if _, err := CheckPassword("plain", "x"); err == nil {
		t.Error("malformed hash accepted")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password share a salt")
	}
	if PasswordProblem("short") == "" || PasswordProblem("long enough pw") != "" {
		t.Error("password length rule wrong")
	}
}
