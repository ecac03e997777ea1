package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0024 moves each comma-joined mute list to a row per group (a group named twice once, an empty
// list none) and drops the column.
func TestMutesMoveToTheirOwnTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0024_notification_mutes" })
	if step < 0 {
		t.Fatal("0024_notification_mutes is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for _, p := range []struct {
		user  uint
		muted any
	}{{1, "order,alert"}, {2, "booking,booking"}, {3, ""}, {4, nil}} {
		if err := db.Exec("INSERT INTO notification_prefs (user_id, lang, sms, email_on, muted, updated_at) VALUES (?, 'zh', false, false, ?, ?)", p.user, p.muted, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		UserID    uint
		KindGroup string
	}
	if err := db.Table("notification_mutes").Order("user_id, kind_group").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	want := []struct {
		UserID    uint
		KindGroup string
	}{{1, "alert"}, {1, "order"}, {2, "booking"}}
	if !slices.Equal(got, want) {
		t.Fatalf("mutes %v, want %v", got, want)
	}
	if db.Migrator().HasColumn("notification_prefs", "muted") {
		t.Fatal("notification_prefs.muted is still there")
	}
	var n int64
	if err := db.Table("notification_prefs").Count(&n).Error; err != nil || n != 4 {
		t.Fatalf("prefs rows: %d %v, want all 4 kept", n, err)
	}
}
