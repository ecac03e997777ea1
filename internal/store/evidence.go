package store

import (
	"context"
	"time"
)

// Evidence is a file attached to an order. No file name is kept: names often carry the
// reporter's identity, and the content is addressed by its hash.
type Evidence struct {
	ID          uint64 `gorm:"primaryKey"`
	OrderID     uint64
	UploadedBy  uint
	ContentType string
	Size        int64
	SHA256      string `gorm:"column:sha256"`
	Clean       bool   // rebuilt without metadata when stored (every upload since migration 0028)
	CreatedAt   time.Time
}

// TableName maps the row to its table.
func (Evidence) TableName() string { return "evidence" }

// AddEvidence records a stored file.
func (s *Store) AddEvidence(ctx context.Context, e *Evidence) error {
	return mapErr("add evidence", s.DB(ctx).Create(e).Error)
}

// OrderEvidence lists an order's files.
func (s *Store) OrderEvidence(ctx context.Context, orderID uint64) ([]Evidence, error) {
	var out []Evidence
	err := s.DB(ctx).Where("order_id = ?", orderID).Order("id").Find(&out).Error
	return out, mapErr("order evidence", err)
}

// EvidenceOf reads one file of one order (both ids must match).
func (s *Store) EvidenceOf(ctx context.Context, orderID, id uint64) (*Evidence, error) {
	var e Evidence
	err := s.DB(ctx).Where("order_id = ? AND id = ?", orderID, id).First(&e).Error
	return &e, mapErr("evidence", err)
}

// CountEvidence counts an order's files.
func (s *Store) CountEvidence(ctx context.Context, orderID uint64) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&Evidence{}).Where("order_id = ?", orderID).Count(&n).Error
	return n, mapErr("count evidence", err)
}
