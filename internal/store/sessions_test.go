package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

// signInGaps lists the columns of the tables a sign-in reads that it neither reads nor lists as
// not needed, and those it reads that the table lacks.
func signInGaps(t *testing.T, st *store.Store) []string {
	t.Helper()
	var gaps []string
	read := st.SignInColumns()
	for _, table := range []string{"sessions", "users"} {
		types, err := st.Gorm().Migrator().ColumnTypes(table)
		if err != nil {
			t.Fatal(err)
		}
		var have []string
		for _, c := range types {
			have = append(have, c.Name())
			if !slices.Contains(read[table], c.Name()) && !slices.Contains(store.SignInSkips[table], c.Name()) {
				gaps = append(gaps, table+"."+c.Name()+" is not read")
			}
		}
		for _, c := range read[table] {
			if !slices.Contains(have, c) {
				gaps = append(gaps, table+"."+c+" is read but not in the table")
			}
		}
	}
	return gaps
}

// The sign-in reads every column of sessions and users into the models (or lists it as not
// needed): a column added to users without a field to read it into fails here, instead of
// reading as zero for every signed-in viewer.
func TestSignInReadsEveryColumn(t *testing.T) {
	t.Parallel()
	st := testkit.Store(t)
	if gaps := signInGaps(t, st); len(gaps) != 0 {
		t.Fatalf("the sign-in and the tables differ: %v", gaps)
	}
	if err := st.Gorm().Exec("ALTER TABLE users ADD COLUMN nickname text").Error; err != nil {
		t.Fatal(err)
	}
	if gaps := signInGaps(t, st); !slices.Equal(gaps, []string{"users.nickname is not read"}) {
		t.Fatalf("a new users column: %v", gaps)
	}
}

// The sign-in reads every field of the session and the user as they were written, NULLs as
// zero values or nil pointers, and the enterprise's county for an enterprise login.
func TestSignInReadsEveryField(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	ent := &account.Enterprise{USCC: "91330302MA2ABCDE1X", Name: "甲公司", CountyCode: "330302"}
	if err := st.Gorm().Create(ent).Error; err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	body := uint(3)
	u := &account.User{Username: "ent-full", PasswordHash: "h", Role: account.RoleEnterprise, DisplayName: "甲", EnterpriseID: &ent.ID, EnterpriseVerified: true,
		BodyID: &body, CountyCode: "330303", OrgName: "org", Disabled: true, FailedLogins: 2, LockedUntil: &at, CreatedAt: at, UpdatedAt: at}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	ss := &store.Session{ID: "s-full", UserID: u.ID, Kind: "web", CreatedAt: at, LastSeenAt: at.Add(time.Minute), ExpiresAt: at.Add(time.Hour)}
	if err := st.CreateSession(ctx, ss); err != nil {
		t.Fatal(err)
	}
	gotS, gotU, err := st.SessionWithUser(ctx, "s-full")
	if err != nil {
		t.Fatal(err)
	}
	if gotS.ID != ss.ID || gotS.UserID != u.ID || gotS.Kind != "web" || !gotS.CreatedAt.Equal(at) || !gotS.LastSeenAt.Equal(ss.LastSeenAt) ||
		!gotS.ExpiresAt.Equal(ss.ExpiresAt) || gotS.EnterpriseCounty != "330302" {
		t.Errorf("session: %+v", gotS)
	}
	if gotU.ID != u.ID || gotU.Username != "ent-full" || gotU.PasswordHash != "h" || gotU.Role != account.RoleEnterprise || gotU.DisplayName != "甲" ||
		gotU.EnterpriseID == nil || *gotU.EnterpriseID != ent.ID || gotU.BodyID == nil || *gotU.BodyID != 3 || gotU.CountyCode != "330303" ||
		gotU.OrgName != "org" || !gotU.Disabled || gotU.FailedLogins != 2 || gotU.LockedUntil == nil || !gotU.LockedUntil.Equal(at) ||
		!gotU.CreatedAt.Equal(at) || !gotU.UpdatedAt.Equal(at) {
		t.Errorf("user: %+v", gotU)
	}
	// NULLs where the columns allow them (a row written by hand, as an old release might have).
	if err := st.Gorm().Exec(`UPDATE users SET display_name = NULL, org_name = NULL, county_code = NULL, enterprise_id = NULL, locked_until = NULL WHERE id = ?`, u.ID).Error; err != nil {
		t.Fatal(err)
	}
	gotS, gotU, err = st.SessionWithUser(ctx, "s-full")
	if err != nil || gotU.DisplayName != "" || gotU.OrgName != "" || gotU.CountyCode != "" || gotU.EnterpriseID != nil || gotU.LockedUntil != nil || gotS.EnterpriseCounty != "" {
		t.Fatalf("NULLs: %+v %+v %v", gotS, gotU, err)
	}
}
