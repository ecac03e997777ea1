package store

import (
	"fmt"
	"reflect"
	"sync"

	"gorm.io/gorm/schema"

	"qijian/internal/store/pgbulk"
)

// bufferedModels are the models whose rows may wait in a transaction's buffer and reach the
// database only as it commits (see flush): on PostgreSQL through pgbulk's one INSERT, on SQLite
// through gorm's Create. Open checks each with pgbulk.Check, so a model with a gorm tag or hook
// that the INSERT would not honour stops the start, naming the field, instead of being written
// one way on PostgreSQL and another on SQLite; QueueInsert refuses a model not listed here.
// TestBufferedRowsRoundTrip writes a row of every one both ways on the test's database.
var bufferedModels = []any{
	&OutboxRow{},      // QueueOutbox
	&Notification{},   // QueueNotification
	&auditPending{},   // QueueAudit
	&auditRow{},       // ChainAudit's batch
	&WorkOrder{},      // a filing's rows (QueueInsert)
	&OrderReason{},    // a filing's rows (QueueInsert)
	&OrderEvent{},     // a filing's rows (QueueInsert)
	&Deadline{},       // a filing's rows (QueueInsert)
	&idempotencyKey{}, // ClaimIdempotencyKeysLater
}

// bufferedSchemas parses models, keyed by model type, and checks each against what the
// commit-time INSERT writes.
func bufferedSchemas(models []any, cache *sync.Map, namer schema.Namer) (map[reflect.Type]*schema.Schema, error) {
	out := make(map[reflect.Type]*schema.Schema, len(models))
	for _, m := range models {
		sch, err := schema.Parse(m, cache, namer)
		if err != nil {
			return nil, fmt.Errorf("buffered model %T: %w", m, err)
		}
		if err := pgbulk.Check(sch); err != nil {
			return nil, fmt.Errorf("buffered model: %w", err)
		}
		out[sch.ModelType] = sch
	}
	return out, nil
}

// bufferedTable is rows (a slice of a buffered model or of pointers to it, or a pointer to such
// a slice) as a table for the commit-time INSERT, and how many rows it holds.
func (s *Store) bufferedTable(rows any) (pgbulk.Table, int, error) {
	v := reflect.Indirect(reflect.ValueOf(rows))
	if v.Kind() != reflect.Slice {
		return pgbulk.Table{}, 0, fmt.Errorf("store: queue insert: want a slice of rows, got %T", rows)
	}
	t := v.Type().Elem()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	sch, ok := s.buffered[t]
	if !ok {
		return pgbulk.Table{}, 0, fmt.Errorf("store: queue insert: %s is not a buffered model (list it in bufferedModels)", t)
	}
	return pgbulk.Table{Schema: sch, Rows: rows}, v.Len(), nil
}

// schemaOf is the parsed schema of a buffered model type.
func (s *Store) schemaOf(t reflect.Type) *schema.Schema { return s.buffered[t] }

var (
	outboxType       = reflect.TypeFor[OutboxRow]()
	notificationType = reflect.TypeFor[Notification]()
	auditPendingType = reflect.TypeFor[auditPending]()
	auditRowType     = reflect.TypeFor[auditRow]()
)

// outboxKey carries a transaction's *txBuffer in its context (it held only outbox rows once).
type outboxKey struct{}

// txBuffer holds the rows a transaction adds to append-only tables (outbox, inbox, pending
// audit, and QueueInsert's); they are written just before it commits (see flush). A submission
// owes up to a dozen such rows, and one round trip is cheaper than twelve. The three kinds every
// use case writes are kept per kind, so that a transaction's notifications go as one table.
type txBuffer struct {
	outbox []OutboxRow
	notes  []Notification
	audit  []auditPending
	later  []pgbulk.Table // QueueInsert's rows, in order
	// reserved is the highest id ReserveIDs handed out per table (SQLite), as those rows may
	// not be inserted yet
	reserved map[string]uint64
	dirty    map[string]bool // cached tables this transaction edited
}

// tables are the buffer's rows as the commit-time INSERT's tables: QueueInsert's, then the
// outbox, audit and inbox rows.
func (b *txBuffer) tables(s *Store) []pgbulk.Table {
	out := make([]pgbulk.Table, 0, len(b.later)+3)
	out = append(out, b.later...)
	if len(b.outbox) > 0 {
		out = append(out, pgbulk.Table{Schema: s.schemaOf(outboxType), Rows: b.outbox})
	}
	if len(b.audit) > 0 {
		out = append(out, pgbulk.Table{Schema: s.schemaOf(auditPendingType), Rows: b.audit})
	}
	if len(b.notes) > 0 {
		out = append(out, pgbulk.Table{Schema: s.schemaOf(notificationType), Rows: b.notes})
	}
	return out
}

// holds tells whether the buffer has rows for table.
func (b *txBuffer) holds(table string) bool {
	switch {
	case table == "outbox" && len(b.outbox) > 0,
		table == "notifications" && len(b.notes) > 0,
		table == "audit_pending" && len(b.audit) > 0:
		return true
	}
	for _, t := range b.later {
		if t.Schema.Table == table {
			return true
		}
	}
	return false
}
