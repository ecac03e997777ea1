package blob

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/errs"
)

// DefaultDailyQuota is what one user may store in a Wenzhou day when nothing else is configured
// (QIJIAN_UPLOAD_QUOTA_MB): twenty full-size files, far above what a report or a case file needs.
const DefaultDailyQuota = 200 << 20

// ErrQuota refuses an upload that would take its user over the day's quota (429: it is a limit
// that lifts, tomorrow), naming the file field.
var ErrQuota = &errs.Error{Kind: errs.Limited, Code: "upload_quota", Key: "err.upload_quota", Fields: map[string]string{"file": "err.upload_quota"}}

// Charger counts stored bytes per user and day (the store's ChargeUpload).
type Charger interface {
	ChargeUpload(ctx context.Context, userID uint, day string, n, limit int64) (bool, error)
}

// Charge counts n stored bytes against userID's quota for the Wenzhou day of now (perDay; zero
// or less is DefaultDailyQuota, never unlimited), or refuses with ErrQuota and counts nothing.
// Call it in the transaction that records the file, so a failed upload is not counted.
func Charge(ctx context.Context, c Charger, userID uint, now time.Time, n, perDay int64) error {
	if perDay <= 0 {
		perDay = DefaultDailyQuota
	}
	ok, err := c.ChargeUpload(ctx, userID, now.In(calendar.Location()).Format("2006-01-02"), n, perDay)
	if err != nil {
		return fmt.Errorf("blob: quota: %w", err)
	}
	if !ok {
		return fmt.Errorf("blob: user %d over %d bytes a day: %w", userID, perDay, ErrQuota)
	}
	return nil
}
