package store_test

import (
	"context"
	"testing"
	"time"

	"qijian/internal/store"
	"qijian/internal/testkit"
)

// Rows buffered in a transaction come back from the database as they were written: NULLs,
// zero and non-UTC times, booleans, large ids and text that needs quoting in an array literal.
// On PostgreSQL this goes through the one unnest INSERT at commit, on SQLite through gorm.
func TestFlushRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	at := time.Date(2026, 3, 2, 9, 30, 0, 123456789, time.FixedZone("CST", 8*3600))
	body := uint(1)
	text := `引号"逗号,花括号{}反斜杠\ 和 NULL` + "\n换行\t制表 \\\""
	var orderID uint64
	err := st.WithTx(ctx, func(ctx context.Context) error {
		ids, err := st.ReserveIDs(ctx, store.IDWant{Table: "work_orders", N: 2}, store.IDWant{Table: "order_deadlines", N: 1})
		if err != nil {
			return err
		}
		orderID = ids[0][1]
		orders := []*store.WorkOrder{
			{ID: ids[0][0], Number: "QJ-A", Type: "illegal_inspection", Description: text, Status: "submitted", Channel: "12345", CountyCode: "330302", EnterpriseID: 1, Anonymous: true, CreatedAt: at, UpdatedAt: at},
			{ID: orderID, Number: "QJ-B", Type: "missing_code", Description: "NULL", Status: "submitted", Channel: "12348", CountyCode: "330302", EnterpriseID: 1, BodyID: &body, NextDueAt: &at, CreatedAt: at, UpdatedAt: at},
		}
		if err := st.QueueInsert(ctx, orders); err != nil {
			return err
		}
		ds := []store.Deadline{{ID: ids[1][0], OrderID: orderID, Stage: "accept", Round: 2, StartedAt: at, DueAt: at.Add(time.Hour), RemindAt: at}}
		if err := st.QueueInsert(ctx, ds); err != nil {
			return err
		}
		return st.QueueNotification(ctx, store.Notification{UserID: 1, Kind: "k", Title: text, Body: "", CreatedAt: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []store.WorkOrder
	if err := st.Gorm().Order("id").Find(&got).Error; err != nil || len(got) != 2 {
		t.Fatalf("orders: %v %v", got, err)
	}
	a, b := got[0], got[1]
	if a.Description != text || !a.Anonymous || a.BodyID != nil || a.NextDueAt != nil || !near(a.CreatedAt, at) {
		t.Fatalf("first order: %+v", a)
	}
	if b.ID != orderID || b.Description != "NULL" || b.Anonymous || b.BodyID == nil || *b.BodyID != 1 || b.NextDueAt == nil || !near(*b.NextDueAt, at) || b.ClosedAt != nil {
		t.Fatalf("second order: %+v", b)
	}
	var d store.Deadline
	if err := st.Gorm().First(&d).Error; err != nil || d.OrderID != orderID || d.Round != 2 || !near(d.DueAt, at.Add(time.Hour)) || d.MetAt != nil {
		t.Fatalf("deadline: %+v %v", d, err)
	}
	var n store.Notification
	if err := st.Gorm().First(&n).Error; err != nil || n.Title != text || n.Body != "" || n.OutboxID != nil || n.ReadAt != nil {
		t.Fatalf("notification: %+v %v", n, err)
	}
}

// near: the same instant to the microsecond (PostgreSQL keeps microseconds, SQLite more).
func near(a, b time.Time) bool { return a.Sub(b).Abs() < time.Microsecond }
