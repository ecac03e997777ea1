package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0032 keeps the first of an enterprise's active bookings of one slot, cancels the later ones
// and frees their seats; from then on the database refuses a second active booking of a slot by
// one enterprise, while a cancelled one does not count.
func TestOneActiveBookingPerEnterpriseAndSlot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0032_request_keys" })
	if step < 0 {
		t.Fatal("0032_request_keys is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 4, 1, 0, 0, 0, time.UTC)
	if err := db.Exec("INSERT INTO slots (id, service_id, starts_at, ends_at, provider_id, capacity, booked, closed) VALUES (1, 1, ?, ?, 9, 5, 4, false)", at, at.Add(time.Hour)).Error; err != nil {
		t.Fatal(err)
	}
	book := func(id, ent int, status string) error {
		return db.Exec(`INSERT INTO bookings (id, number, enterprise_id, user_id, service_id, provider_id, slot_id, starts_at, ends_at, mode, status, created_at, updated_at)
			VALUES (?, ?, ?, 1, 1, 9, 1, ?, ?, 'online', ?, ?, ?)`, id, "YY"+string(rune('0'+id)), ent, at, at.Add(time.Hour), status, at, at).Error
	}
	for _, b := range []struct {
		id, ent int
		status  string
	}{{1, 7, "booked"}, {2, 7, "confirmed"}, {3, 7, "booked"}, {4, 8, "booked"}, {5, 7, "cancelled"}} {
		if err := book(b.id, b.ent, b.status); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		ID     int
		Status string
	}
	db.Raw("SELECT id, status FROM bookings ORDER BY id").Scan(&got)
	want := []string{"booked", "cancelled", "cancelled", "booked", "cancelled"}
	for i, g := range got {
		if g.Status != want[i] {
			t.Fatalf("booking %d is %s, want %s (all: %v)", g.ID, g.Status, want[i], got)
		}
	}
	var booked int
	db.Raw("SELECT booked FROM slots WHERE id = 1").Scan(&booked)
	if booked != 2 {
		t.Fatalf("seats taken %d, want 2 (two duplicates freed)", booked)
	}
	if err := book(6, 7, "booked"); err == nil {
		t.Fatal("a second active booking of the slot by one enterprise was stored")
	}
	if err := book(7, 7, "cancelled"); err != nil {
		t.Fatalf("a cancelled booking beside the active one: %v", err)
	}
	if !db.Migrator().HasTable("request_keys") || !db.Migrator().HasColumn("idempotency_keys", "request_hash") {
		t.Fatal("request_keys or idempotency_keys.request_hash missing")
	}
}
