package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"qijian/internal/account"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

// countQueries counts the reads st sends from now on.
func countQueries(t *testing.T, st *store.Store) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	cb := st.Gorm().Callback()
	if err := cb.Query().After("gorm:query").Register("test:count_queries", func(*gorm.DB) { n.Add(1) }); err != nil {
		t.Fatal(err)
	}
	if err := cb.Row().After("gorm:row").Register("test:count_rows", func(*gorm.DB) { n.Add(1) }); err != nil {
		t.Fatal(err)
	}
	return &n
}

// A write to a cached table by every path empties the caches that read it, with no call at the
// writer: gorm's create, update and delete, a raw statement, and the commit-time INSERT of
// buffered rows (in a plain and a lazy transaction). Each case reads twice (the second from the
// cache, with no query), writes, and must then read the change.
func TestEveryWritePathEmptiesItsCaches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	liaison := &account.User{Username: "liaison-c", Role: account.RoleLiaison, CountyCode: "330302", PasswordHash: "x"}
	if err := st.CreateUser(ctx, liaison); err != nil {
		t.Fatal(err)
	}
	policy := store.SLAPolicy{Channel: "12345", Type: "conduct", Stage: "accept", Amount: 1, Unit: "day"}
	if err := st.Gorm().Create(&policy).Error; err != nil {
		t.Fatal(err)
	}
	body := &account.Body{NameZh: "甲局", NameEn: "A", Short: "A"}
	if err := st.SaveBody(ctx, body); err != nil {
		t.Fatal(err)
	}
	st.AddCacheSource("test_orders", "work_orders")
	orders := func(ctx context.Context) (int64, error) {
		return st.Cached(ctx, "test_orders", func(ctx context.Context) (int64, error) {
			var n int64
			err := st.DB(ctx).Model(&store.WorkOrder{}).Count(&n).Error
			return n, err
		})
	}
	queued := func(run func(context.Context, func(context.Context) error) error, id uint64) func(context.Context) error {
		return func(ctx context.Context) error {
			return run(ctx, func(ctx context.Context) error {
				return st.QueueInsert(ctx, lazyOrder(id, fmt.Sprintf("QJ-CACHE-%d", id)))
			})
		}
	}
	show := func(v any, err error) (string, error) { return fmt.Sprintf("%+v", v), err }
	liaisons := func(ctx context.Context) (string, error) {
		l, err := st.Liaisons(ctx)
		ids := []uint{}
		for _, u := range l {
			ids = append(ids, u.ID)
		}
		return fmt.Sprint(ids), err
	}
	routing := func(ctx context.Context) (string, error) {
		r, err := st.RoutingRules(ctx)
		return fmt.Sprint(len(r)), err
	}
	var ruleID uint
	cases := []struct {
		cache, path string
		read        func(context.Context) (string, error)
		write       func(context.Context) error
	}{
		{"routing_rules", "gorm create", routing, func(ctx context.Context) error {
			r := &store.RoutingRule{Type: "conduct", CountyCode: "330302", Channel: "12345"}
			err := st.AddRoutingRule(ctx, r)
			ruleID = r.ID
			return err
		}},
		{"routing_rules", "gorm delete", routing, func(ctx context.Context) error { return st.DeleteRoutingRule(ctx, ruleID) }},
		{"sla_policies", "gorm update", func(ctx context.Context) (string, error) { return show(st.SLAPolicies(ctx)) },
			func(ctx context.Context) error { return st.SetSLAPolicy(ctx, policy.ID, 2, "day") }},
		{"sla_policies", "raw statement", func(ctx context.Context) (string, error) { return show(st.SLAPolicies(ctx)) },
			func(ctx context.Context) error { return st.DB(ctx).Exec("UPDATE sla_policies SET amount = 3").Error }},
		{"liaisons", "gorm update", liaisons, func(ctx context.Context) error { return st.SetUserDisabled(ctx, liaison.ID, true) }},
		{"liaisons", "gorm update in a transaction", liaisons, func(ctx context.Context) error {
			return st.WithTx(ctx, func(ctx context.Context) error { return st.SetUserDisabled(ctx, liaison.ID, false) })
		}},
		{"outside_recipients", "gorm save", func(ctx context.Context) (string, error) { return show(st.WantsOutside(ctx, liaison.ID)) },
			func(ctx context.Context) error {
				return st.SavePrefs(ctx, &store.NotificationPrefs{UserID: liaison.ID, Lang: "zh", Mobile: "13800000000", SMS: true})
			}},
		{"body_ids", "gorm create", func(ctx context.Context) (string, error) { return show(st.BodiesExist(ctx, []uint{body.ID})) },
			func(ctx context.Context) error {
				return st.SaveBody(ctx, &account.Body{NameZh: "乙局", NameEn: "B", Short: "B"})
			}},
		{"body_names", "gorm save", func(ctx context.Context) (string, error) { return st.BodyName(ctx, body.ID) },
			func(ctx context.Context) error {
				b, err := st.Body(ctx, body.ID)
				if err != nil {
					return err
				}
				b.NameZh = "甲局（改名）"
				return st.SaveBody(ctx, b)
			}},
		{"sign_in", "raw statement", func(ctx context.Context) (string, error) {
			_, u, err := st.SessionWithUser(ctx, "s-cache")
			return fmt.Sprint(u.DisplayName), err
		}, func(ctx context.Context) error {
			return st.DB(ctx).Exec("UPDATE users SET display_name = 'renamed' WHERE id = ?", liaison.ID).Error
		}},
		{"test_orders", "commit-time INSERT", func(ctx context.Context) (string, error) { return show(orders(ctx)) }, queued(st.WithTx, 801)},
		{"test_orders", "commit-time INSERT, lazy", func(ctx context.Context) (string, error) { return show(orders(ctx)) }, queued(st.WithLazyTx, 802)},
	}
	now := time.Now().UTC()
	if err := st.CreateSession(ctx, &store.Session{ID: "s-cache", UserID: liaison.ID, Kind: "web", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	queries := countQueries(t, st)
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.cache] = true
		before, err := tc.read(ctx)
		if err != nil {
			t.Fatalf("%s: %v", tc.cache, err)
		}
		n := queries.Load()
		if again, err := tc.read(ctx); err != nil || again != before || queries.Load() != n {
			t.Fatalf("%s: a second read is not answered by the cache (%d queries): %v %v", tc.cache, queries.Load()-n, again, err)
		}
		if err := tc.write(ctx); err != nil {
			t.Fatalf("%s, %s: %v", tc.cache, tc.path, err)
		}
		// Emptied, the cache is read again; and what it answers changes, except body_ids', which
		// looks up the ids it lacks and so answers the same.
		n = queries.Load()
		after, err := tc.read(ctx)
		if err != nil || queries.Load() == n || (after == before) != (tc.cache == "body_ids") {
			t.Errorf("%s is not emptied by a %s: %s before, %s after, %d queries (%v)", tc.cache, tc.path, before, after, queries.Load()-n, err)
		}
	}
	var names []string
	for name := range store.CacheSources {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !covered[name] {
			t.Errorf("cache %s has no case here", name)
		}
	}
}

