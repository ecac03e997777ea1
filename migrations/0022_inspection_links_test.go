package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0022 moves each inspection's comma-separated lists into the join tables, in order, read as
// the application read them (spaces trimmed, junk and zero skipped, a repeat kept once), and
// drops the columns.
func TestInspectionListsMoveToJoinTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	at := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0022_inspection_links" })
	if at < 0 {
		t.Fatal("0022_inspection_links is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, at); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	rows := []struct {
		id                        uint64
		bodies, items, inspectors string
	}{
		{1, "3,1", "2,1,2", "5"},
		{2, "4", "", ""},
		{3, " 2 , x,0,2", "7, 8", "1,,9"},
	}
	for _, r := range rows {
		if err := db.Exec(`INSERT INTO inspections (id, kind, status, enterprise_id, body_ids, item_ids, inspector_ids, scheduled_at, county_code, code, created_by, created_at, updated_at)
			VALUES (?, 'planned', 'scheduled', 1, ?, ?, ?, ?, '330302', '', 1, ?, ?)`, r.id, r.bodies, r.items, r.inspectors, now, now, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := migrations.ApplyUpTo(ctx, db, at+1); err != nil {
		t.Fatal(err)
	}
	list := func(table, col string, id uint64) []uint {
		t.Helper()
		var out []uint
		if err := db.Table(table).Where("inspection_id = ?", id).Order("seq").Pluck(col, &out).Error; err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, c := range []struct {
		id                        uint64
		bodies, items, inspectors []uint
	}{
		{1, []uint{3, 1}, []uint{2, 1}, []uint{5}},
		{2, []uint{4}, nil, nil},
		{3, []uint{2}, []uint{7, 8}, []uint{1, 9}},
	} {
		if got := list("inspection_bodies", "body_id", c.id); !slices.Equal(got, c.bodies) {
			t.Errorf("inspection %d bodies %v, want %v", c.id, got, c.bodies)
		}
		if got := list("inspection_covered_items", "item_id", c.id); !slices.Equal(got, c.items) {
			t.Errorf("inspection %d items %v, want %v", c.id, got, c.items)
		}
		if got := list("inspection_inspectors", "inspector_id", c.id); !slices.Equal(got, c.inspectors) {
			t.Errorf("inspection %d inspectors %v, want %v", c.id, got, c.inspectors)
		}
	}
	for _, col := range []string{"body_ids", "item_ids", "inspector_ids"} {
		if db.Migrator().HasColumn("inspections", col) {
			t.Errorf("inspections still has %s", col)
		}
	}
	if !db.Migrator().HasIndex("inspection_bodies", "idx_inspection_bodies_body") {
		t.Error("no index for an officer's list by body")
	}
}
