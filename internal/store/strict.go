package store

import (
	"fmt"

	"gorm.io/gorm"
)

// SetStrict turns strict mode on or off; testkit turns it on for every test store, production
// leaves it off. In strict mode a gorm query, update or delete of a table, inside a transaction
// that has rows buffered for that table (QueueInsert, QueueOutbox, QueueAudit,
// QueueNotification), fails naming the table: those rows reach it only as the transaction
// commits, so the statement would silently miss them. Raw SQL is not checked (its tables are
// not known to gorm).
func (s *Store) SetStrict(on bool) { s.strict.Store(on) }

// StrictViolations returns, and forgets, the strict-mode failures so far, including those whose
// error a caller dropped: testkit fails the test for any left at its end.
func (s *Store) StrictViolations() []error {
	s.strictMu.Lock()
	defer s.strictMu.Unlock()
	out := s.strictErrs
	s.strictErrs = nil
	return out
}

// watchBufferedReads registers strict mode's check before gorm's query, row, update and delete.
func (s *Store) watchBufferedReads() error {
	check := func(db *gorm.DB) {
		if !s.strict.Load() {
			return
		}
		st := db.Statement
		if st.Table == "" || st.SQL.Len() > 0 { // raw SQL is written before the callbacks run
			return
		}
		buf, ok := st.Context.Value(outboxKey{}).(*txBuffer)
		if !ok || !buf.holds(st.Table) {
			return
		}
		err := fmt.Errorf("store: strict mode: %s is read or changed in the transaction that buffered rows for it, which reach it only at commit", st.Table)
		s.strictMu.Lock()
		s.strictErrs = append(s.strictErrs, err)
		s.strictMu.Unlock()
		_ = db.AddError(err)
	}
	cb := s.db.Callback()
	for _, err := range []error{
		cb.Query().Before("gorm:query").Register("qijian:strict", check),
		cb.Row().Before("gorm:row").Register("qijian:strict", check),
		cb.Update().Before("gorm:update").Register("qijian:strict", check),
		cb.Delete().Before("gorm:delete").Register("qijian:strict", check),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
