package migrations

import "gorm.io/gorm"

type m0021OrderReason struct {
	OrderID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Reason  string `gorm:"primaryKey;size:20"`
}

func (m0021OrderReason) TableName() string { return "order_reasons" }

// up0021 gives work orders two explicit facts they carried implicitly:
//   - their reasons, a comma-separated list in work_orders.reasons matched with LIKE, become rows
//     of order_reasons (order_id, reason); the column is dropped. The key alone serves both
//     reads: an order's reasons, and the rule filter, which probes (order_id, reason) for each
//     order its scope's index yields, so a filing writes no second index;
//   - who raised them: source is enterprise, observer (an observation point's filing, which has
//     an observer) or system (a clue of the automatic checks, filed by no user, which is how
//     they were told apart so far).
func up0021(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0021OrderReason{}); err != nil {
		return err
	}
	split := `INSERT INTO order_reasons (order_id, reason)
		WITH RECURSIVE parts(id, reason, rest) AS (
			SELECT id, '', reasons || ',' FROM work_orders WHERE reasons <> ''
			UNION ALL
			SELECT id, trim(substr(rest, 1, instr(rest, ',') - 1)), substr(rest, instr(rest, ',') + 1) FROM parts WHERE rest <> ''
		)
		SELECT DISTINCT id, reason FROM parts WHERE reason <> ''`
	if tx.Dialector.Name() == "postgres" {
		split = `INSERT INTO order_reasons (order_id, reason)
		SELECT DISTINCT w.id, trim(r) FROM work_orders w, unnest(string_to_array(w.reasons, ',')) AS r
		WHERE w.reasons <> '' AND trim(r) <> ''`
	}
	return execAll(tx,
		split,
		"ALTER TABLE work_orders DROP COLUMN reasons",
		// Every writer names the source; the default is for rows written by hand (bulk loads),
		// which are enterprises' filings.
		"ALTER TABLE work_orders ADD COLUMN source VARCHAR(12) NOT NULL DEFAULT 'enterprise'",
		"UPDATE work_orders SET source = 'observer' WHERE observer_id IS NOT NULL",
		"UPDATE work_orders SET source = 'system' WHERE filed_by_user_id = 0",
	)
}
