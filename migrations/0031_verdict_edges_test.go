package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0031: ratings stored before it answered both questions (the form always sent them); clues,
// inspections and the calendar's years gain their columns.
func TestVerdictEdgesColumns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0031_verdict_edges" })
	if step < 0 {
		t.Fatal("0031_verdict_edges is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO inspection_ratings (inspection_id, enterprise_id, score, comment, code_shown, credential_shown, data_demanded, disrupted, created_at, updated_at)
		VALUES (1, 1, 4, '', false, true, false, false, ?, ?)`, now, now).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	var r struct{ CodeAnswered, CredentialAnswered, CodeShown bool }
	if err := db.Table("inspection_ratings").Select("code_answered, credential_answered, code_shown").Where("inspection_id = 1").Take(&r).Error; err != nil {
		t.Fatal(err)
	}
	if !r.CodeAnswered || !r.CredentialAnswered || r.CodeShown {
		t.Fatalf("an earlier rating: %+v, want both answered and its no kept", r)
	}
	for table, cols := range map[string][]string{
		"inspections":    {"notice_withheld_basis", "frequency_approver", "frequency_approval_no", "frequency_approved_on"},
		"clues":          {"withdrawn_at", "withdrawn_reason"},
		"calendar_years": {"year", "entered_by", "entered_at", "source"},
	} {
		for _, c := range cols {
			if !db.Migrator().HasColumn(table, c) {
				t.Errorf("%s.%s missing", table, c)
			}
		}
	}
}
