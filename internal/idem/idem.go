// Package idem makes a create safe to repeat: a request that carries an Idempotency-Key (the
// API's header, the page forms' hidden field) makes its row once. A repeat with the same request
// answers the row the first use made, as it stands now, and creates nothing, even when the two
// arrive together; a repeat whose request differs (another body, another slot, another kind of
// create) is refused with ErrMismatch, since answering the first would hide that the second was
// never made. Complaint filings keep their keys in the filing's own group commit (grievance);
// every other create claims its key here, in its own transaction.
package idem

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"qijian/internal/errs"
	"qijian/internal/store"
)

// MaxKey is the longest key taken.
const MaxKey = 100

// ErrMismatch is a key used before with a different request.
var ErrMismatch = errs.New(errs.Invalid, "idempotency_key_mismatch", "err.idem.mismatch")

// ErrKeyTooLong is a key over MaxKey characters.
var ErrKeyTooLong = &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.max", Fields: map[string]string{"Idempotency-Key": "err.max"}}

type keyCtx struct{}

// WithKey is ctx carrying the request's key ("" for none), which the create's use case claims.
func WithKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, keyCtx{}, key)
}

// KeyOf is the key ctx carries, or "".
func KeyOf(ctx context.Context) string {
	k, _ := ctx.Value(keyCtx{}).(string)
	return k
}

// Hash is the request's fingerprint: what it creates (scope) and its input as JSON (fields
// tagged json:"-" left out).
func Hash(scope string, input any) string {
	b, err := json.Marshal(input)
	if err != nil {
		b = []byte(err.Error()) // inputs are plain structs; never in practice
	}
	h := sha256.New()
	h.Write([]byte(scope))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// Claim is a key's claim in a create's transaction.
type Claim struct {
	st     *store.Store
	userID uint
	key    string
	// Prior is the row the key's first use made: when set, the caller creates nothing and
	// answers that row.
	Prior uint64
}

// Take claims the key ctx carries for userID's create of scope with input, in ctx's
// transaction (the caller's WithTx): run it before anything is written. Without a key it claims
// nothing. A key used before with the same request gives Prior; with another request,
// ErrMismatch.
func Take(ctx context.Context, st *store.Store, userID uint, scope string, input any, at time.Time) (Claim, error) {
	c := Claim{st: st, userID: userID, key: KeyOf(ctx)}
	if c.key == "" {
		return c, nil
	}
	if len(c.key) > MaxKey {
		return c, ErrKeyTooLong
	}
	if !store.InTx(ctx) {
		return c, errors.New("idem: Take outside a transaction: the claim would not roll back with the create")
	}
	won, prior, err := st.ClaimRequestKey(ctx, store.RequestKey{UserID: userID, Key: c.key, Scope: scope, Hash: Hash(scope, input)}, at)
	if err != nil || won {
		return c, err
	}
	if err := same(prior, scope, input); err != nil {
		return c, err
	}
	c.Prior = prior.Ref
	return c, nil
}

// Peek tells, before any transaction, whether ctx's key was used before for this request: the
// earlier row (0 if none), or ErrMismatch. It lets a create skip costly work a repeat would not
// need; Take still decides.
func Peek(ctx context.Context, st *store.Store, userID uint, scope string, input any) (uint64, error) {
	key := KeyOf(ctx)
	if key == "" {
		return 0, nil
	}
	if len(key) > MaxKey {
		return 0, ErrKeyTooLong
	}
	prior, ok, err := st.LookupRequestKey(ctx, userID, key)
	if err != nil || !ok {
		return 0, err
	}
	if err := same(prior, scope, input); err != nil {
		return 0, err
	}
	return prior.Ref, nil
}

func same(prior store.RequestKey, scope string, input any) error {
	if prior.Scope != scope || prior.Hash != Hash(scope, input) {
		return ErrMismatch
	}
	return nil
}

// Made records the row the claimed request made; a no-op without a key.
func (c Claim) Made(ctx context.Context, ref uint64) error {
	if c.key == "" {
		return nil
	}
	return c.st.BindRequestKey(ctx, c.userID, c.key, ref)
}
