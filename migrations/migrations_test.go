package migrations_test

import (
	"context"
	"slices"
	"testing"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// TestEachStepFromEmpty applies the history one step at a time from an empty database (SQLite, or
// PostgreSQL when QIJIAN_TEST_DATABASE_URL is set), then again to prove a re-run changes nothing.
func TestEachStepFromEmpty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.RawStore(t)
	db := st.Gorm()
	for i, m := range migrations.All {
		ran, err := migrations.ApplyUpTo(ctx, db, i+1)
		if err != nil {
			t.Fatalf("step %s: %v", m.ID, err)
		}
		if len(ran) != 1 || ran[0] != m.ID {
			t.Fatalf("step %s: ran %v", m.ID, ran)
		}
	}
	ran, err := migrations.Apply(ctx, db)
	if err != nil || len(ran) != 0 {
		t.Fatalf("re-run: ran %v, err %v", ran, err)
	}
	for _, table := range []string{"counties", "bodies", "enterprises", "users", "sessions", "observation_members", "outbox", "notifications", "audit_events", "audit_head", "work_orders", "order_reasons", "order_events", "order_deadlines", "routing_rules", "sla_policies", "idempotency_keys", "evidence", "inspectors", "inspection_items", "inspections", "clues", "inspection_ratings", "inspection_plans", "calendar_overrides"} {
		if !db.Migrator().HasTable(table) {
			t.Errorf("table %s missing after migrations", table)
		}
	}
	var n int64
	db.Table("counties").Count(&n)
	if n != 12 {
		t.Errorf("counties: %d rows, want Wenzhou's 12", n)
	}
}

func TestIDsAreOrderedAndUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	prev := ""
	for _, m := range migrations.All {
		if seen[m.ID] || m.ID <= prev {
			t.Errorf("migration %s out of order or repeated", m.ID)
		}
		seen[m.ID] = true
		prev = m.ID
	}
}

// The indexes a filing writes are the ones the queries use: 0018 and 0019 dropped the rest, and
// a later step that brings one back should say why here.
func TestFilingTablesCarryOnlyUsedIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	if _, err := migrations.Apply(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		table, index string
		want         bool
	}{
		{"work_orders", "idx_work_orders_type", false},
		{"work_orders", "idx_work_orders_body_id", false},
		{"work_orders", "idx_work_orders_unit_body_id", false},
		{"outbox", "idx_outbox_pending", false},
		{"work_orders", "idx_work_orders_enterprise_id", true}, // an enterprise's own list
		{"work_orders", "idx_wo_unit_due", true},               // a unit's queue
		{"work_orders", "idx_wo_county_due", true},             // a county's queue
	} {
		if got := db.Migrator().HasIndex(c.table, c.index); got != c.want {
			t.Errorf("%s.%s exists: %v, want %v", c.table, c.index, got, c.want)
		}
	}
}

// audit_pending is never truncated by a vacuum on PostgreSQL (0020): the lock would hold back
// every audited write.
func TestPendingAuditIsNotTruncatedByVacuum(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	if db.Dialector.Name() != "postgres" {
		t.Skip("PostgreSQL only: set QIJIAN_TEST_DATABASE_URL")
	}
	if _, err := migrations.Apply(ctx, db); err != nil {
		t.Fatal(err)
	}
	var opts []string
	if err := db.Raw("SELECT unnest(reloptions) FROM pg_class WHERE oid = 'audit_pending'::regclass").Scan(&opts).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(opts, "vacuum_truncate=false") {
		t.Fatalf("audit_pending options %v, want vacuum_truncate=false", opts)
	}
}
