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
// modify the slices and maps it hands out.
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

// cachedRead answers from the cache, else reads through ctx (its transaction, if any: taking a
// second connection while holding one could starve the pool) and caches what it read, unless
// this transaction has edited the table itself.
func cachedRead[T any](ctx context.Context, s *Store, name string, load func(ctx context.Context) (T, error)) (T, error) {
	buf, _ := ctx.Value(outboxKey{}).(*txBuffer)
	dirty := buf != nil && buf.dirty[name]
	if !dirty {
		if v, ok := s.cache.get(name); ok {
			return v.(T), nil
		}
	}
	readAt := time.Now()
	out, err := load(ctx)
	if err != nil {
		return out, err
	}
	if !dirty {
		s.cache.put(name, out, readAt)
	}
	return out, nil
}

// invalidate forgets a cached table now and again after ctx's transaction commits, and makes
// the rest of that transaction read the table itself.
func (s *Store) invalidate(ctx context.Context, name string) {
	s.cache.drop(name)
	if buf, ok := ctx.Value(outboxKey{}).(*txBuffer); ok {
		if buf.dirty == nil {
			buf.dirty = map[string]bool{}
		}
		buf.dirty[name] = true
	}
	AfterCommit(ctx, func(context.Context) { s.cache.drop(name) })
}
