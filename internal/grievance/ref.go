package grievance

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"

	"qijian/internal/store"
)

// References. An anonymous order must not be named by anything that sits in sequence with the
// same enterprise's named orders: not its row id (in links, the API, the evidence download) nor a
// number counted from it. So an anonymous order and its files are named, to everyone, by opaque
// references: a keyed permutation of the row id (a four-round Feistel network over 48 bits with
// HMAC-SHA256 rounds, keyed by the portal's secret), with bit 52 set so that it cannot be taken
// for a row id and stays an exact number in JavaScript (below 2^53). Its public number is another
// permutation of the id, in Crockford's base32. Without the secret neither can be mapped to the
// id, to each other, or to the order filed just before.
const (
	opaqueBit = uint64(1) << 52
	refBits   = 48
	halfBits  = refBits / 2
	halfMask  = uint64(1)<<halfBits - 1
	refMask   = uint64(1)<<refBits - 1
)

// refKey is the key the references are derived from: the service's Secret, or, where none was
// given (a service built by hand in a test), one random key for the process.
func (s *Service) refKey() []byte {
	if len(s.Secret) > 0 {
		return s.Secret
	}
	processKeyOnce.Do(func() {
		processKey = make([]byte, 32)
		if _, err := rand.Read(processKey); err != nil {
			panic(err) // crypto/rand does not fail on supported systems
		}
	})
	return processKey
}

var (
	processKeyOnce sync.Once
	processKey     []byte
)

func (s *Service) round(tweak string, r int, half uint64) uint64 {
	m := hmac.New(sha256.New, s.refKey())
	var b [9]byte
	b[0] = byte(r)
	binary.BigEndian.PutUint64(b[1:], half)
	m.Write([]byte("grievance-ref:" + tweak))
	m.Write(b[:])
	return binary.BigEndian.Uint64(m.Sum(nil)[:8]) & halfMask
}

// permute maps x (below 2^48) to its reference under tweak; unpermute is its inverse.
func (s *Service) permute(tweak string, x uint64) uint64 {
	l, r := x>>halfBits&halfMask, x&halfMask
	for i := range 4 {
		l, r = r, l^s.round(tweak, i, r)
	}
	return l<<halfBits | r
}

func (s *Service) unpermute(tweak string, y uint64) uint64 {
	l, r := y>>halfBits&halfMask, y&halfMask
	for i := 3; i >= 0; i-- {
		l, r = r^s.round(tweak, i, l), l
	}
	return l<<halfBits | r
}

// opaque is the reference of row id under tweak.
func (s *Service) opaque(tweak string, id uint64) uint64 {
	return opaqueBit | s.permute(tweak, id&refMask)
}

// unopaque tells the row id an opaque reference names, and false for a plain id.
func (s *Service) unopaque(tweak string, ref uint64) (uint64, bool) {
	if ref&^refMask != opaqueBit {
		return ref, false
	}
	return s.unpermute(tweak, ref&refMask), true
}

// extID is how o is named outside the service: its row id if it is named, its opaque reference
// if it is anonymous.
func (s *Service) extID(o *store.WorkOrder) uint64 {
	if o.Anonymous {
		return s.opaque("order", o.ID)
	}
	return o.ID
}

// extEvidenceID is how a file of o is named outside the service.
func (s *Service) extEvidenceID(o *store.WorkOrder, id uint64) uint64 {
	if o.Anonymous {
		return s.opaque("evidence", id)
	}
	return id
}

// anonymousNumber is an anonymous order's public number: QJ, the year, N and ten characters.
func (s *Service) anonymousNumber(year int, id uint64) string {
	return fmt.Sprintf("QJ%dN%s", year, base32(s.permute("number", id&refMask), refBits/5+1))
}

// base32 writes the low 5n bits of x in Crockford's base32 (no I, L, O, U: read over a phone).
func base32(x uint64, n int) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var b strings.Builder
	for i := n - 1; i >= 0; i-- {
		b.WriteByte(alphabet[x>>(5*i)&31])
	}
	return b.String()
}

// Ref is how o is named outside the service (its row id, or its opaque reference if anonymous),
// for tests and tools that hold a stored row. It decides nothing about access.
func (s *Service) Ref(o *store.WorkOrder) uint64 { return s.extID(o) }

// RowID is the row id an outside id names, for tests and tools (an operator reading a link);
// the use cases decide who may use which (load).
func (s *Service) RowID(id uint64) uint64 {
	rowID, _ := s.unopaque("order", id)
	return rowID
}
