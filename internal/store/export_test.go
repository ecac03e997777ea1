package store

import (
	"context"
	"time"
)

// TxBegun tells whether ctx's transaction has begun (a lazy one begins at its first statement).
func TxBegun(ctx context.Context) bool {
	t, ok := ctx.Value(txKey{}).(*txState)
	return ok && t.tx != nil
}

// The store's unexported buffered models, for the round trip.
type (
	AuditPending   = auditPending
	AuditRow       = auditRow
	IdempotencyKey = idempotencyKey
)

// BufferedTables are the tables of every buffered model.
func (s *Store) BufferedTables() []string {
	var out []string
	for _, sch := range s.buffered {
		out = append(out, sch.Table)
	}
	return out
}

// SignInColumns are the columns the sign-in reads, per table.
func (s *Store) SignInColumns() map[string][]string { return s.signIn.columns }

// SignInSkips are the columns the sign-in deliberately leaves, per table.
var SignInSkips = signInSkips

// CacheSources are the caches and the tables each reads.
var CacheSources = cacheSources

// AddCacheSource registers a cache named name over tables, as cacheSources would (for a test
// cache over a table no real cache reads, such as a buffered one).
func (s *Store) AddCacheSource(name string, tables ...string) { s.caches.add(name, tables...) }

// Cached reads through the table cache named name.
func (s *Store) Cached(ctx context.Context, name string, load func(context.Context) (int64, error)) (int64, error) {
	return cachedRead(ctx, s, name, load)
}

// SetTableCacheTTL shortens the table caches' lifetime, so that a test of another process's
// edit need not wait tableCacheTTL.
func (s *Store) SetTableCacheTTL(d time.Duration) { s.cache.ttl = d }
