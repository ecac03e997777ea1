package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// requestKey is one use of an Idempotency-Key on a create other than a filing (migration 0032).
type requestKey struct {
	UserID      uint   `gorm:"primaryKey;autoIncrement:false"`
	Key         string `gorm:"primaryKey"`
	Scope       string
	RequestHash string
	Ref         uint64
	CreatedAt   time.Time
}

func (requestKey) TableName() string { return "request_keys" }

// RequestKey is a key's use: whose, the key, what it was used for, the hash of its request and
// the row it made (0 until that row exists).
type RequestKey struct {
	UserID uint
	Key    string
	Scope  string
	Hash   string
	Ref    uint64
}

// ClaimRequestKey records k's first use in ctx's transaction and tells whether this claim won.
// When the key was used before it answers that use instead. A concurrent first use of the same
// key waits for the other transaction (PostgreSQL's unique index; SQLite's one writer), so of any
// number of concurrent claims exactly one wins and the others see what it made.
func (s *Store) ClaimRequestKey(ctx context.Context, k RequestKey, at time.Time) (won bool, prior RequestKey, err error) {
	row := requestKey{UserID: k.UserID, Key: k.Key, Scope: k.Scope, RequestHash: k.Hash, CreatedAt: at}
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, RequestKey{}, mapErr("request key", res.Error)
	}
	if res.RowsAffected == 1 {
		return true, RequestKey{}, nil
	}
	var have requestKey
	if err := s.DB(ctx).Where("user_id = ? AND key = ?", k.UserID, k.Key).Take(&have).Error; err != nil {
		return false, RequestKey{}, mapErr("request key", err)
	}
	return false, RequestKey{UserID: have.UserID, Key: have.Key, Scope: have.Scope, Hash: have.RequestHash, Ref: have.Ref}, nil
}

// LookupRequestKey reads a key's earlier use, if any, without claiming it: a cheap look before
// costly work (decoding an upload) that a repeat would not need.
func (s *Store) LookupRequestKey(ctx context.Context, userID uint, key string) (RequestKey, bool, error) {
	var have []requestKey
	if err := s.DB(ctx).Where("user_id = ? AND key = ?", userID, key).Limit(1).Find(&have).Error; err != nil {
		return RequestKey{}, false, mapErr("request key", err)
	}
	if len(have) == 0 {
		return RequestKey{}, false, nil
	}
	h := have[0]
	return RequestKey{UserID: h.UserID, Key: h.Key, Scope: h.Scope, Hash: h.RequestHash, Ref: h.Ref}, true, nil
}

// BindRequestKey records the row a claimed key's request made.
func (s *Store) BindRequestKey(ctx context.Context, userID uint, key string, ref uint64) error {
	return mapErr("request key", s.DB(ctx).Model(&requestKey{}).Where("user_id = ? AND key = ?", userID, key).Update("ref", ref).Error)
}
