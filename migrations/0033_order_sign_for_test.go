package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0033 adds the sign-for stage's default rows and lets a stage of one round run again once its
// earlier row is no longer open, while two open rows of it stay refused.
func TestSignForStageAndOneOpenRowPerStage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0033_order_sign_for" })
	if step < 0 {
		t.Fatal("0033_order_sign_for is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	ins := "INSERT INTO order_deadlines (order_id, stage, round, started_at, due_at, remind_at, met_at) VALUES (1, 'sign', 1, ?, ?, ?, ?)"
	if err := db.Exec(ins, at, at, at, at).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var days []int
	db.Raw("SELECT amount FROM sla_policies WHERE stage = 'sign' AND type = '*' AND unit = 'days' ORDER BY channel").Scan(&days)
	if !slices.Equal(days, []int{1, 1}) {
		t.Fatalf("sign-for rows: %v, want one working day on each channel", days)
	}
	open := "INSERT INTO order_deadlines (order_id, stage, round, started_at, due_at, remind_at) VALUES (1, 'sign', 1, ?, ?, ?)"
	if err := db.Exec(open, at, at, at).Error; err != nil {
		t.Fatalf("a new open row beside a met one: %v", err)
	}
	if err := db.Exec(open, at, at, at).Error; err == nil {
		t.Fatal("two open rows of one stage and round were stored")
	}
	if !db.Migrator().HasColumn("order_deadlines", "superseded_at") || !db.Migrator().HasIndex("order_deadlines", "idx_deadline_order") {
		t.Fatal("order_deadlines.superseded_at or its order index is missing")
	}
}
