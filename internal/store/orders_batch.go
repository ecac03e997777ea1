package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// ReserveOrderIDs takes n new order ids, in ascending order, for rows the caller inserts with
// CreateOrders in the same transaction. Knowing the id first lets an order be written once,
// number included. On SQLite the transaction already holds the write lock (it begins
// immediate), so the next ids after the highest ever used are this transaction's alone.
func (s *Store) ReserveOrderIDs(ctx context.Context, n int) ([]uint64, error) {
	if n <= 0 {
		return nil, nil
	}
	var ids []uint64
	if s.Dialect == "postgres" {
		err := s.DB(ctx).Raw("SELECT nextval(pg_get_serial_sequence('work_orders', 'id')) FROM generate_series(1, ?)", n).Scan(&ids).Error
		if err != nil {
			return nil, mapErr("reserve order ids", err)
		}
		slices.Sort(ids)
		return ids, nil
	}
	if !InTx(ctx) {
		return nil, fmt.Errorf("store: reserve order ids: needs a transaction")
	}
	var top uint64
	// AUTOINCREMENT never reuses an id, so the sequence row counts as well as the rows left.
	err := s.DB(ctx).Raw(`SELECT MAX(x) FROM (SELECT COALESCE(MAX(id), 0) AS x FROM work_orders
		UNION ALL SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'work_orders')`).Scan(&top).Error
	if err != nil {
		return nil, mapErr("reserve order ids", err)
	}
	ids = make([]uint64, n)
	for i := range ids {
		ids[i] = top + uint64(i) + 1
	}
	return ids, nil
}

// OrderNumber is an order's public number: QJ, the year it was filed, and its id.
func OrderNumber(year int, id uint64) string { return fmt.Sprintf("QJ%d%07d", year, id) }

// CreateOrders inserts orders whose ids (from ReserveOrderIDs) and numbers are already set, in
// one statement.
func (s *Store) CreateOrders(ctx context.Context, orders []*WorkOrder) error {
	if len(orders) == 0 {
		return nil
	}
	return mapErr("create orders", s.DB(ctx).CreateInBatches(&orders, 500).Error)
}

// AddOrderEvents appends many timeline lines in one statement.
func (s *Store) AddOrderEvents(ctx context.Context, events []OrderEvent) error {
	if len(events) == 0 {
		return nil
	}
	return mapErr("order events", s.DB(ctx).CreateInBatches(&events, 500).Error)
}

// CreateDeadlines inserts many deadlines in one statement and sets their ids.
func (s *Store) CreateDeadlines(ctx context.Context, ds []Deadline) error {
	if len(ds) == 0 {
		return nil
	}
	return mapErr("create deadlines", s.DB(ctx).CreateInBatches(&ds, 500).Error)
}

// IdemKey is one use of an Idempotency-Key: the user's key and the order it is to stand for.
type IdemKey struct {
	UserID  uint
	Key     string
	OrderID uint64
}

// ClaimIdempotencyKeys records many keys in ctx's transaction in one statement and tells, per
// key, the order it stands for: the given one when this claim won, or the earlier order's when
// the key was used before. A concurrent first use of the same key waits for the other
// transaction, so exactly one claim wins. Keys are claimed in a fixed order, so two batches
// that share keys cannot deadlock.
func (s *Store) ClaimIdempotencyKeys(ctx context.Context, keys []IdemKey, at time.Time) (map[IdemKey]uint64, error) {
	out := make(map[IdemKey]uint64, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	rows := make([]idempotencyKey, len(keys))
	for i, k := range keys {
		rows[i] = idempotencyKey{UserID: k.UserID, Key: k.Key, OrderID: k.OrderID}
	}
	slices.SortFunc(rows, func(a, b idempotencyKey) int {
		if a.UserID != b.UserID {
			return int(a.UserID) - int(b.UserID)
		}
		return strings.Compare(a.Key, b.Key)
	})
	for i := range rows {
		rows[i].CreatedAt = at
	}
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
	if res.Error != nil {
		return nil, mapErr("idempotency keys", res.Error)
	}
	if int(res.RowsAffected) == len(keys) {
		for _, k := range keys {
			out[k] = k.OrderID
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
	stands := make(map[uk]uint64, len(have))
	for _, h := range have {
		stands[uk{h.UserID, h.Key}] = h.OrderID
	}
	for _, k := range keys {
		id, ok := stands[uk{k.UserID, k.Key}]
		if !ok {
			return nil, fmt.Errorf("store: idempotency key of user %d vanished", k.UserID)
		}
		out[k] = id
	}
	return out, nil
}
