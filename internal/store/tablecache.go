package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// tableCacheTTL bounds how long another process's edit of a small admin table (routing, SLA)
// can go unseen here; edits made through this Store are seen at once (see cacheSources).
const tableCacheTTL = 10 * time.Second

// tableCache keeps small, rarely edited tables that every submission reads. Callers must not
// modify the slices and maps it hands out.
type tableCache struct {
	mu      sync.Mutex
	ttl     time.Duration // tableCacheTTL unless a test shortens it
	drops   uint64        // moved by every drop: a read begun before one is not kept
	entries map[string]cached
}

type cached struct {
	at  time.Time
	val any
}

func (c *tableCache) get(name string, now time.Time) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[name]
	if !ok || now.Sub(e.at) > c.lifetime() {
		return nil, false
	}
	return e.val, true
}

func (c *tableCache) lifetime() time.Duration {
	if c.ttl > 0 {
		return c.ttl
	}
	return tableCacheTTL
}

// generation is read before a load; put keeps the load only if nothing was dropped since, as a
// write that committed during the load may not be in what it read.
func (c *tableCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.drops
}

func (c *tableCache) put(name string, v any, readAt time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.drops {
		return
	}
	if c.entries == nil {
		c.entries = map[string]cached{}
	}
	c.entries[name] = cached{at: readAt, val: v}
}

func (c *tableCache) drop(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drops++
	delete(c.entries, name)
}

// cachedRead answers from the cache named name (one of cacheSources), else reads through ctx
// (its transaction, if any: taking a second connection while holding one could starve the pool)
// and caches what it read, unless this transaction has edited the cache's tables itself.
func cachedRead[T any](ctx context.Context, s *Store, name string, load func(ctx context.Context) (T, error)) (T, error) {
	if !s.caches.known(name) {
		var zero T
		return zero, fmt.Errorf("store: cache %q has no entry in cacheSources", name)
	}
	buf, _ := ctx.Value(outboxKey{}).(*txBuffer)
	dirty := buf != nil && buf.dirty[name]
	readAt := time.Now()
	if !dirty {
		if v, ok := s.cache.get(name, readAt); ok {
			return v.(T), nil
		}
	}
	gen := s.cache.generation()
	out, err := load(ctx)
	if err != nil {
		return out, err
	}
	if !dirty {
		s.cache.put(name, out, readAt, gen)
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
