package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's minimum profile (19 MiB, 2 passes), which keeps a login at a few
// tens of milliseconds on a small server.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// ErrBadHash marks a stored hash that cannot be parsed.
var ErrBadHash = errors.New("account: malformed password hash")

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("account: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword tells whether pw matches the stored hash, in constant time.
func CheckPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("%w: %w", ErrBadHash, err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when a username is unknown, so both failures take as long.
var dummyHash, _ = HashPassword("qijian-timing-equaliser")

// CheckUnknown spends the time of a real check and always fails.
func CheckUnknown(pw string) { _, _ = CheckPassword(dummyHash, pw) }

// PasswordProblem names what is wrong with a new password, or returns "".
func PasswordProblem(pw string) string {
	if len([]rune(pw)) < 10 {
		return "min_length"
	}
	if len(pw) > 128 {
		return "max_length"
	}
	return ""
}

// MinPasswordScore is the least zxcvbn score (0–4) a password chosen by a person must reach:
// 3 is "safely unguessable" (about 10^8 guesses and more), which no pattern of one repeated or
// running character, keyboard walk, date or common password does.
const MinPasswordScore = 3

// PasswordWeakness names why a password a person chose is refused, or returns "": too short or
// long (PasswordProblem), one of the common passwords zxcvbn's lists hold ("common"), or
// guessable by its estimate ("weak"). inputs are what the person also gave (username, names,
// credit code, mobile), which a password must not be built from. zxcvbn cannot estimate text in
// scripts without its dictionaries (it answers zero guesses for Chinese): such a password is
// judged by its length and variety instead.
func PasswordWeakness(pw string, inputs ...string) string {
	if p := PasswordProblem(pw); p != "" {
		return p
	}
	var ins []string
	for _, s := range inputs {
		if s = strings.TrimSpace(s); s != "" {
			ins = append(ins, strings.ToLower(s))
		}
	}
	r := zxcvbn.PasswordStrength(pw, ins)
	if len(r.Sequence) == 1 && r.Sequence[0].Pattern == "dictionary" && r.Sequence[0].DictionaryName == "passwords" {
		return "common"
	}
	if r.Guesses == 0 && !asciiOnly(pw) {
		distinct := map[rune]bool{}
		for _, c := range pw {
			distinct[c] = true
		}
		if len(distinct) >= 6 {
			return ""
		}
		return "weak"
	}
	if r.Score < MinPasswordScore {
		return "weak"
	}
	return ""
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
