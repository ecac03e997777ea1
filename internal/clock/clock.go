// Package clock gives the system its notion of now, so tests can move time by hand.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface{ Now() time.Time }

// Real is the wall clock.
type Real struct{}

// Now returns the current time.
func (Real) Now() time.Time { return time.Now() }

// Fake is a clock that only moves when told to.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake starts a fake clock at t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the fake time forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// Set puts the fake time at t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}

// Shifted is the wall clock moved to start at a given instant: it runs at the real pace from
// there. The binary uses it when QIJIAN_CLOCK_START is set, so that tests of the whole process
// (and rehearsals) meet the same working days and slots whatever day they run on.
type Shifted struct {
	start, since time.Time
}

// NewShifted starts a shifted clock at start, now.
func NewShifted(start time.Time) *Shifted { return &Shifted{start: start, since: time.Now()} }

// Now returns start plus the real time elapsed since the clock was made.
func (s *Shifted) Now() time.Time { return s.start.Add(time.Since(s.since)) }
