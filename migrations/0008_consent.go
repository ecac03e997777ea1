package migrations

import (
	"time"

	"gorm.io/gorm"
)

// up0008 records, per order an observation point files, that the member enterprise consented.
func up0008(tx *gorm.DB) error {
	type workOrder struct {
		ConsentAt *time.Time
	}
	return tx.Table("work_orders").Migrator().AddColumn(&workOrder{}, "ConsentAt")
}
