package migrations

import "gorm.io/gorm"

// up0042 indexes the orders a hotline operator took by phone (source 'phone', filed by the
// operator), in the list's order, so that an operator's list and its home counts read its own
// calls and not the whole table. Partial: web filings and clues carry no entry.
func up0042(tx *gorm.DB) error {
	return execAll(tx,
		"CREATE INDEX idx_wo_phone_taker ON work_orders (filed_by_user_id, next_due_at, id) WHERE source = 'phone'",
	)
}
