package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/store"
	"qijian/internal/testkit"
)

// Mutes are rows of their own table: saved whole with the preferences (a group named twice once),
// replaced on the next save, and read back sorted; a person who never saved any has none.
func TestPrefsKeepTheirMutes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if p, err := st.Prefs(ctx, 7); err != nil || p.Lang != "zh" || len(p.MutedGroups()) != 0 {
		t.Fatalf("defaults: %+v %v", p, err)
	}
	for _, tc := range []struct{ save, want []string }{
		{[]string{"order", "alert", "order"}, []string{"alert", "order"}},
		{[]string{"booking"}, []string{"booking"}},
		{nil, nil},
	} {
		if err := st.SavePrefs(ctx, &store.NotificationPrefs{UserID: 7, Lang: "en", SMS: true, Mobile: "13800000001", Muted: tc.save, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		p, err := st.Prefs(ctx, 7)
		if err != nil || p.Lang != "en" || !slices.Equal(p.MutedGroups(), tc.want) {
			t.Fatalf("saved %v, read %+v %v; want mutes %v", tc.save, p, err, tc.want)
		}
	}
	var n int64
	if err := st.Gorm().Table("notification_mutes").Count(&n).Error; err != nil || n != 0 {
		t.Fatalf("mute rows left after clearing: %d %v", n, err)
	}
}
