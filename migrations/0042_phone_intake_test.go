package migrations_test

import (
	"context"
	"slices"
	"testing"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0042: the operator's phone orders are indexed, and the step runs on a table that holds orders.
func TestPhoneIntakeIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0042_phone_intake" })
	if step < 0 {
		t.Fatal("0042_phone_intake is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO work_orders (id, number, type, description, status, channel, county_code, enterprise_id, filed_by_user_id, source, created_at, updated_at)
		VALUES (1, 'QJ20260000001', 'appeal', '来电', 'submitted', '12345', '330302', 1, 9, 'phone', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	if !db.Migrator().HasIndex("work_orders", "idx_wo_phone_taker") {
		t.Fatal("no index of the operators' phone orders")
	}
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM work_orders WHERE source = 'phone' AND filed_by_user_id = ?", 9).Scan(&n).Error; err != nil || n != 1 {
		t.Fatalf("the operator's orders: %d %v", n, err)
	}
}
