// Package audit is the append-only, hash-chained event log: each entry's hash covers its own
// fields and the previous entry's hash, so changing or deleting any past row breaks the chain
// from that row on.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Event is what happened: who did what to which object, and when. Detail holds ids and codes,
// never personal data. It is what a use case records; the chain numbers and links it.
type Event struct {
	At         time.Time
	ActorID    uint
	ActorRole  string
	Action     string
	ObjectType string
	ObjectID   uint64
	Detail     string
}

// Entry is an event in the chain: its place and its link to the one before.
type Entry struct {
	ID uint64
	Event
	PrevHash string
	Hash     string
}

// Genesis is the hash before the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Sum computes an entry's hash from its fields and the previous hash. Times are hashed in UTC at
// microsecond precision, which both SQLite and PostgreSQL keep exactly.
func Sum(prev string, e Entry) string {
	var b strings.Builder
	for _, f := range []string{prev, strconv.FormatUint(e.ID, 10), e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano),
		strconv.FormatUint(uint64(e.ActorID), 10), e.ActorRole, e.Action, e.ObjectType, strconv.FormatUint(e.ObjectID, 10), e.Detail} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	h := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(h[:])
}

// Verify walks entries in order from prev and returns the id of the first entry whose link or
// hash does not hold, or 0 when the chain is whole. It also returns the last hash, so a long
// log can be verified page by page.
func Verify(prev string, entries []Entry) (badID uint64, last string) {
	for _, e := range entries {
		if e.PrevHash != prev || Sum(prev, e) != e.Hash {
			return e.ID, prev
		}
		prev = e.Hash
	}
	return 0, prev
}
