package migrations

import "gorm.io/gorm"

// up0018 trims the index entries every submission pays for, keeping what each query uses:
//   - drops the outbox's (done_at, relayed_at, run_at), which the partial indexes of 0016
//     replaced for the relay and the sweep;
//   - drops work_orders (unit_body_id), which idx_wo_unit_due (unit_body_id, next_due_at, id)
//     already leads with;
//   - makes the indexes of columns a new row leaves NULL partial (an order's observer and
//     assignee, an in-app message's outbox row): a lookup by value still uses them, and the
//     outbox id stays unique where it is set.
func up0018(tx *gorm.DB) error {
	return execAll(tx,
		"DROP INDEX IF EXISTS idx_outbox_pending",
		"DROP INDEX IF EXISTS idx_work_orders_unit_body_id",
		"DROP INDEX IF EXISTS idx_work_orders_observer_id",
		"CREATE INDEX idx_work_orders_observer_id ON work_orders (observer_id) WHERE observer_id IS NOT NULL",
		"DROP INDEX IF EXISTS idx_work_orders_assignee_id",
		"CREATE INDEX idx_work_orders_assignee_id ON work_orders (assignee_id) WHERE assignee_id IS NOT NULL",
		"DROP INDEX IF EXISTS idx_notifications_outbox_id",
		"CREATE UNIQUE INDEX idx_notifications_outbox_id ON notifications (outbox_id) WHERE outbox_id IS NOT NULL",
	)
}
