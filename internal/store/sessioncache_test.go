package store_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"qijian/internal/account"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

// sessionFixture: a user with a live session, and a count of the queries the store sends.
func sessionFixture(t *testing.T) (*store.Store, *account.User, *atomic.Int64) {
	t.Helper()
	ctx := context.Background()
	st := testkit.Store(t)
	u := &account.User{Username: "ent-x", Role: account.RoleEnterprise, PasswordHash: "x"}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := st.CreateSession(ctx, &store.Session{ID: "s1", UserID: u.ID, Kind: "api", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var reads atomic.Int64
	_ = st.Gorm().Callback().Row().After("gorm:row").Register("test:count", func(*gorm.DB) { reads.Add(1) })
	return st, u, &reads
}

// Repeated sign-ins within SessionCacheTTL read the database once; moving the idle clock keeps
// the entry (with the new time) instead of emptying the cache.
func TestSessionReadsAreCachedBriefly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, _, reads := sessionFixture(t)
	for range 5 {
		if _, _, err := st.SessionWithUser(ctx, "s1"); err != nil {
			t.Fatal(err)
		}
	}
	if n := reads.Load(); n != 1 {
		t.Fatalf("5 sign-ins read the database %d times, want 1", n)
	}
	at := time.Now().UTC().Add(time.Minute).Truncate(time.Second)
	if err := st.TouchSession(ctx, "s1", at); err != nil {
		t.Fatal(err)
	}
	ss, _, err := st.SessionWithUser(ctx, "s1")
	if err != nil || !ss.LastSeenAt.Equal(at) || reads.Load() != 1 {
		t.Fatalf("after a touch: last seen %v (want %v), %d reads, %v", ss.LastSeenAt, at, reads.Load(), err)
	}
	// What a caller does with its copy does not reach the cache.
	ss.ExpiresAt = time.Time{}
	if again, _, _ := st.SessionWithUser(ctx, "s1"); again.ExpiresAt.IsZero() {
		t.Fatal("a caller's change reached the cached session")
	}
}

// Every change through the store to what a sign-in reads is seen by the very next sign-in:
// disabling the user, a raw UPDATE, a logout, and a change inside a transaction once it commits.
func TestSessionCacheSeesEveryChangeAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, u, _ := sessionFixture(t)
	read := func() (*store.Session, *account.User, error) { return st.SessionWithUser(ctx, "s1") }
	if _, _, err := read(); err != nil {
		t.Fatal(err)
	}
	if err := st.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, got, _ := read(); !got.Disabled {
		t.Fatal("a disabled user still signs in from the cache")
	}
	if err := st.Gorm().Exec("UPDATE users SET disabled = ?, display_name = ? WHERE id = ?", false, "改名", u.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, got, _ := read(); got.Disabled || got.DisplayName != "改名" {
		t.Fatalf("a raw update is not seen: %+v", got)
	}
	release, entered := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- st.WithTx(ctx, func(ctx context.Context) error {
			if err := st.SetUserDisabled(ctx, u.ID, true); err != nil {
				return err
			}
			close(entered)
			<-release
			return nil
		})
	}()
	<-entered
	_, _, _ = read() // may cache the row as it was before the commit (SQLite waits for the writer instead)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, got, _ := read(); !got.Disabled {
		t.Fatal("a change committed by a transaction is not seen by the next sign-in")
	}
	if err := st.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := read(); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a deleted session still signs in: %v", err)
	}
}

// Another process's change (here a second store on the same database) is seen within
// SessionCacheTTL.
func TestSessionCacheSeesOtherProcessesWithinTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, u, _ := sessionFixture(t)
	other := testkit.Reopen(t, st)
	if _, _, err := st.SessionWithUser(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if err := other.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(store.SessionCacheTTL + 50*time.Millisecond)
	if _, got, _ := st.SessionWithUser(ctx, "s1"); !got.Disabled {
		t.Fatalf("another process's change is not seen after %s", store.SessionCacheTTL)
	}
}
