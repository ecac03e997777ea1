package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0037: the grades' history table takes periods, and inspections stored before it keep an empty
// reason for keeping a visit apart.
func TestEnterpriseGradesTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0037_enterprise_grades" })
	if step < 0 {
		t.Fatal("0037_enterprise_grades is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO inspections (id, kind, status, enterprise_id, scheduled_at, county_code, created_by, created_at, updated_at) VALUES (1, 'triggered', 'scheduled', 1, ?, '330302', 1, ?, ?)`, now, now, now).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var got struct {
		KeepSeparateReason, CrossAreaApprover, CrossAreaDocNo string
		CrossAreaApprovedOn, CrossAreaNotifiedOn              *time.Time
	}
	if err := db.Raw("SELECT keep_separate_reason, cross_area_approver, cross_area_doc_no, cross_area_approved_on, cross_area_notified_on FROM inspections WHERE id = 1").Scan(&got).Error; err != nil ||
		got.KeepSeparateReason != "" || got.CrossAreaApprover != "" || got.CrossAreaDocNo != "" || got.CrossAreaApprovedOn != nil || got.CrossAreaNotifiedOn != nil {
		t.Fatalf("an earlier inspection's new columns: %+v %v", got, err)
	}
	if err := db.Exec(`INSERT INTO enterprise_grades (enterprise_id, kind, grade, valid_from, created_at) VALUES (1, 'credit', 'A', '2026-07-01', ?)`, now).Error; err != nil {
		t.Fatal(err)
	}
	var to string
	if err := db.Raw("SELECT valid_to FROM enterprise_grades WHERE enterprise_id = 1").Scan(&to).Error; err != nil || to != "" {
		t.Fatalf("an open period: %q %v", to, err)
	}
}
