package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0038: the supervision settings start with a limit of 5 orders a month and no contact; a
// document number is unique within its series and year.
func TestSupervisionTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0038_supervision" })
	if step < 0 {
		t.Fatal("0038_supervision is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ConcentrationLimit int
		ReferralMobile     string
	}
	if err := db.Raw("SELECT concentration_limit, referral_mobile FROM supervision_settings WHERE id = 1").Scan(&got).Error; err != nil || got.ConcentrationLimit != 5 || got.ReferralMobile != "" {
		t.Fatalf("settings: %+v %v", got, err)
	}
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	ins := `INSERT INTO order_documents (order_id, level, kind, series, year, seq, number, body_zh, body_en, created_at) VALUES (1, 2, 'county_letter', '温司督', ?, 1, 'n', 'z', 'e', ?)`
	if err := db.Exec(ins, 2026, now).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ins, 2026, now).Error; err == nil {
		t.Fatal("a second number 1 of 2026 in one series was taken")
	}
	if err := db.Exec(ins, 2027, now).Error; err != nil {
		t.Fatalf("number 1 of another year: %v", err)
	}
}
