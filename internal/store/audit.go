package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm/clause"

	"qijian/internal/audit"
	"qijian/internal/store/pgbulk"
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

// auditPending is an event waiting to be chained.
type auditPending struct {
	ID uint64 `gorm:"primaryKey"`
	audit.Event
}

func (auditPending) TableName() string { return "audit_pending" }

// QueueAudit records e inside ctx's transaction (it opens one if needed), so the event commits
// or vanishes with the change it describes. It goes to audit_pending; ChainAudit links it into
// the hash chain shortly after. Appenders take no shared lock, so audited writes run in parallel.
func (s *Store) QueueAudit(ctx context.Context, e audit.Event) error {
	e.At = e.At.UTC().Truncate(time.Microsecond)
	p := auditPending{Event: e}
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
			// Taken and removed in one statement: under the head's lock no other chainer takes
			// them, and a rollback puts them back. The text is fixed, so PostgreSQL keeps its plan.
			var pend []auditPending
			if err := s.DB(ctx).Raw(`DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending ORDER BY id LIMIT ?) RETURNING *`, chainBatch).Scan(&pend).Error; err != nil {
				return mapErr("audit pending", err)
			}
			if len(pend) == 0 {
				return nil
			}
			slices.SortFunc(pend, func(a, b auditPending) int { return cmp.Compare(a.ID, b.ID) })
			rows := make([]auditRow, len(pend))
			for i, p := range pend {
				ev := p.Event
				ev.At = ev.At.UTC().Truncate(time.Microsecond)
				e := audit.Entry{ID: head.LastID + 1, Event: ev, PrevHash: head.Hash}
				e.Hash = audit.Sum(head.Hash, e)
				head.LastID, head.Hash = e.ID, e.Hash
				rows[i] = auditRow{e}
			}
			// One INSERT for the batch, prepared once (see insertTables).
			if err := s.insertTables(ctx, s.DB(ctx), []pgbulk.Table{{Schema: s.schemaOf(auditRowType), Rows: rows}}); err != nil {
				return fmt.Errorf("chain audit: %w", err)
			}
			n = len(pend)
			return mapErr("audit head", s.DB(ctx).Model(&auditHead{}).Where("id = 1").Updates(map[string]any{"last_id": head.LastID, "hash": head.Hash}).Error)
		})
		total += n
		if err != nil || n < chainBatch {
			return total, err
		}
	}
}

// vacuumPendingEvery is how many chained events (dead rows of audit_pending) the chainer lets
// pass between its vacuums of that table.
const vacuumPendingEvery = 10000

// chainBatch bounds the events one chain transaction takes.
const chainBatch = 1000

// chainCoalesce is how long the chainer waits after a kick, so that the commits of that moment
// chain in one transaction: kicked after every commit, a busy portal chained a handful of events
// at a time, a transaction (and a WAL flush) for each, which cost as much as the writes it chained.
const chainCoalesce = 100 * time.Millisecond

// RunAuditChainer chains pending audit events until ctx ends: shortly after a commit in this
// process, and every interval for events written by other processes.
func (s *Store) RunAuditChainer(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	sinceVacuum := 0
	for {
		n, err := s.ChainAudit(ctx)
		if err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
		if sinceVacuum += n; sinceVacuum >= vacuumPendingEvery && s.Dialect == "postgres" {
			// Every chained event leaves a dead row in audit_pending, and each chain transaction
			// walks past them in id order until a vacuum clears them. Autovacuum comes at most
			// once a minute and waits behind big tables: at a few thousand filings a second the
			// small table grew to tens of megabytes and each chain took milliseconds. No truncation:
			// it needs the table's exclusive lock, which waits for (and then blocks) the filings
			// that insert here; the space is reused instead.
			sinceVacuum = 0
			if err := s.db.WithContext(ctx).Exec("VACUUM (TRUNCATE false) audit_pending").Error; err != nil && ctx.Err() == nil && onErr != nil {
				onErr(fmt.Errorf("store: vacuum audit_pending: %w", err))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.auditKick:
			select {
			case <-ctx.Done():
				return
			case <-time.After(chainCoalesce):
			}
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
