package demo_test

import (
	"context"
	"fmt"
	"testing"

	"qijian/internal/demo"
	"qijian/internal/testkit"
)

// TestStoriesFillEveryStage: the demo's stories leave an order in every status a person meets,
// on rungs 0 to 2, with a clue, an anonymous filing and the observation point's, inspections
// done and to come, a booking with its report, appointments, an alert and penalty lists; played
// again they add nothing.
func TestStoriesFillEveryStage(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	secret := []byte("0123456789abcdef0123456789abcdef")
	if err := demo.Stories(ctx, f.St, secret, testkit.Monday); err != nil {
		t.Fatal(err)
	}
	var statuses []string
	f.St.Gorm().Raw("SELECT DISTINCT status FROM work_orders ORDER BY status").Scan(&statuses)
	if got := fmt.Sprint(statuses); got != "[accepted closed clue dismissed dispatched follow_up in_progress merged replied returned signed submitted]" {
		t.Errorf("statuses %s", got)
	}
	var levels []int
	f.St.Gorm().Raw("SELECT DISTINCT level FROM work_orders ORDER BY level").Scan(&levels)
	if got := fmt.Sprint(levels); got != "[0 1 2]" {
		t.Errorf("levels %s", got)
	}
	count := func(q string) int64 {
		var n int64
		if err := f.St.Gorm().Raw(q).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	for q, what := range map[string]string{
		"SELECT COUNT(*) FROM work_orders WHERE source = 'system'":                                         "a system clue",
		"SELECT COUNT(*) FROM work_orders WHERE source = 'observer'":                                       "the observation point's filing",
		"SELECT COUNT(*) FROM work_orders WHERE anonymous":                                                 "an anonymous filing",
		"SELECT COUNT(*) FROM inspections WHERE status = 'done'":                                           "an inspection done",
		"SELECT COUNT(*) FROM inspections WHERE notice_delivered_at IS NOT NULL AND notice_ack_at IS NULL": "a notice to sign",
		"SELECT COUNT(*) FROM bookings WHERE status = 'completed'":                                         "a finished booking",
		"SELECT COUNT(*) FROM appointments":                                                                "appointments",
		"SELECT COUNT(*) FROM risk_alerts":                                                                 "an alert",
		"SELECT COUNT(*) FROM penalty_entries":                                                             "penalty lists",
	} {
		if count(q) == 0 {
			t.Errorf("no %s", what)
		}
	}
	before := count("SELECT COUNT(*) FROM work_orders")
	if err := demo.Stories(ctx, f.St, secret, testkit.Monday); err != nil {
		t.Fatal(err)
	}
	if after := count("SELECT COUNT(*) FROM work_orders"); after != before {
		t.Errorf("played twice: %d orders, then %d", before, after)
	}
}
