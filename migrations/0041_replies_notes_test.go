package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0041: reply templates start offered (not retired), internal notes sit in their own table, and
// a reply's file waits without an event until its reply is made.
func TestRepliesNotesTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0041_replies_notes" })
	if step < 0 {
		t.Fatal("0041_replies_notes is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO reply_templates (type, title_zh, title_en, body_zh, body_en, created_at, updated_at) VALUES ('conduct', '标题', 'Title', '正文', 'Body', ?, ?)`, now, now).Error; err != nil {
		t.Fatal(err)
	}
	var retired int64
	if err := db.Raw("SELECT COUNT(*) FROM reply_templates WHERE retired_at IS NOT NULL").Scan(&retired).Error; err != nil || retired != 0 {
		t.Fatalf("a new template is retired: %v %v", retired, err)
	}
	if err := db.Exec(`INSERT INTO order_notes (order_id, at, actor_id, actor_role, note) VALUES (1, ?, 2, 'liaison', '内部')`, now).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO reply_files (order_id, uploaded_by, content_type, size, sha256, created_at) VALUES (1, 2, 'application/pdf', 10, 'ab', ?)`, now).Error; err != nil {
		t.Fatal(err)
	}
	var event int64
	if err := db.Raw("SELECT COUNT(*) FROM reply_files WHERE event_id IS NOT NULL").Scan(&event).Error; err != nil || event != 0 {
		t.Fatalf("a new reply file has an event: %v %v", event, err)
	}
}
