package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0040: an order stored before belongs to no main order and has no co-handlers; the duplicate
// window is 30 days and each hotline has a co-handler limit.
func TestMergesCohandlersTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0040_merges_cohandlers" })
	if step < 0 {
		t.Fatal("0040_merges_cohandlers is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO work_orders (id, number, type, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, rating, reopen_count, return_reason, created_at, updated_at)
		VALUES (1, 'QJ1', 'conduct', 'd', 'accepted', 0, '12348', '330302', 1, 1, 0, 0, '', ?, ?)`, at, at).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var merged *uint64
	if err := db.Raw("SELECT merged_into_id FROM work_orders WHERE id = 1").Scan(&merged).Error; err != nil || merged != nil {
		t.Fatalf("an old order's main order: %v %v", merged, err)
	}
	var window int
	db.Raw("SELECT window_days FROM merge_settings WHERE id = 1").Scan(&window)
	var limits []int
	db.Raw("SELECT amount FROM sla_policies WHERE stage = 'cohandle' AND type = '*' AND unit = 'days' ORDER BY channel").Scan(&limits)
	if window != 30 || !slices.Equal(limits, []int{5, 2}) || !db.Migrator().HasTable("order_cohandlers") {
		t.Fatalf("window %d, co-handler limits %v, or the co-handlers table is missing", window, limits)
	}
	if err := db.Exec("INSERT INTO order_cohandlers (order_id, body_id, part, added_by, added_at) VALUES (1, 2, '', 0, ?)", at).Error; err != nil {
		t.Fatal(err)
	}
}
