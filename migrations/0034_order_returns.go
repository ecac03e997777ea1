package migrations

import "gorm.io/gorm"

// m0034WorkOrder is the orders' new columns for coded bounces (退单): the reason's code, how
// many times units bounced the order, and the unit that bounced it last (a refused bounce sends
// the order back to it).
type m0034WorkOrder struct {
	ID             uint64 `gorm:"primaryKey"`
	ReturnCode     string `gorm:"size:30;not null;default:''"`
	ReturnCount    int    `gorm:"not null;default:0"`
	ReturnedUnitID *uint
}

func (m0034WorkOrder) TableName() string { return "work_orders" }

func up0034(tx *gorm.DB) error {
	for _, c := range []string{"ReturnCode", "ReturnCount", "ReturnedUnitID"} {
		if err := tx.Migrator().AddColumn(&m0034WorkOrder{}, c); err != nil {
			return err
		}
	}
	return nil
}
