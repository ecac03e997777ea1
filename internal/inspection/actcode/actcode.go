// Package actcode issues and checks administrative behaviour codes (行政行为码, CODE-1). A code
// carries the inspection id, the day it was issued and an HMAC tag, so a made-up or altered code
// is rejected without trusting the database.
package actcode

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strings"
	"time"
)

// Errors of Parse.
var (
	ErrMalformed = errors.New("actcode: malformed code")
	ErrForged    = errors.New("actcode: signature does not match")
)

const (
	prefix = "QJ"
	tagLen = 8 // bytes of HMAC-SHA256 kept: 64 bits
)

// Unambiguous upper-case alphabet (no I, L, O, U), like Crockford's base32.
var enc = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Codec signs and checks codes with one key.
type Codec struct{ key []byte }

// New returns a codec for key (the deployment secret).
func New(key []byte) *Codec { return &Codec{key: append([]byte("actcode|"), key...)} }

func (c *Codec) tag(body []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write(body)
	return m.Sum(nil)[:tagLen]
}

// Issue makes the code of an inspection: "QJ" and 26 characters, shown as QJ-XXXXX-… groups.
func (c *Codec) Issue(inspectionID uint64, issuedAt time.Time) string {
	return c.issue(inspectionID, issuedAt, 0)
}

func (c *Codec) issue(inspectionID uint64, issuedAt time.Time, kind uint64) string {
	body := make([]byte, 8)
	day := uint64(uint16(issuedAt.UTC().Sub(epoch)/(24*time.Hour)))&^decisionBit | kind
	// 48 bits of id (database ids stay far below 2^48) and 16 bits of issue day.
	binary.BigEndian.PutUint64(body, inspectionID<<16|day)
	return prefix + enc.EncodeToString(append(body, c.tag(body)...))
}

// decisionBit marks, in the 16-bit issue-day field (days since 2020: 15 bits last until 2109),
// a code issued to a penalty decision (行政处罚决定书, delivered through 三书同达, seed §2.6 二)
// rather than to an inspection: the id is then the document bundle's.
const decisionBit = uint64(1) << 15

// Kind is what a code was issued to.
type Kind int

// The kinds of code.
const (
	KindInspection Kind = iota
	KindDecision
)

// IssueDecision makes the code of a penalty decision: the same form as an inspection's code.
func (c *Codec) IssueDecision(bundleID uint64, issuedAt time.Time) string {
	return c.issue(bundleID, issuedAt, decisionBit)
}

// ParseKind is Parse that also tells an inspection's code from a penalty decision's.
func (c *Codec) ParseKind(code string) (Kind, uint64, time.Time, error) {
	id, day, err := c.parse(code)
	if err != nil {
		return 0, 0, day, err
	}
	if d := uint64(day.Sub(epoch) / (24 * time.Hour)); d&decisionBit != 0 {
		return KindDecision, id, epoch.Add(time.Duration(d&^decisionBit) * 24 * time.Hour), nil
	}
	return KindInspection, id, day, nil
}

// Format groups a code for reading aloud and printing.
func Format(code string) string {
	var b strings.Builder
	for i, r := range code {
		if i > 0 && (i == 2 || (i-2)%6 == 0) {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Normalize takes what a person typed: any case, spaces and hyphens, and the letters people
// confuse with digits.
func Normalize(s string) string {
	s = strings.ToUpper(s)
	s = strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(s)
	if len(s) > len(prefix) && strings.HasPrefix(s, prefix) {
		s = prefix + strings.NewReplacer("O", "0", "I", "1", "L", "1", "U", "V").Replace(s[len(prefix):])
	}
	return s
}

// Parse checks a code and returns the inspection id and issue day it carries. A penalty
// decision's code is not an inspection's: Parse answers ErrMalformed for it (see ParseKind).
func (c *Codec) Parse(code string) (uint64, time.Time, error) {
	k, id, day, err := c.ParseKind(code)
	if err == nil && k != KindInspection {
		return 0, time.Time{}, ErrMalformed
	}
	return id, day, err
}

func (c *Codec) parse(code string) (uint64, time.Time, error) {
	code = Normalize(code)
	if len(code) != len(prefix)+26 || !strings.HasPrefix(code, prefix) {
		return 0, time.Time{}, ErrMalformed
	}
	raw, err := enc.DecodeString(code[len(prefix):])
	// The last character carries spare bits: only the canonical spelling is accepted.
	if err != nil || len(raw) != 8+tagLen || enc.EncodeToString(raw) != code[len(prefix):] {
		return 0, time.Time{}, ErrMalformed
	}
	body, tag := raw[:8], raw[8:]
	if !hmac.Equal(tag, c.tag(body)) {
		return 0, time.Time{}, ErrForged
	}
	v := binary.BigEndian.Uint64(body)
	return v >> 16, epoch.Add(time.Duration(v&0xFFFF) * 24 * time.Hour), nil
}
