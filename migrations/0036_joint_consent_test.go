package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0036 gives each inspection on record its lead body as source and keeps every part confirmed;
// from then on two bodies may each use the same external id, while one body may not use it twice.
func TestExternalIDUniquePerSourceBody(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0036_joint_consent" })
	if step < 0 {
		t.Fatal("0036_joint_consent is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 4, 1, 0, 0, 0, time.UTC)
	insert := func(id int, ext string, extra string) error {
		return db.Exec(`INSERT INTO inspections (id, external_id, kind, status, enterprise_id, scheduled_at, place, county_code, notice_withheld, code, created_by, created_at, updated_at`+extra+`)
			VALUES (?, ?, 'joint', 'scheduled', 1, ?, '', '330302', false, '', 1, ?, ?`+map[bool]string{true: ", 2", false: ""}[extra != ""]+`)`, id, ext, at, at, at).Error
	}
	if err := insert(1, "X-1", ""); err != nil {
		t.Fatal(err)
	}
	for _, l := range [][3]int{{1, 3, 0}, {1, 4, 1}} {
		if err := db.Exec("INSERT INTO inspection_bodies (inspection_id, body_id, seq) VALUES (?, ?, ?)", l[0], l[1], l[2]).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var src uint
	db.Raw("SELECT source_body_id FROM inspections WHERE id = 1").Scan(&src)
	if src != 3 {
		t.Fatalf("source body %d, want the lead body 3", src)
	}
	var pending int64
	db.Raw("SELECT COUNT(*) FROM inspection_bodies WHERE state <> 'confirmed'").Scan(&pending)
	if pending != 0 {
		t.Fatalf("%d parts on record are no longer confirmed", pending)
	}
	if err := insert(2, "X-1", ", source_body_id"); err != nil {
		t.Fatalf("another body's own X-1: %v", err)
	}
	if err := insert(3, "X-1", ", source_body_id"); err == nil {
		t.Fatal("one body's X-1 stored twice")
	}
}
