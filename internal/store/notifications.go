package store

import (
	"context"
	"time"
)

// Notification is a message in a user's in-app inbox.
type Notification struct {
	ID        uint64 `gorm:"primaryKey"`
	UserID    uint
	Kind      string
	Title     string
	Body      string
	Link      string
	OutboxID  *uint64
	CreatedAt time.Time
	ReadAt    *time.Time
}

// QueueNotification stores n in ctx's transaction; inside one it is written, with the others,
// in one statement just before the commit.
func (s *Store) QueueNotification(ctx context.Context, n Notification) error {
	if buf, ok := ctx.Value(outboxKey{}).(*txBuffer); ok {
		buf.notes = append(buf.notes, n)
		return nil
	}
	return mapErr("create notification", s.DB(ctx).Create(&n).Error)
}

// CreateNotification stores n; a second one from the same outbox row is ErrConflict.
func (s *Store) CreateNotification(ctx context.Context, n *Notification) error {
	return mapErr("create notification", s.DB(ctx).Create(n).Error)
}

// Notifications lists a user's inbox, newest first.
func (s *Store) Notifications(ctx context.Context, userID uint, limit int) ([]Notification, error) {
	var out []Notification
	err := s.DB(ctx).Where("user_id = ?", userID).Order("id desc").Limit(limit).Find(&out).Error
	return out, mapErr("notifications", err)
}

// UnreadCount counts a user's unread messages.
func (s *Store) UnreadCount(ctx context.Context, userID uint) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, mapErr("unread count", err)
}

// OpenNotification marks one of a user's messages read and returns it; another user's id is
// ErrNotFound.
func (s *Store) OpenNotification(ctx context.Context, userID uint, id uint64, at time.Time) (Notification, error) {
	var n Notification
	if err := s.DB(ctx).Where("id = ? AND user_id = ?", id, userID).First(&n).Error; err != nil {
		return n, mapErr("open notification", err)
	}
	if n.ReadAt == nil {
		if err := s.DB(ctx).Model(&Notification{}).Where("id = ? AND read_at IS NULL", id).Update("read_at", at).Error; err != nil {
			return n, mapErr("open notification", err)
		}
		n.ReadAt = &at
	}
	return n, nil
}

// MarkAllRead marks a user's inbox read.
func (s *Store) MarkAllRead(ctx context.Context, userID uint, at time.Time) error {
	return mapErr("mark read", s.DB(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Update("read_at", at).Error)
}
