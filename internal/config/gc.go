package config

import "runtime/debug"

// GCPercent is the garbage collector's target for the qijian processes when GOGC is not set.
// Their live heap is small (tens of MB), and at the default of 100 a busy portal spent about a
// tenth of its CPU collecting: 400 took the submission benchmark from 741–798 to 800–850
// submissions/s and its p99 from 24 to 20 ms, for a few more MB of heap.
const GCPercent = 400

// TuneGC sets GCPercent unless GOGC says otherwise.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}
