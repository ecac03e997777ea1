package booking

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/booking/slots"
	"qijian/internal/store"
)

// Private calendar feeds. Calendar apps fetch a person's feed without a session, so its address
// carries a token: a keyed hash of the user and the feed's generation. Making a new link moves
// the generation on, and every earlier address stops working at once (a link forwarded, or left
// on a lost phone, is withdrawn without the portal keeping any token). Generation 0, before any
// new link, is the address the portal has always given.

// feedToken is the secret part of userID's feed address in generation gen.
func (s *Service) feedToken(userID uint, gen int) string {
	m := hmac.New(sha256.New, s.Secret)
	msg := "ical-feed:" + strconv.FormatUint(uint64(userID), 10)
	if gen > 0 {
		msg += ":" + strconv.Itoa(gen)
	}
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

func feedPath(userID uint, token string) string {
	return "/ical/" + strconv.FormatUint(uint64(userID), 10) + "/" + token + ".ics"
}

// hasFeed: a login whose bookings make a list (an enterprise's, a provider's).
func hasFeed(a account.Actor) bool { return !account.OwnScopeOf(a, account.ViewBooking).Empty() }

// FeedURL is a's private feed address (a path), or "" for a role without bookings.
func (s *Service) FeedURL(ctx context.Context, a account.Actor) (string, error) {
	if !hasFeed(a) {
		return "", nil
	}
	gen, err := s.St.FeedGeneration(ctx, a.UserID)
	if err != nil {
		return "", fmt.Errorf("booking: feed: %w", err)
	}
	return feedPath(a.UserID, s.feedToken(a.UserID, gen)), nil
}

// NewFeedURL retires a's feed address and answers the new one, audited. A role without bookings
// has no feed (ErrForbidden).
func (s *Service) NewFeedURL(ctx context.Context, a account.Actor) (string, error) {
	if !hasFeed(a) {
		return "", ErrForbidden
	}
	var gen int
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		var err error
		if gen, err = s.St.RotateFeed(ctx, a.UserID, now); err != nil {
			return err
		}
		return s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: a.UserID, ActorRole: string(a.Role), Action: "booking.feed_rotate", ObjectType: "user", ObjectID: uint64(a.UserID)})
	})
	if err != nil {
		return "", fmt.Errorf("booking: new feed link: %w", err)
	}
	return feedPath(a.UserID, s.feedToken(a.UserID, gen)), nil
}

// Feed is a person's private calendar: the bookings of their enterprise or provider login from
// three months back, for the token of the feed's current generation (an earlier one, a forged
// one, a disabled login and a role without bookings are ErrNotFound). base is the portal's
// address, for the links back.
func (s *Service) Feed(ctx context.Context, userID uint, token, base string) (string, error) {
	gen, err := s.St.FeedGeneration(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("booking: feed: %w", err)
	}
	if !hmac.Equal([]byte(strings.TrimSuffix(token, ".ics")), []byte(s.feedToken(userID, gen))) {
		return "", ErrNotFound
	}
	u, err := s.St.User(ctx, userID)
	if err != nil {
		return "", notFound(err)
	}
	if u.Disabled {
		return "", ErrNotFound
	}
	a, err := s.St.Actor(ctx, u)
	if err != nil {
		return "", err
	}
	if !hasFeed(a) {
		return "", ErrNotFound
	}
	list, err := s.list(ctx, a, store.BookingFilter{From: s.Clock.Now().AddDate(0, -3, 0), Limit: 1000})
	if err != nil {
		return "", err
	}
	return slots.ICS("企检预约", events(list, base)), nil
}
