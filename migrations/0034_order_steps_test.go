package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0034 adds the bounce's, extension's and pause's columns; an order stored before has none of
// them; the extension limits and the answer limit have their defaults.
func TestOrderStepColumns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0034_order_steps" })
	if step < 0 {
		t.Fatal("0034_order_steps is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO work_orders (id, number, type, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, rating, reopen_count, return_reason, created_at, updated_at)
		VALUES (1, 'QJ1', 'conduct', 'd', 'returned', 0, '12348', '330302', 1, 1, 0, 0, '不属本单位', ?, ?)`, at, at).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ReturnCode     string
		ReturnCount    int
		ReturnedUnitID *uint
	}
	if err := db.Raw("SELECT return_code, return_count, returned_unit_id FROM work_orders WHERE id = 1").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.ReturnCode != "" || got.ReturnCount != 0 || got.ReturnedUnitID != nil {
		t.Fatalf("an old order after 0034: %+v", got)
	}
	var limits []int
	db.Raw("SELECT max_days FROM extension_limits WHERE type = '*' AND max_count = 1 ORDER BY channel").Scan(&limits)
	if !slices.Equal(limits, []int{15, 10}) {
		t.Fatalf("extension limits: %v", limits)
	}
	var n int64
	db.Raw("SELECT COUNT(*) FROM sla_policies WHERE stage = 'info' AND amount = 5 AND unit = 'days'").Scan(&n)
	if n != 2 || !db.Migrator().HasColumn("order_deadlines", "original_due_at") || !db.Migrator().HasColumn("work_orders", "paused_at") || !db.Migrator().HasColumn("work_orders", "follow_satisfied") {
		t.Fatalf("answer limit rows %d, or a column is missing", n)
	}
}
