package booking_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"qijian/internal/booking"
	"qijian/internal/testkit"
)

// feedOf is user's feed address, split into the user's id and the token.
func feedOf(t *testing.T, f *fixture, user string) (uint, string) {
	t.Helper()
	url, err := f.svc.FeedURL(context.Background(), f.Actor(user))
	if err != nil || url == "" {
		t.Fatalf("%s feed link: %q %v", user, url, err)
	}
	parts := strings.Split(strings.TrimPrefix(url, "/ical/"), "/")
	return f.User(user).ID, strings.TrimSuffix(parts[1], ".ics")
}

// TestNewFeedLinkRetiresTheOld: the owner's "new link" makes every earlier address fail, is
// audited, and touches nobody else's feed; who has no bookings has no feed to renew.
func TestNewFeedLinkRetiresTheOld(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	ctx := context.Background()
	for _, who := range []string{"ent-a", "provider-1"} {
		uid, old := feedOf(t, f, who)
		if _, err := f.svc.Feed(ctx, uid, old+".ics", "https://qijian.example"); err != nil {
			t.Fatalf("%s: the current link: %v", who, err)
		}
		_, otherOld := feedOf(t, f, "ent-b")
		fresh, err := f.svc.NewFeedURL(ctx, f.Actor(who))
		if err != nil || strings.Contains(fresh, old) {
			t.Fatalf("%s: new link %q %v", who, fresh, err)
		}
		if _, err := f.svc.Feed(ctx, uid, old, "https://qijian.example"); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("%s: the old link still works: %v", who, err)
		}
		_, tok := feedOf(t, f, who)
		if !strings.Contains(fresh, tok) {
			t.Fatalf("%s: the page shows %s, the new link is %s", who, tok, fresh)
		}
		if _, err := f.svc.Feed(ctx, uid, tok, "https://qijian.example"); err != nil {
			t.Fatalf("%s: the new link: %v", who, err)
		}
		// A second new link retires the first new one too.
		if _, err := f.svc.NewFeedURL(ctx, f.Actor(who)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Feed(ctx, uid, tok, "https://qijian.example"); !errors.Is(err, booking.ErrNotFound) {
			t.Fatalf("%s: the first new link survived the second", who)
		}
		if _, otherNow := feedOf(t, f, "ent-b"); otherNow != otherOld {
			t.Fatalf("%s's new link changed ent-b's feed", who)
		}
	}
	var n int64
	f.St.Gorm().Raw("SELECT (SELECT COUNT(*) FROM audit_pending WHERE action = 'booking.feed_rotate') + (SELECT COUNT(*) FROM audit_events WHERE action = 'booking.feed_rotate')").Scan(&n)
	if n != 4 {
		t.Fatalf("%d feed renewals audited, want 4", n)
	}
	for _, who := range []string{"officer-scj", "liaison-city", "admin"} {
		if _, err := f.svc.NewFeedURL(ctx, f.Actor(who)); !errors.Is(err, booking.ErrForbidden) {
			t.Errorf("%s renews a feed: %v", who, err)
		}
	}
}
