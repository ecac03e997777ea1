package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0039: the limits table gains urgency with the matter types' defaults, an admin's row of the
// same key stands, and a clue still waiting in the complaint queue leaves it for review with its
// acceptance limit set aside; an order a person filed is untouched.
func TestLimitsAndCluesMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0039_limits_clues" })
	if step < 0 {
		t.Fatal("0039_limits_clues is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for _, q := range []string{
		"INSERT INTO sla_policies (channel, type, stage, amount, unit) VALUES ('12345', 'consultation', 'resolve', 4, 'days')",
		"INSERT INTO work_orders (id, number, type, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, source, created_at, updated_at) VALUES (1, 'QJ1', 'illegal_inspection', 'x', 'submitted', 0, '12348', '330302', 1, 0, 'system', ?, ?)",
		"INSERT INTO work_orders (id, number, type, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, source, created_at, updated_at) VALUES (2, 'QJ2', 'conduct', 'x', 'submitted', 0, '12348', '330302', 1, 5, 'enterprise', ?, ?)",
		"INSERT INTO order_deadlines (order_id, stage, round, started_at, due_at, remind_at) VALUES (1, 'accept', 1, ?, ?, ?)",
		"INSERT INTO order_deadlines (order_id, stage, round, started_at, due_at, remind_at) VALUES (2, 'accept', 1, ?, ?, ?)",
	} {
		var args []any
		for range countMarks(q) {
			args = append(args, now)
		}
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var amount int
	if err := db.Raw("SELECT amount FROM sla_policies WHERE channel = '12345' AND type = 'consultation' AND stage = 'resolve' AND urgent = ?", false).Scan(&amount).Error; err != nil || amount != 4 {
		t.Fatalf("the admin's row: %d %v", amount, err)
	}
	var urgent, review int64
	db.Raw("SELECT COUNT(*) FROM sla_policies WHERE urgent = ? AND type = '*' AND stage = 'accept'", true).Scan(&urgent)
	db.Raw("SELECT COUNT(*) FROM sla_policies WHERE stage = 'review' AND amount = 3 AND unit = 'days'").Scan(&review)
	if urgent != 2 || review != 2 {
		t.Fatalf("urgent accept rows %d, review rows %d, want 2 and 2", urgent, review)
	}
	// The same key twice, urgent apart, is refused; urgent and ordinary of one key live side by side.
	if err := db.Exec("INSERT INTO sla_policies (channel, type, stage, urgent, amount, unit) VALUES ('12345', 'consultation', 'resolve', ?, 1, 'days')", true).Error; err != nil {
		t.Fatalf("an urgent row beside the ordinary one: %v", err)
	}
	if err := db.Exec("INSERT INTO sla_policies (channel, type, stage, urgent, amount, unit) VALUES ('12345', 'consultation', 'resolve', ?, 2, 'days')", true).Error; err == nil {
		t.Fatal("a second urgent row of one key")
	}
	var statuses []string
	db.Raw("SELECT status FROM work_orders ORDER BY id").Scan(&statuses)
	if !slices.Equal(statuses, []string{"clue", "submitted"}) {
		t.Fatalf("statuses after: %v", statuses)
	}
	var setAside []uint64
	db.Raw("SELECT order_id FROM order_deadlines WHERE superseded_at IS NOT NULL").Scan(&setAside)
	if !slices.Equal(setAside, []uint64{1}) {
		t.Fatalf("deadlines set aside: %v, want the clue's only", setAside)
	}
	var u bool
	if err := db.Raw("SELECT urgent FROM work_orders WHERE id = 2").Scan(&u).Error; err != nil || u {
		t.Fatalf("an earlier order's urgent mark: %v %v", u, err)
	}
	if err := db.Exec("INSERT INTO clue_reviews (order_id, outcome, reason, actor_id, at) VALUES (1, 'dismissed', '误报', 3, ?)", now).Error; err != nil {
		t.Fatal(err)
	}
}

func countMarks(q string) int {
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
		}
	}
	return n
}
