package store

import (
	"context"
	"errors"
	"slices"
	"time"
)

// NotificationPrefs is how a person wants to be told, beyond the inbox that always gets a copy.
type NotificationPrefs struct {
	UserID  uint `gorm:"primaryKey;autoIncrement:false"`
	Lang    string
	Mobile  string
	Email   string
	SMS     bool `gorm:"column:sms"`
	EmailOn bool
	// Muted are the kind groups the person does not want by SMS or email, sorted; they are rows
	// of notification_mutes.
	Muted     []string `gorm:"-"`
	UpdatedAt time.Time
}

// TableName maps the row to its table.
func (NotificationPrefs) TableName() string { return "notification_prefs" }

// MutedGroups lists the kind groups the person does not want by SMS or email.
func (p NotificationPrefs) MutedGroups() []string { return p.Muted }

// notificationMute is one muted kind group of a person.
type notificationMute struct {
	UserID    uint   `gorm:"primaryKey;autoIncrement:false"`
	KindGroup string `gorm:"primaryKey"`
}

func (notificationMute) TableName() string { return "notification_mutes" }

// Prefs reads a user's preferences with their mutes; someone who never set any gets the
// defaults: Chinese, inbox only.
func (s *Store) Prefs(ctx context.Context, userID uint) (*NotificationPrefs, error) {
	var p NotificationPrefs
	err := s.DB(ctx).Where("user_id = ?", userID).First(&p).Error
	if err = mapErr("prefs", err); errors.Is(err, ErrNotFound) {
		return &NotificationPrefs{UserID: userID, Lang: "zh"}, nil
	}
	if err != nil {
		return nil, err
	}
	err = s.DB(ctx).Model(&notificationMute{}).Where("user_id = ?", userID).Order("kind_group").Pluck("kind_group", &p.Muted).Error
	return &p, mapErr("prefs mutes", err)
}

// SavePrefs writes a user's preferences whole, mutes included, in one transaction.
func (s *Store) SavePrefs(ctx context.Context, p *NotificationPrefs) error {
	groups := slices.Clone(p.Muted)
	slices.Sort(groups)
	groups = slices.Compact(groups)
	return s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.DB(ctx).Save(p).Error; err != nil {
			return mapErr("save prefs", err)
		}
		if err := s.DB(ctx).Where("user_id = ?", p.UserID).Delete(&notificationMute{}).Error; err != nil {
			return mapErr("save prefs mutes", err)
		}
		if len(groups) > 0 {
			rows := make([]notificationMute, len(groups))
			for i, g := range groups {
				rows[i] = notificationMute{UserID: p.UserID, KindGroup: g}
			}
			if err := s.DB(ctx).Create(&rows).Error; err != nil {
				return mapErr("save prefs mutes", err)
			}
		}
		p.Muted = groups
		return nil
	})
}

// WantsOutside tells whether a user has SMS or email turned on with somewhere to send it. Most
// people have neither, and their messages can go straight to the inbox. Another process's edit
// of the preferences is seen within the table cache's lifetime.
func (s *Store) WantsOutside(ctx context.Context, userID uint) (bool, error) {
	set, err := cachedRead(ctx, s, "outside_recipients", func(ctx context.Context) (map[uint]bool, error) {
		var ids []uint
		err := s.DB(ctx).Model(&NotificationPrefs{}).Where("(sms AND mobile <> '') OR (email_on AND email <> '')").Pluck("user_id", &ids).Error
		set := make(map[uint]bool, len(ids))
		for _, id := range ids {
			set[id] = true
		}
		return set, mapErr("outside recipients", err)
	})
	return set[userID], err
}

// Delivery is one message on one outside channel (SMS or email).
type Delivery struct {
	ID        uint64 `gorm:"primaryKey"`
	SourceID  uint64
	Channel   string
	UserID    uint
	Kind      string
	Recipient string
	Subject   string
	Body      string
	Status    string
	Via       string
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
}

// TableName maps the row to its table.
func (Delivery) TableName() string { return "message_deliveries" }

// Delivery statuses. A delivery that was being sent when its process died stays "sending": it is
// never sent again, because a person told twice is worse than an admin seeing one to check.
const (
	DeliveryQueued  = "queued"
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// CreateDelivery stores d; a second one for the same source and channel is ErrConflict.
func (s *Store) CreateDelivery(ctx context.Context, d *Delivery) error {
	return mapErr("create delivery", s.DB(ctx).Create(d).Error)
}

// ClaimDelivery moves a queued (or failed, for a retry) delivery to sending, and answers false
// when someone else already has it.
func (s *Store) ClaimDelivery(ctx context.Context, id uint64) (*Delivery, bool, error) {
	res := s.DB(ctx).Model(&Delivery{}).Where("id = ? AND status IN ?", id, []string{DeliveryQueued, DeliveryFailed}).
		Updates(map[string]any{"status": DeliverySending, "attempts": gormExpr("attempts + 1")})
	if res.Error != nil {
		return nil, false, mapErr("claim delivery", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, false, nil
	}
	var d Delivery
	err := s.DB(ctx).First(&d, id).Error
	return &d, err == nil, mapErr("claim delivery", err)
}

// FinishDelivery records how sending went.
func (s *Store) FinishDelivery(ctx context.Context, id uint64, via string, sendErr error, at time.Time) error {
	up := map[string]any{"via": via, "status": DeliverySent, "sent_at": at, "last_error": ""}
	if sendErr != nil {
		msg := sendErr.Error()
		if len(msg) > 300 {
			msg = msg[:300]
		}
		up = map[string]any{"via": via, "status": DeliveryFailed, "last_error": msg}
	}
	return mapErr("finish delivery", s.DB(ctx).Model(&Delivery{}).Where("id = ? AND status = ?", id, DeliverySending).Updates(up).Error)
}

// Delivery reads one delivery, for the admin's audited look at it in full.
func (s *Store) Delivery(ctx context.Context, id uint64) (*Delivery, error) {
	var d Delivery
	err := s.DB(ctx).First(&d, id).Error
	return &d, mapErr("delivery", err)
}

// Deliveries lists the newest deliveries, optionally of one channel, for the admin's outbox page.
func (s *Store) Deliveries(ctx context.Context, channel string, limit int) ([]Delivery, error) {
	var out []Delivery
	q := s.DB(ctx).Order("id desc").Limit(limit)
	if channel != "" {
		q = q.Where("channel = ?", channel)
	}
	err := q.Find(&out).Error
	return out, mapErr("deliveries", err)
}
