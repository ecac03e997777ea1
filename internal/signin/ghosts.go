package signin

import (
	"sync"
	"time"
)

// ghostLimit bounds how many unknown usernames the lockout remembers at once.
const ghostLimit = 10000

// ghosts counts failed logins of usernames that do not exist, and locks them as a real login
// is locked (MaxFailures, LockFor), so the lockout answer does not tell an outsider which
// usernames exist: five wrong tries lock "no-such-user" exactly as they lock "ent-a". It lives
// in memory, bounded; the zero value is ready.
type ghosts struct {
	mu   sync.Mutex
	seen map[string]*ghost
}

type ghost struct {
	failures int
	until    time.Time
}

// fail counts a failure of name at now and returns the lock's end if it is (now) locked.
func (g *ghosts) fail(name string, now time.Time) (time.Time, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seen == nil {
		g.seen = map[string]*ghost{}
	}
	h := g.seen[name]
	if h != nil && now.Before(h.until) {
		return h.until, true
	}
	if h == nil {
		if len(g.seen) >= ghostLimit {
			g.sweep(now)
		}
		h = &ghost{}
		g.seen[name] = h
	}
	h.failures++
	if h.failures >= MaxFailures {
		h.failures, h.until = 0, now.Add(LockFor)
		return h.until, true
	}
	return time.Time{}, false
}

// sweep forgets unlocked names, and everything if that is not enough.
func (g *ghosts) sweep(now time.Time) {
	for k, h := range g.seen {
		if !now.Before(h.until) {
			delete(g.seen, k)
		}
	}
	if len(g.seen) >= ghostLimit {
		g.seen = map[string]*ghost{}
	}
}
