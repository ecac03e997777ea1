package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0029 adds login_failures keyed by (user, address) and lifts the account-wide locks.
func TestLoginFailuresPerAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0029_login_failures" })
	if step < 0 {
		t.Fatal("0029_login_failures is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO users (id, username, password_hash, role, display_name, failed_logins, locked_until, disabled, created_at, updated_at)
		VALUES (1, 'u', 'x', 'enterprise', 'u', 4, ?, false, ?, ?)`, at.Add(time.Hour), at, at).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Raw("SELECT COUNT(*) FROM users WHERE failed_logins = 0 AND locked_until IS NULL").Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("the account-wide lock stays: %d %v", n, err)
	}
	ins := "INSERT INTO login_failures (user_id, addr, failures, updated_at) VALUES (1, ?, 1, ?)"
	for _, a := range []string{"203.0.113.1", "203.0.113.2"} {
		if err := db.Exec(ins, a, at).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec(ins, "203.0.113.1", at).Error; err == nil {
		t.Fatal("two rows for one (user, address)")
	}
}
