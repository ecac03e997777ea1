package store

import (
	"time"

	"context"

	"gorm.io/gorm/clause"

	"qijian/internal/audit"
)

type auditRow struct {
	audit.Entry
}

func (auditRow) TableName() string { return "audit_events" }

type auditHead struct {
	ID     int `gorm:"primaryKey"`
	LastID uint64
	Hash   string
}

func (auditHead) TableName() string { return "audit_head" }

// AppendAudit adds e to the chain inside ctx's transaction (it opens one if needed). The head row
// is locked, so concurrent appenders queue and the chain stays linear.
func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) error {
	return s.WithTx(ctx, func(ctx context.Context) error {
		var head auditHead
		q := s.DB(ctx)
		if s.Dialect == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.First(&head, 1).Error; err != nil {
			return mapErr("audit head", err)
		}
		e.ID = head.LastID + 1
		e.At = e.At.UTC().Truncate(time.Microsecond)
		e.PrevHash = head.Hash
		e.Hash = audit.Sum(head.Hash, e)
		if err := s.DB(ctx).Create(&auditRow{e}).Error; err != nil {
			return mapErr("append audit", err)
		}
		return mapErr("audit head", s.DB(ctx).Model(&auditHead{}).Where("id = 1").Updates(map[string]any{"last_id": e.ID, "hash": e.Hash}).Error)
	})
}

// VerifyAudit walks the whole chain a page at a time and returns the first broken entry's id,
// or 0, and how many entries it checked. It also checks that the head matches the last row.
func (s *Store) VerifyAudit(ctx context.Context) (badID uint64, checked int, err error) {
	prev := audit.Genesis
	var after uint64
	for {
		var rows []auditRow
		if err := s.DB(ctx).Where("id > ?", after).Order("id").Limit(1000).Find(&rows).Error; err != nil {
			return 0, checked, mapErr("verify audit", err)
		}
		if len(rows) == 0 {
			break
		}
		entries := make([]audit.Entry, len(rows))
		for i, r := range rows {
			entries[i] = r.Entry
			if r.ID != after+uint64(i)+1 {
				return after + uint64(i) + 1, checked, nil // a deleted row
			}
		}
		bad, last := audit.Verify(prev, entries)
		if bad != 0 {
			return bad, checked, nil
		}
		checked += len(rows)
		prev, after = last, rows[len(rows)-1].ID
	}
	var head auditHead
	if err := s.DB(ctx).First(&head, 1).Error; err != nil {
		return 0, checked, mapErr("verify audit head", err)
	}
	if head.LastID != after || head.Hash != prev {
		return after + 1, checked, nil // rows removed from the end
	}
	return 0, checked, nil
}
