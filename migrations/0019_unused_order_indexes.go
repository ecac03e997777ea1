package migrations

import "gorm.io/gorm"

// up0019 drops two indexes of work_orders that no query uses, and that every filing paid for:
//   - (type): the lists filter by type only beside a scope (an enterprise, a county, a unit)
//     and read in next_due_at order through that scope's index; a handful of types would not
//     narrow a scan anyway;
//   - (body_id): nothing looks orders up by the body reported (a unit sees the orders
//     dispatched to it, through idx_wo_unit_due).
func up0019(tx *gorm.DB) error {
	return execAll(tx,
		"DROP INDEX IF EXISTS idx_work_orders_type",
		"DROP INDEX IF EXISTS idx_work_orders_body_id",
	)
}
