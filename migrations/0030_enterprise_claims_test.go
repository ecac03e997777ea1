package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0030 keeps every existing login acting for its enterprise (verified), while a login added
// afterwards starts unverified; the claims and reset tables are there.
func TestExistingLoginsStayVerified(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.RawStore(t).Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0030_enterprise_claims" })
	if step < 0 {
		t.Fatal("0030_enterprise_claims is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	insert := func(name string) {
		if err := db.Exec(`INSERT INTO users (username, password_hash, role, display_name, county_code, org_name, disabled, failed_logins, created_at, updated_at)
			VALUES (?, 'h', 'enterprise', '', '', '', false, 0, ?, ?)`, name, at, at).Error; err != nil {
			t.Fatal(err)
		}
	}
	insert("old")
	if _, err := migrations.ApplyUpTo(ctx, db, step+1); err != nil {
		t.Fatal(err)
	}
	insert("new")
	var got []struct {
		Username           string
		EnterpriseVerified bool
	}
	if err := db.Table("users").Select("username, enterprise_verified").Order("username").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Username != "new" || got[0].EnterpriseVerified || !got[1].EnterpriseVerified {
		t.Fatalf("users %+v: want old verified, new not", got)
	}
	for _, table := range []string{"enterprise_claims", "password_resets", "federated_identities"} {
		if !db.Migrator().HasTable(table) {
			t.Errorf("no table %s", table)
		}
	}
}
