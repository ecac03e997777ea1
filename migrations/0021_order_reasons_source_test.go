package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0021 moves each order's comma-separated reasons to order_reasons, one row per reason (spaces
// and repeats dropped, empty lists giving none), drops the column, and names every order's
// source from what used to tell it: an observer means an observation point's filing, no filer a
// system clue.
func TestOrderReasonsAndSourceMoveOnUpgrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	n := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0021_order_reasons_source" })
	if _, err := migrations.ApplyUpTo(ctx, db, n); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	rows := []struct {
		number, reasons string
		filer           uint
		observer        *uint
	}{
		{"QJ-1", "NOTICE-1,CODE-1", 7, nil},
		{"QJ-2", "", 7, nil},
		{"QJ-3", "FREQ-1, FREQ-1 ,other", 8, ptr(uint(8))},
		{"QJ-4", "NOTICE-1", 0, nil},
	}
	for _, r := range rows {
		err := db.Exec(`INSERT INTO work_orders (number, type, reasons, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, observer_id, anonymous, rating, reopen_count, created_at, updated_at)
			VALUES (?, 'illegal_inspection', ?, 'x', 'submitted', 0, '12348', '330302', 1, ?, ?, false, 0, 0, ?, ?)`, r.number, r.reasons, r.filer, r.observer, at, at).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec("INSERT INTO work_orders (number, type, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, anonymous, rating, reopen_count, created_at, updated_at) VALUES ('QJ-5', 'conduct', 'x', 'submitted', 0, '12348', '330302', 1, 7, false, 0, 0, ?, ?)", at, at).Error; err != nil {
		t.Fatal(err) // reasons NULL
	}
	if _, err := migrations.ApplyUpTo(ctx, db, n+1); err != nil {
		t.Fatal(err)
	}
	type got struct {
		Number, Source, Reasons string
	}
	var have []got
	err := db.Raw(`SELECT w.number, w.source, COALESCE((SELECT ` + aggregate(db.Dialector.Name()) + ` FROM (SELECT reason FROM order_reasons r WHERE r.order_id = w.id ORDER BY reason) x), '') AS reasons
		FROM work_orders w ORDER BY w.number`).Scan(&have).Error
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{"QJ-1", "enterprise", "CODE-1 NOTICE-1"},
		{"QJ-2", "enterprise", ""},
		{"QJ-3", "observer", "FREQ-1 other"},
		{"QJ-4", "system", "NOTICE-1"},
		{"QJ-5", "enterprise", ""},
	}
	if !slices.Equal(have, want) {
		t.Fatalf("after 0021:\n got %v\nwant %v", have, want)
	}
	if db.Migrator().HasColumn("work_orders", "reasons") {
		t.Error("work_orders.reasons is still there")
	}
}

func aggregate(dialect string) string {
	if dialect == "postgres" {
		return "string_agg(reason, ' ' ORDER BY reason)"
	}
	return "group_concat(reason, ' ')"
}

func ptr[T any](v T) *T { return &v }
