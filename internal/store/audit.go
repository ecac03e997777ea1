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

type auditPending struct {
	ID         uint64 `gorm:"primaryKey"`
	At         time.Time
	ActorID    uint
	ActorRole  string
	Action     string
	ObjectType string
	ObjectID   uint64
	Detail     string
}

func (auditPending) TableName() string { return "audit_pending" }

// AppendAudit records e inside ctx's transaction (it opens one if needed), so the event commits
// or vanishes with the change it describes. It goes to audit_pending; ChainAudit links it into
// the hash chain shortly after. Appenders take no shared lock, so audited writes run in parallel.
func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) error {
	p := auditPending{At: e.At.UTC().Truncate(time.Microsecond), ActorID: e.ActorID, ActorRole: e.ActorRole, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, Detail: e.Detail}
	if buf, ok := ctx.Value(outboxKey{}).(*txBuffer); ok {
		// Written with the transaction's other buffered rows just before it commits.
		buf.audit = append(buf.audit, p)
		AfterCommit(ctx, func(context.Context) { s.KickAuditChain() })
		return nil
	}
	if err := s.DB(ctx).Create(&p).Error; err != nil {
		return mapErr("append audit", err)
	}
	s.KickAuditChain()
	return nil
}

// KickAuditChain wakes RunAuditChainer now instead of at its next tick.
func (s *Store) KickAuditChain() {
	select {
	case s.auditKick <- struct{}{}:
	default:
	}
}

// ChainAudit moves committed pending events onto the chain, oldest first, a batch per
// transaction under the head row's lock, and returns how many it chained. Concurrent chainers
// (several processes) queue on that lock, so the chain stays linear. Pending ids only order the
// batch; the chain assigns its own consecutive ids.
func (s *Store) ChainAudit(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.WithTx(ctx, func(ctx context.Context) error {
			var head auditHead
			q := s.DB(ctx)
			if s.Dialect == "postgres" {
				q = q.Clauses(clause.Locking{Strength: "UPDATE"})
			}
			if err := q.First(&head, 1).Error; err != nil {
				return mapErr("audit head", err)
			}
			var pend []auditPending
			if err := s.DB(ctx).Order("id").Limit(500).Find(&pend).Error; err != nil {
				return mapErr("audit pending", err)
			}
			if len(pend) == 0 {
				return nil
			}
			rows := make([]auditRow, len(pend))
			ids := make([]uint64, len(pend))
			for i, p := range pend {
				e := audit.Entry{ID: head.LastID + 1, At: p.At.UTC().Truncate(time.Microsecond), ActorID: p.ActorID, ActorRole: p.ActorRole,
					Action: p.Action, ObjectType: p.ObjectType, ObjectID: p.ObjectID, Detail: p.Detail, PrevHash: head.Hash}
				e.Hash = audit.Sum(head.Hash, e)
				head.LastID, head.Hash = e.ID, e.Hash
				rows[i], ids[i] = auditRow{e}, p.ID
			}
			if err := s.DB(ctx).CreateInBatches(rows, 100).Error; err != nil {
				return mapErr("chain audit", err)
			}
			if err := s.DB(ctx).Where("id IN ?", ids).Delete(&auditPending{}).Error; err != nil {
				return mapErr("chain audit", err)
			}
			n = len(pend)
			return mapErr("audit head", s.DB(ctx).Model(&auditHead{}).Where("id = 1").Updates(map[string]any{"last_id": head.LastID, "hash": head.Hash}).Error)
		})
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// RunAuditChainer chains pending audit events until ctx ends: when kicked after a commit in this
// process, and every interval for events written by other processes.
func (s *Store) RunAuditChainer(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.ChainAudit(ctx); err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.auditKick:
		}
	}
}

// VerifyAudit chains what is pending, then walks the whole chain a page at a time and returns the first broken entry's id,
// or 0, and how many entries it checked. It also checks that the head matches the last row.
func (s *Store) VerifyAudit(ctx context.Context) (badID uint64, checked int, err error) {
	if _, err := s.ChainAudit(ctx); err != nil {
		return 0, 0, err
	}
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
