package store_test

import (
	"context"
	"testing"

	"qijian/internal/account"
	"qijian/internal/testkit"
)

// Liaisons are cached for every filing, yet adding or disabling one through the store is seen at
// once: a disabled liaison must not be told of new orders.
func TestLiaisonsCacheSeesEditsAtOnce(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	if l, err := st.Liaisons(ctx); err != nil || len(l) != 0 {
		t.Fatalf("liaisons of an empty system: %v %v", l, err)
	}
	u := &account.User{Username: "liaison-x", Role: account.RoleLiaison, CountyCode: "330302", PasswordHash: "x"}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.Liaisons(ctx); len(l) != 1 || l[0].ID != u.ID {
		t.Fatalf("a new liaison is not listed at once: %v", l)
	}
	if err := st.SetUserDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.Liaisons(ctx); len(l) != 0 {
		t.Fatalf("a disabled liaison is still listed: %v", l)
	}
}

// A body another process created after this one cached the known ids is still found.
func TestBodiesExistFindsABodyMadeElsewhere(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	a := &account.Body{NameZh: "甲局", NameEn: "A", Short: "A"}
	if err := st.SaveBody(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got, err := st.BodiesExist(ctx, []uint{a.ID}); err != nil || !got[a.ID] {
		t.Fatalf("a body made here: %v %v", got, err)
	}
	b := &account.Body{NameZh: "乙局", NameEn: "B", Short: "B"}
	if err := st.Gorm().Create(b).Error; err != nil { // behind the cache's back, as another process would
		t.Fatal(err)
	}
	got, err := st.BodiesExist(ctx, []uint{a.ID, b.ID, 9999})
	if err != nil || !got[a.ID] || !got[b.ID] || got[9999] {
		t.Fatalf("bodies %d, %d (made elsewhere) and 9999 (none): %v %v", a.ID, b.ID, got, err)
	}
}
