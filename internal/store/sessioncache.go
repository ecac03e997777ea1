package store

import (
	"sync"
	"time"

	"qijian/internal/account"
)

// SessionCacheTTL bounds how long a sign-in read here stays in use. Every change made through
// this Store to users, sessions or enterprises (a logout, a password change, a user disabled, a
// county moved) empties the cache at once and again when its transaction commits (cacheSources),
// so it is seen by the very next request. A change made by another process is seen within this
// time.
const SessionCacheTTL = time.Second

// sessionCache keeps recent sign-in reads, so that a client sending many requests a second costs
// one read a second rather than one a request: that read was a tenth of the database's work per
// submission under load.
type sessionCache struct {
	mu      sync.Mutex
	gen     uint64 // moved by every write to the tables a sign-in reads
	entries map[string]sessionEntry
}

type sessionEntry struct {
	ss  Session
	u   account.User
	at  time.Time
	gen uint64
}

// sessionCacheMax bounds the map; past it, the cache starts over empty.
const sessionCacheMax = 50_000

func (c *sessionCache) get(id string, now time.Time) (*Session, *account.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok || e.gen != c.gen || now.Sub(e.at) >= SessionCacheTTL || now.Before(e.at) {
		return nil, nil, false
	}
	ss, u := e.ss, e.u // copies: callers may change what they get
	return &ss, &u, true
}

// generation is read before a sign-in read; put keeps the result only if no write came between.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *sessionCache) put(id string, ss *Session, u *account.User, readAt time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= sessionCacheMax {
		c.entries = map[string]sessionEntry{}
	}
	c.entries[id] = sessionEntry{ss: *ss, u: *u, at: readAt, gen: gen}
}

func (c *sessionCache) bump() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// touched moves a cached session's idle clock with the database's, so it is not written again
// on every request.
func (c *sessionCache) touched(id string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[id]; ok {
		e.ss.LastSeenAt = at
		c.entries[id] = e
	}
}
