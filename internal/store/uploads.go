package store

import (
	"context"
	"time"
)

// UploadUsage is what one user stored on one Wenzhou day (YYYY-MM-DD), for the upload quota.
type UploadUsage struct {
	UserID uint   `gorm:"primaryKey;autoIncrement:false"`
	Day    string `gorm:"primaryKey;size:10"`
	Bytes  int64
}

// TableName maps the row to its table.
func (UploadUsage) TableName() string { return "upload_usage" }

// ChargeUpload adds n bytes to userID's count for day if the count stays within limit, and
// answers false, changing nothing, when it would not. It is one statement, so two uploads at once
// cannot both slip under the limit; inside a transaction the charge rolls back with it.
func (s *Store) ChargeUpload(ctx context.Context, userID uint, day string, n, limit int64) (bool, error) {
	if n > limit {
		return false, nil
	}
	res := s.DB(ctx).Exec(`INSERT INTO upload_usage (user_id, day, bytes) VALUES (?, ?, ?)
		ON CONFLICT (user_id, day) DO UPDATE SET bytes = upload_usage.bytes + excluded.bytes
		WHERE upload_usage.bytes + excluded.bytes <= ?`, userID, day, n, limit)
	if res.Error != nil {
		return false, mapErr("charge upload", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// UploadedOn is what userID stored on day.
func (s *Store) UploadedOn(ctx context.Context, userID uint, day string) (int64, error) {
	var u UploadUsage
	err := s.DB(ctx).Where("user_id = ? AND day = ?", userID, day).Limit(1).Find(&u).Error
	return u.Bytes, mapErr("uploaded on", err)
}

// CalendarFeed is a person's calendar-feed generation: the feed's secret address is derived
// from it, and a new generation makes every earlier address stop working. No row is generation 0.
type CalendarFeed struct {
	UserID     uint `gorm:"primaryKey;autoIncrement:false"`
	Generation int
	RotatedAt  time.Time
}

// TableName maps the row to its table.
func (CalendarFeed) TableName() string { return "calendar_feeds" }

// FeedGeneration is userID's feed generation (0 before any rotation).
func (s *Store) FeedGeneration(ctx context.Context, userID uint) (int, error) {
	var f CalendarFeed
	err := s.DB(ctx).Where("user_id = ?", userID).Limit(1).Find(&f).Error
	return f.Generation, mapErr("feed generation", err)
}

// RotateFeed moves userID's feed to its next generation and answers it, in one statement.
func (s *Store) RotateFeed(ctx context.Context, userID uint, at time.Time) (int, error) {
	err := s.DB(ctx).Exec(`INSERT INTO calendar_feeds (user_id, generation, rotated_at) VALUES (?, 1, ?)
		ON CONFLICT (user_id) DO UPDATE SET generation = calendar_feeds.generation + 1, rotated_at = excluded.rotated_at`, userID, at).Error
	if err != nil {
		return 0, mapErr("rotate feed", err)
	}
	return s.FeedGeneration(ctx, userID)
}
