package migrations

import "gorm.io/gorm"

// up0020 stops vacuums of audit_pending from truncating it (PostgreSQL). Every audited change
// inserts there and the chainer deletes what it chained, so the table is often empty at its end;
// truncating it needs the table's exclusive lock, which waits for the inserting transactions and
// then holds the next ones back. The chainer's own vacuums say TRUNCATE false; this covers
// autovacuum's. The few pages stay and are reused.
func up0020(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec("ALTER TABLE audit_pending SET (vacuum_truncate = false)").Error
}
