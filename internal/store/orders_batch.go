package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/clause"

	"qijian/internal/account"
)

// The batch writes below serve group commit: concurrent filings share one transaction and write
// each table in one statement, so a busy minute costs a few round trips per batch instead of a
// dozen per filing.

// EnterprisesByID reads many enterprises in one query, keyed by id; unknown ids are absent.
func (s *Store) EnterprisesByID(ctx context.Context, ids []uint) (map[uint]*account.Enterprise, error) {
	out := make(map[uint]*account.Enterprise, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []account.Enterprise
	if err := s.DB(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, mapErr("enterprises", err)
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// IDWant asks ReserveIDs for n new ids of a table.
type IDWant struct {
	Table string // work_orders or order_deadlines
	N     int
}

// reservable are the tables whose ids may be taken ahead of their rows.
var reservable = map[string]bool{"work_orders": true, "order_deadlines": true}

// ReserveIDs takes new ids, ascending, for rows the caller then inserts in the same
// transaction (with QueueInsert). Knowing the ids first lets a row be written once, number
// included, and rows that point at each other be written together. On PostgreSQL they come
// from a pool this process refills from the sequences a few hundred at a time (idPool); on
// SQLite the transaction already holds the write lock (it begins immediate), so the ids after
// the highest ever used are this transaction's alone.
func (s *Store) ReserveIDs(ctx context.Context, want ...IDWant) ([][]uint64, error) {
	for _, w := range want {
		if !reservable[w.Table] {
			return nil, fmt.Errorf("store: reserve ids: table %q", w.Table)
		}
	}
	if s.Dialect == "postgres" {
		return s.ids.take(ctx, s, want)
	}
	out := make([][]uint64, len(want))
	buf, ok := ctx.Value(outboxKey{}).(*txBuffer)
	if !ok {
		return nil, fmt.Errorf("store: reserve ids: needs a transaction")
	}
	if buf.reserved == nil {
		buf.reserved = map[string]uint64{}
	}
	for i, w := range want {
		top := buf.reserved[w.Table] // ids this transaction took before, not yet inserted
		// AUTOINCREMENT never reuses an id, so the sequence row counts as well as the rows left.
		var used uint64
		err := s.DB(ctx).Raw(fmt.Sprintf(`SELECT MAX(x) FROM (SELECT COALESCE(MAX(id), 0) AS x FROM %s
			UNION ALL SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = '%s')`, w.Table, w.Table)).Scan(&used).Error
		if err != nil {
			return nil, mapErr("reserve ids", err)
		}
		top = max(top, used)
		for j := range w.N {
			out[i] = append(out[i], top+uint64(j)+1)
		}
		buf.reserved[w.Table] = top + uint64(w.N)
	}
	return out, nil
}

// idSequence is the sequence that numbers table's ids (PostgreSQL), looked up once.
func (s *Store) idSequence(ctx context.Context, table string) (string, error) {
	if seq, ok := s.sequences.Load(table); ok {
		return seq.(string), nil
	}
	var seq string
	if err := s.dbOutsideTx(ctx).Raw("SELECT pg_get_serial_sequence(?, 'id')", table).Row().Scan(&seq); err != nil {
		return "", mapErr("reserve ids: sequence", err)
	}
	s.sequences.Store(table, seq)
	return seq, nil
}

// idPoolSize is how many ids a refill takes ahead for a table (PostgreSQL).
const idPoolSize = 256

// idPool hands out ids taken from the tables' sequences ahead of need, so that most batches
// cost no query for them. Ids left when the process ends are never used: a gap in the order
// numbers, as a rolled-back nextval leaves. Two processes' orders interleave in blocks.
type idPool struct {
	mu  sync.Mutex
	ids map[string][]uint64 // per table, ascending
}

func (p *idPool) take(ctx context.Context, s *Store, want []IDWant) ([][]uint64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ids == nil {
		p.ids = map[string][]uint64{}
	}
	var refill []IDWant
	for _, w := range want {
		if short := w.N - len(p.ids[w.Table]); short > 0 {
			refill = append(refill, IDWant{Table: w.Table, N: max(short, idPoolSize)})
		}
	}
	if len(refill) > 0 {
		got, err := s.nextIDs(ctx, refill)
		if err != nil {
			return nil, err
		}
		for i, w := range refill {
			p.ids[w.Table] = append(p.ids[w.Table], got[i]...) // sequences only grow: still ascending
		}
	}
	out := make([][]uint64, len(want))
	for i, w := range want {
		out[i] = slices.Clone(p.ids[w.Table][:w.N])
		p.ids[w.Table] = p.ids[w.Table][w.N:]
	}
	return out, nil
}

// nextIDs takes new ids from the tables' sequences, ascending, in one query.
func (s *Store) nextIDs(ctx context.Context, want []IDWant) ([][]uint64, error) {
	out := make([][]uint64, len(want))
	cols := make([]string, len(want))
	for i, w := range want {
		seq, err := s.idSequence(ctx, w.Table)
		if err != nil {
			return nil, err
		}
		// The sequence and the count as constants: with the count a parameter, PostgreSQL
		// planned the query anew each time (a custom plan per count looked cheaper than the
		// generic one); as constants the plan of each shape is kept, and nextval needs no
		// lookup per id.
		cols[i] = fmt.Sprintf("(SELECT COALESCE(string_agg(nextval('%s'::regclass)::text, ','), '') FROM generate_series(1, %d))", strings.ReplaceAll(seq, "'", "''"), w.N)
	}
	lists := make([]string, len(want))
	dest := make([]any, len(want))
	for i := range lists {
		dest[i] = &lists[i]
	}
	// nextval is not undone by a rollback: no need to begin a lazy transaction for it.
	if err := s.dbOutsideTx(ctx).Raw("SELECT " + strings.Join(cols, ", ")).Row().Scan(dest...); err != nil {
		return nil, mapErr("reserve ids", err)
	}
	for i, l := range lists {
		for _, f := range strings.Split(l, ",") {
			if f == "" {
				continue
			}
			id, err := strconv.ParseUint(f, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("store: reserve ids: %w", err)
			}
			out[i] = append(out[i], id)
		}
		slices.Sort(out[i])
	}
	return out, nil
}

// OrderNumber is an order's public number: QJ, the year it was filed, and its id.
func OrderNumber(year int, id uint64) string { return fmt.Sprintf("QJ%d%07d", year, id) }

// IdemKey is one use of an Idempotency-Key: the user's key, the order it is to stand for and
// the hash of the filing it came with.
type IdemKey struct {
	UserID  uint
	Key     string
	OrderID uint64
	Hash    string
}

// IdemUse is what a key stands for: the order its first use made and the hash of that filing
// ("" for a key used before hashes were kept).
type IdemUse struct {
	OrderID uint64
	Hash    string
}

// ClaimIdempotencyKeysLater records the keys with ctx's transaction's buffered rows (see
// QueueInsert), so that they cost no statement of their own: in a batch whose other rows are all
// buffered too, the claim and the writes go as one INSERT. It is for keys expected to be new. If
// any was used before, the commit fails with ErrConflict and nothing is written; the caller then
// claims them with ClaimIdempotencyKeys to learn which order each stands for. A concurrent first
// use of the same key waits for the other transaction, so at most one of them commits.
func (s *Store) ClaimIdempotencyKeysLater(ctx context.Context, keys []IdemKey, at time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	return s.QueueInsert(ctx, idempotencyRows(keys, at))
}

// idempotencyRows are the rows of keys, in a fixed order, so that two batches that share keys
// take their locks in the same order and cannot deadlock.
func idempotencyRows(keys []IdemKey, at time.Time) []idempotencyKey {
	rows := make([]idempotencyKey, len(keys))
	for i, k := range keys {
		rows[i] = idempotencyKey{UserID: k.UserID, Key: k.Key, OrderID: k.OrderID, RequestHash: k.Hash, CreatedAt: at}
	}
	slices.SortFunc(rows, func(a, b idempotencyKey) int {
		if a.UserID != b.UserID {
			return cmp.Compare(a.UserID, b.UserID)
		}
		return strings.Compare(a.Key, b.Key)
	})
	return rows
}

// ClaimIdempotencyKeys records many keys in ctx's transaction in one statement and tells, per
// key, the order it stands for: the given one when this claim won, or the earlier order's when
// the key was used before. A concurrent first use of the same key waits for the other
// transaction, so exactly one claim wins. Keys are claimed in a fixed order, so two batches
// that share keys cannot deadlock.
func (s *Store) ClaimIdempotencyKeys(ctx context.Context, keys []IdemKey, at time.Time) (map[IdemKey]IdemUse, error) {
	out := make(map[IdemKey]IdemUse, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	rows := idempotencyRows(keys, at)
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
	if res.Error != nil {
		return nil, mapErr("idempotency keys", res.Error)
	}
	if int(res.RowsAffected) == len(keys) {
		for _, k := range keys {
			out[k] = IdemUse{OrderID: k.OrderID, Hash: k.Hash}
		}
		return out, nil
	}
	// Some keys were taken: read back what each key stands for now.
	var have []idempotencyKey
	q := s.DB(ctx)
	for i, k := range keys {
		cond := s.DB(ctx).Where("user_id = ? AND key = ?", k.UserID, k.Key)
		if i == 0 {
			q = q.Where(cond)
		} else {
			q = q.Or(cond)
		}
	}
	if err := q.Find(&have).Error; err != nil {
		return nil, mapErr("idempotency keys", err)
	}
	type uk struct {
		user uint
		key  string
	}
	stands := make(map[uk]IdemUse, len(have))
	for _, h := range have {
		stands[uk{h.UserID, h.Key}] = IdemUse{OrderID: h.OrderID, Hash: h.RequestHash}
	}
	for _, k := range keys {
		use, ok := stands[uk{k.UserID, k.Key}]
		if !ok {
			return nil, fmt.Errorf("store: idempotency key of user %d vanished", k.UserID)
		}
		out[k] = use
	}
	return out, nil
}
