package store

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"qijian/internal/account"
)

// SessionCacheTTL bounds how long a sign-in read here stays in use. Every change made through
// this Store to users, sessions or enterprises (a logout, a password change, a user disabled, a
// county moved) empties the cache at once and again when its transaction commits, so it is seen
// by the very next request. A change made by another process is seen within this time.
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

// signInTables are the tables SessionWithUser reads.
var signInTables = []string{"users", "sessions", "enterprises"}

// skipSessionBump marks a write that cannot change what a sign-in may do (the idle clock).
const skipSessionBump = "qijian:skip_session_bump"

// watchSignInTables empties the session cache on every write through gorm to a table a sign-in
// reads: typed writes by their table, raw statements by their text. The commit-time INSERT
// (flush) goes past gorm, and writes none of these tables.
func (s *Store) watchSignInTables() error {
	after := func(db *gorm.DB) {
		if skip, _ := db.Get(skipSessionBump); skip == true {
			return
		}
		if !writesSignInTable(db.Statement) {
			return
		}
		s.sessions.bump()
		// Once more after the commit: a sign-in read while the transaction was open saw the
		// old rows and may have been cached under the new generation.
		AfterCommit(db.Statement.Context, func(context.Context) { s.sessions.bump() })
	}
	cb := s.db.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("qijian:sessions", after),
		cb.Update().After("gorm:update").Register("qijian:sessions", after),
		cb.Delete().After("gorm:delete").Register("qijian:sessions", after),
		cb.Raw().After("gorm:raw").Register("qijian:sessions", after),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func writesSignInTable(st *gorm.Statement) bool {
	if st.Table != "" {
		return slices.Contains(signInTables, st.Table)
	}
	sql := strings.ToLower(st.SQL.String())
	for _, t := range signInTables {
		if strings.Contains(sql, t) {
			return true
		}
	}
	return false
}
