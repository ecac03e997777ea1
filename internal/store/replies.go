package store

import (
	"context"
	"time"
)

// ReplyTemplate is an admin's reply template (答复模板) for one matter type, in Chinese and
// English; a retired one is offered no more.
type ReplyTemplate struct {
	ID        uint `gorm:"primaryKey"`
	Type      string
	TitleZh   string
	TitleEn   string
	BodyZh    string
	BodyEn    string
	RetiredAt *time.Time
	CreatedBy uint
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName maps the row to its table.
func (ReplyTemplate) TableName() string { return "reply_templates" }

// ReplyTemplates lists the templates, of one type if typ is not empty, retired ones too if all.
func (s *Store) ReplyTemplates(ctx context.Context, typ string, all bool) ([]ReplyTemplate, error) {
	q := s.DB(ctx).Order("type").Order("id")
	if typ != "" {
		q = q.Where("type = ?", typ)
	}
	if !all {
		q = q.Where("retired_at IS NULL")
	}
	var out []ReplyTemplate
	return out, mapErr("reply templates", q.Find(&out).Error)
}

// ReplyTemplate reads one template.
func (s *Store) ReplyTemplate(ctx context.Context, id uint) (*ReplyTemplate, error) {
	var t ReplyTemplate
	err := s.DB(ctx).Where("id = ?", id).First(&t).Error
	return &t, mapErr("reply template", err)
}

// SaveReplyTemplate adds or changes a template.
func (s *Store) SaveReplyTemplate(ctx context.Context, t *ReplyTemplate) error {
	return mapErr("save reply template", s.DB(ctx).Save(t).Error)
}

// OrderNote is a handler's internal note on an order, apart from its timeline.
type OrderNote struct {
	ID        uint64 `gorm:"primaryKey"`
	OrderID   uint64
	At        time.Time
	ActorID   uint
	ActorRole string
	Note      string
}

// TableName maps the row to its table.
func (OrderNote) TableName() string { return "order_notes" }

// AddOrderNote records a note.
func (s *Store) AddOrderNote(ctx context.Context, n *OrderNote) error {
	return mapErr("add order note", s.DB(ctx).Create(n).Error)
}

// OrderNotes lists an order's notes, oldest first.
func (s *Store) OrderNotes(ctx context.Context, orderID uint64) ([]OrderNote, error) {
	var out []OrderNote
	err := s.DB(ctx).Where("order_id = ?", orderID).Order("id").Find(&out).Error
	return out, mapErr("order notes", err)
}

// ReplyFile is a file attached to a reply; EventID is the reply's timeline event, nil while the
// file waits for the reply it goes with.
type ReplyFile struct {
	ID          uint64 `gorm:"primaryKey"`
	OrderID     uint64
	EventID     *uint64
	UnitID      uint // the unit handling the order when it was uploaded (0: none)
	UploadedBy  uint
	ContentType string
	Size        int64
	SHA256      string `gorm:"column:sha256"`
	CreatedAt   time.Time
}

// TableName maps the row to its table.
func (ReplyFile) TableName() string { return "reply_files" }

// AddReplyFile records a stored file.
func (s *Store) AddReplyFile(ctx context.Context, f *ReplyFile) error {
	return mapErr("add reply file", s.DB(ctx).Create(f).Error)
}

// OrderReplyFiles lists an order's reply files, pending ones too.
func (s *Store) OrderReplyFiles(ctx context.Context, orderID uint64) ([]ReplyFile, error) {
	var out []ReplyFile
	err := s.DB(ctx).Where("order_id = ?", orderID).Order("id").Find(&out).Error
	return out, mapErr("order reply files", err)
}

// ReplyFileOf reads one reply file of one order (both ids must match).
func (s *Store) ReplyFileOf(ctx context.Context, orderID, id uint64) (*ReplyFile, error) {
	var f ReplyFile
	err := s.DB(ctx).Where("order_id = ? AND id = ?", orderID, id).First(&f).Error
	return &f, mapErr("reply file", err)
}

// CountPendingReplyFiles counts an order's files waiting for the reply of unit (0: none).
func (s *Store) CountPendingReplyFiles(ctx context.Context, orderID uint64, unit uint) (int64, error) {
	var n int64
	err := s.DB(ctx).Model(&ReplyFile{}).Where("order_id = ? AND unit_id = ? AND event_id IS NULL", orderID, unit).Count(&n).Error
	return n, mapErr("count reply files", err)
}

// LinkReplyFiles gives an order's files waiting for unit's reply (0: none) to that reply's event.
func (s *Store) LinkReplyFiles(ctx context.Context, orderID uint64, unit uint, eventID uint64) error {
	err := s.DB(ctx).Model(&ReplyFile{}).Where("order_id = ? AND unit_id = ? AND event_id IS NULL", orderID, unit).Update("event_id", eventID).Error
	return mapErr("link reply files", err)
}
