package demo_test

import (
	"context"
	"testing"

	"qijian/internal/demo"
	"qijian/internal/testkit"
)

func TestStoriesFillEveryStage(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	if err := demo.Stories(ctx, f.St, []byte("0123456789abcdef0123456789abcdef"), testkit.Monday); err != nil {
		t.Fatal(err)
	}
	var statuses []string
	f.St.Gorm().Raw("SELECT DISTINCT status FROM work_orders ORDER BY status").Scan(&statuses)
	t.Logf("statuses %v", statuses)
	var levels []int
	f.St.Gorm().Raw("SELECT DISTINCT level FROM work_orders ORDER BY level").Scan(&levels)
	t.Logf("levels %v", levels)
}