// Inside a transaction that wrote a cached table, the rest of it reads the table itself, not
// the cache; a cache with no entry in cacheSources is an error, not an unwatched cache.
func TestTableCacheInsideTheWritingTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	seeded, err := st.RoutingRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = st.WithTx(ctx, func(ctx context.Context) error {
		if err := st.AddRoutingRule(ctx, &store.RoutingRule{Type: "conduct", Channel: "12345"}); err != nil {
			return err
		}
		r, err := st.RoutingRules(ctx)
		if err == nil && len(r) != len(seeded)+1 {
			err = fmt.Errorf("the writing transaction read %d rules, want %d", len(r), len(seeded)+1)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Cached(ctx, "nowhere", func(context.Context) (int64, error) { return 0, nil }); err == nil {
		t.Fatal("a cache with no tables is read")
	}
}

// Another process's edit (a second store on the same database) is seen once the cache's
// lifetime has passed.
func TestTableCacheSeesOtherProcessesWithinTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	const ttl = 200 * time.Millisecond
	st.SetTableCacheTTL(ttl)
	other := testkit.Reopen(t, st)
	seeded, err := st.RoutingRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.AddRoutingRule(ctx, &store.RoutingRule{Type: "conduct", Channel: "12345"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := st.RoutingRules(ctx); len(r) != len(seeded) {
		t.Fatalf("another process's edit is seen at once: this store does not cache (%d rules)", len(r))
	}
	time.Sleep(ttl + 50*time.Millisecond)
	if r, err := st.RoutingRules(ctx); err != nil || len(r) != len(seeded)+1 {
		t.Fatalf("another process's edit is not seen after %s: %v %v", ttl, r, err)
	}
}

// Liaisons are cached for every filing, yet adding or disabling one through the store is seen at
// once: a disabled liaison must not be told of new orders.
func TestLiaisonsCacheSeesEditsAtOnce(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	if err := testkit.Reopen(t, st).SaveBody(ctx, b); err != nil { // behind the cache's back
		t.Fatal(err)
	}
	got, err := st.BodiesExist(ctx, []uint{a.ID, b.ID, 9999})
	if err != nil || !got[a.ID] || !got[b.ID] || got[9999] {
		t.Fatalf("bodies %d, %d (made elsewhere) and 9999 (none): %v %v", a.ID, b.ID, got, err)
	}
}
