package store

import (
	"context"
	"sync"
	"time"
)

// tableCacheTTL bounds how long another process's edit of a small admin table (routing, SLA)
// can go unseen here; edits made through this Store are seen at once.
const tableCacheTTL = 10 * time.Second

// tableCache keeps small, rarely edited tables that every submission reads. Callers must not
// modify the slices it hands out.
type tableCache struct {
	mu      sync.Mutex
	entries map[string]cached
}

type cached struct {
	at  time.Time
	val any
}

func (c *tableCache) get(name string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[name]
	if !ok || time.Since(e.at) > tableCacheTTL {
		return nil, false
	}
	return e.val, true
}

func (c *tableCache) put(name string, v any, readAt time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cached{}
	}
	c.entries[name] = cached{at: readAt, val: v}
}

func (c *tableCache) drop(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, name)
}

// cachedRead answers from the cache, else reads committed rows through the pool (never through
// ctx's transaction, which may hold its own uncommitted edits) and caches them.
func cachedRead[T any](ctx context.Context, s *Store, name string, load func(ctx context.Context) ([]T, error)) ([]T, error) {
	if v, ok := s.cache.get(name); ok {
		return v.([]T), nil
	}
	readAt := time.Now()
	out, err := load(context.WithValue(ctx, txKey{}, false))
	if err != nil {
		return nil, err
	}
	s.cache.put(name, out, readAt)
	return out, nil
}

// invalidate forgets a cached table now and again after ctx's transaction commits, so no
// reader caches the old rows in between.
func (s *Store) invalidate(ctx context.Context, name string) {
	s.cache.drop(name)
	AfterCommit(ctx, func(context.Context) { s.cache.drop(name) })
}
