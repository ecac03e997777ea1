package store

import (
	"context"
	"time"
)

// LoginHasMobile tells whether a login acting for enterprise entID (its claim on the credit code
// approved, still enabled) had mobile confirmed when its application was reviewed: the
// verified mobile a phone intake accepts besides the enterprise's registered contact.
func (s *Store) LoginHasMobile(ctx context.Context, entID uint, mobile string) (bool, error) {
	if entID == 0 || mobile == "" {
		return false, nil
	}
	var n int64
	err := s.DB(ctx).Table("enterprise_claims AS c").Joins("JOIN users u ON u.id = c.user_id").
		Where("c.enterprise_id = ? AND c.mobile = ? AND c.status = ? AND c.contact_checked = ?", entID, mobile, ClaimApproved, true).
		Where("u.enterprise_id = ? AND u.enterprise_verified = ? AND u.disabled = ?", entID, true, false).
		Count(&n).Error
	return n > 0, mapErr("login mobile", err)
}

// CallCounts counts the orders operator userID took by phone: since the given time (its day), and
// those still open (neither closed nor bounced back to the queue's liaisons).
func (s *Store) CallCounts(ctx context.Context, userID uint, since time.Time) (taken, open int64, err error) {
	var row struct{ Taken, Open int64 }
	// The source as a literal, for the partial index of phone orders (migration 0042).
	err = s.DB(ctx).Model(&WorkOrder{}).
		Select("COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) AS taken, COALESCE(SUM(CASE WHEN status NOT IN ('closed', 'returned') THEN 1 ELSE 0 END), 0) AS open", since.UTC()).
		Where("source = 'phone' AND filed_by_user_id = ?", userID).Scan(&row).Error
	return row.Taken, row.Open, mapErr("call counts", err)
}
