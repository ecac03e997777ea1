package migrations

import "gorm.io/gorm"

// up0006 lets the liaison queue (nearest deadline first) read an index in order instead of
// sorting every order in scope.
func up0006(tx *gorm.DB) error {
	return execAll(tx,
		"CREATE INDEX idx_wo_county_due ON work_orders (county_code, next_due_at, id)",
		"CREATE INDEX idx_wo_due ON work_orders (next_due_at, id)",
		"CREATE INDEX idx_wo_unit_due ON work_orders (unit_body_id, next_due_at, id)",
	)
}
