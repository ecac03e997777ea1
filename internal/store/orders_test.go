package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"qijian/internal/store"
	"qijian/internal/testkit"
)

// A list filter that names no scope lists nothing (the zero filter is not "every order"); the
// rule filter matches an order's reasons row by row, a whole reason at a time; the source filter
// tells the system's clues from the rest.
func TestOrdersFilterScopeRuleAndSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	order := func(id uint64, county, source string) store.WorkOrder {
		return store.WorkOrder{ID: id, Number: store.OrderNumber(2026, id), Type: "illegal_inspection", Description: "x", Status: "submitted", Channel: "12348",
			CountyCode: county, EnterpriseID: 1, Source: source, CreatedAt: at, UpdatedAt: at}
	}
	err := st.WithTx(ctx, func(ctx context.Context) error {
		if err := st.QueueInsert(ctx, []store.WorkOrder{order(1, "330302", "enterprise"), order(2, "330302", "system"), order(3, "330381", "observer")}); err != nil {
			return err
		}
		return st.QueueInsert(ctx, []store.OrderReason{{OrderID: 1, Reason: "FREQ-1"}, {OrderID: 1, Reason: "NOTICE-1"}, {OrderID: 2, Reason: "FREQ-2"}, {OrderID: 3, Reason: "FREQ-1"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if l, err := st.Orders(ctx, store.OrderFilter{Rule: "FREQ-1"}); !errors.Is(err, store.ErrUnscoped) || l != nil {
		t.Fatalf("a filter without a scope: %d orders, %v; want ErrUnscoped", len(l), err)
	}
	ids := func(f store.OrderFilter) []uint64 {
		t.Helper()
		l, err := st.Orders(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []uint64
		for _, o := range l {
			out = append(out, o.ID)
		}
		return out
	}
	for name, c := range map[string]struct {
		f    store.OrderFilter
		want []uint64
	}{
		"all":                {store.OrderFilter{All: true}, []uint64{1, 2, 3}},
		"FREQ-1":             {store.OrderFilter{All: true, Rule: "FREQ-1"}, []uint64{1, 3}},
		"FREQ-1 in 鹿城":       {store.OrderFilter{CountyCode: "330302", Rule: "FREQ-1"}, []uint64{1}},
		"FREQ-":              {store.OrderFilter{All: true, Rule: "FREQ-"}, nil},
		"the system's clues": {store.OrderFilter{All: true, Source: "system"}, []uint64{2}},
	} {
		if got := ids(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
	if got, err := st.OrderReasons(ctx, 1); err != nil || len(got) != 2 || got[0] != "FREQ-1" {
		t.Fatalf("order 1's reasons: %v %v", got, err)
	}
	if err := st.ClearOrderReasons(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if got := ids(store.OrderFilter{All: true, Rule: "NOTICE-1"}); len(got) != 0 {
		t.Fatalf("NOTICE-1 after clearing order 1's reasons: %v", got)
	}
}
