package admin_test

import (
	"context"
	"errors"
	"testing"

	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/testkit"
)

// trail chains what is pending, proves the chain verifies, and returns it oldest first.
func trail(t *testing.T, f *testkit.Fixture) []audit.Entry {
	t.Helper()
	ctx := context.Background()
	if bad, _, err := f.St.VerifyAudit(ctx); err != nil || bad != 0 {
		t.Fatalf("audit chain: bad entry %d, %v", bad, err)
	}
	var out []audit.Entry
	if err := f.St.Gorm().Table("audit_events").Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// wantAudit checks that the last entry is action by actor on the object.
func wantAudit(t *testing.T, f *testkit.Fixture, actorID uint, action, objType string, objID uint64, detail string) {
	t.Helper()
	es := trail(t, f)
	if len(es) == 0 {
		t.Fatalf("no audit entry, want %s", action)
	}
	e := es[len(es)-1]
	if e.ActorID != actorID || e.ActorRole != "admin" || e.Action != action || e.ObjectType != objType || e.ObjectID != objID || e.Detail != detail {
		t.Fatalf("audit entry %+v, want %s by %d on %s %d with %q", e, action, actorID, objType, objID, detail)
	}
}

// wantKind checks that err is a refusal of kind.
func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) || errs.KindOf(err) != kind {
		t.Fatalf("got %v, want a refusal of kind %v", err, kind)
	}
}

// staff are the demo logins that are not admins, each of whom every admin use case refuses.
var staff = []string{"ent-a", "obs-chamber", "liaison-lc", "liaison-city", "officer-scj", "provider-1", "operator-12345"}
