package migrations_test

import (
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0028 marks images as clean and PDFs as not (they were stored as sent), renumbers anonymous
// orders out of sequence (named ones keep theirs), carries the new number into their
// notifications' titles, and drops the links held by anyone but the filer.
func TestAnonymousOrdersRenumberedAndOldPDFsMarked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0028_anonymity_uploads" })
	if step < 0 {
		t.Fatal("0028_anonymity_uploads is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for i, anon := range []bool{false, true, false} {
		if err := db.Exec(`INSERT INTO work_orders (id, number, type, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, anonymous, rating, reopen_count, created_at, updated_at)
			VALUES (?, ?, 'conduct', 'x', 'submitted', 0, '12348', '330302', 1, 7, ?, 0, 0, ?, ?)`, i+1, "QJ2026000000"+string(rune('1'+i)), anon, at, at).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []struct {
		user        uint
		title, link string
	}{{7, "您的诉求已提交：QJ20260000002", "/complaints/2"}, {9, "新工单待受理：QJ20260000002", "/complaints/2"}, {9, "新工单待受理：QJ20260000001", "/complaints/1"}} {
		if err := db.Exec("INSERT INTO notifications (user_id, kind, title, body, link, created_at) VALUES (?, 'order.staff', ?, '', ?, ?)", n.user, n.title, n.link, at).Error; err != nil {
			t.Fatal(err)
		}
	}
	for i, ct := range []string{"image/png", "application/pdf"} {
		if err := db.Exec("INSERT INTO evidence (id, order_id, uploaded_by, content_type, size, sha256, created_at) VALUES (?, 2, 7, ?, 10, 'x', ?)", i+1, ct, at).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var nums []string
	if err := db.Table("work_orders").Order("id").Pluck("number", &nums).Error; err != nil {
		t.Fatal(err)
	}
	if nums[0] != "QJ20260000001" || nums[2] != "QJ20260000003" || !regexp.MustCompile(`^QJ2026M[0-9A-HJKMNP-TV-Z]{8}$`).MatchString(nums[1]) {
		t.Fatalf("numbers %v", nums)
	}
	var notes []struct {
		UserID      uint
		Title, Link string
	}
	if err := db.Table("notifications").Order("id").Find(&notes).Error; err != nil {
		t.Fatal(err)
	}
	if notes[0].Title != "您的诉求已提交："+nums[1] || notes[0].Link != "/complaints/2" || notes[1].Title != "新工单待受理："+nums[1] || notes[1].Link != "" ||
		notes[2].Title != "新工单待受理：QJ20260000001" || notes[2].Link != "/complaints/1" {
		t.Fatalf("notifications %+v", notes)
	}
	var clean []bool
	if err := db.Table("evidence").Order("id").Pluck("clean", &clean).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(clean, []bool{true, false}) {
		t.Fatalf("clean %v, want the image clean and the PDF not", clean)
	}
	for _, table := range []string{"upload_usage", "calendar_feeds"} {
		if !db.Migrator().HasTable(table) {
			t.Fatalf("no %s", table)
		}
	}
}
