package migrations

import "gorm.io/gorm"

// up0018 drops two indexes every submission paid to maintain and no query needs: the outbox's
// (done_at, relayed_at, run_at), which the partial indexes of 0016 replaced for the relay and the
// sweep, and work_orders (unit_body_id), which idx_wo_unit_due (unit_body_id, next_due_at, id)
// already leads with. An outbox row costs one index entry fewer when written, relayed and done.
func up0018(tx *gorm.DB) error {
	for _, q := range []string{
		"DROP INDEX IF EXISTS idx_outbox_pending",
		"DROP INDEX IF EXISTS idx_work_orders_unit_body_id",
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
