package notify

import (
	"errors"
	"testing"
	"time"
)

// TestRetryRecordsTheOutcomeThroughAShortOutage: the status write after a send is tried again
// until it sticks, and gives up after its tries.
func TestRetryRecordsTheOutcomeThroughAShortOutage(t *testing.T) {
	t.Parallel()
	calls := 0
	err := retry(6, time.Millisecond, func() error {
		calls++
		if calls < 3 {
			return errors.New("too many clients")
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("recovered after %d calls: %v", calls, err)
	}
	calls = 0
	err = retry(4, time.Millisecond, func() error { calls++; return errors.New("down") })
	if err == nil || calls != 4 {
		t.Fatalf("a long outage: %d calls, %v", calls, err)
	}
}
