package store

import (
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
)

type statusWithDefault struct {
	ID     uint64 `gorm:"primaryKey"`
	Status string `gorm:"default:new"`
}

// A buffered model with a tag the commit-time INSERT would not honour is refused, naming the
// model and the field, before any row is written; the store's own models all pass.
func TestBufferedModelsAreChecked(t *testing.T) {
	var cache sync.Map
	namer := schema.NamingStrategy{}
	if _, err := bufferedSchemas(bufferedModels, &cache, namer); err != nil {
		t.Fatalf("the store's buffered models: %v", err)
	}
	_, err := bufferedSchemas(append(bufferedModels[:len(bufferedModels):len(bufferedModels)], &statusWithDefault{}), &cache, namer)
	if err == nil || !strings.Contains(err.Error(), "statusWithDefault") || !strings.Contains(err.Error(), "field Status (column status): has a default: tag") {
		t.Fatalf("a default: tag: %v", err)
	}
}

// writtenTable names the table a raw statement writes, tells reads apart, and gives up (every
// cache) on a statement that may write any table.
func TestWrittenTable(t *testing.T) {
	for _, tc := range []struct {
		sql   string
		table string
		write bool
	}{
		{"SELECT * FROM users", "", false},
		{"  select 1", "", false},
		{"(SELECT 1) UNION (SELECT 2)", "", false},
		{"VACUUM (TRUNCATE false) audit_pending", "", false},
		{"UPDATE users SET disabled = true", "users", true},
		{`UPDATE "users" SET x = 1`, "users", true},
		{"update public.users set x = 1", "users", true},
		{"INSERT INTO observation_members (observer_id) VALUES (1)", "observation_members", true},
		{"INSERT INTO bodies(name_zh) VALUES ('x')", "bodies", true},
		{"INSERT OR REPLACE INTO sessions VALUES (1)", "sessions", true},
		{"DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending) RETURNING *", "audit_pending", true},
		{"\n\tDELETE FROM ONLY \"routing_rules\"", "routing_rules", true},
		{"TRUNCATE TABLE sla_policies", "sla_policies", true},
		{"WITH x AS (DELETE FROM users RETURNING id) SELECT * FROM x", "", true},
		{"ALTER TABLE users ADD COLUMN nick text", "", true},
		{"", "", false},
	} {
		if table, write := writtenTable(tc.sql); table != tc.table || write != tc.write {
			t.Errorf("%q: %q, %v; want %q, %v", tc.sql, table, write, tc.table, tc.write)
		}
	}
}
