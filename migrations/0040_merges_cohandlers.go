package migrations

import (
	"time"

	"gorm.io/gorm"
)

// m0040WorkOrder gains the main order a merged duplicate belongs to (合并).
type m0040WorkOrder struct {
	ID           uint64  `gorm:"primaryKey"`
	MergedIntoID *uint64 `gorm:"index:idx_work_orders_merged_into"`
}

func (m0040WorkOrder) TableName() string { return "work_orders" }

// m0040Cohandler is a co-handling unit (协办单位) of an order: its part (the text it submits to the
// lead unit), when it submitted it, and when a liaison added or removed it. Its deadline is an
// order_deadlines row of stage "cohandle:<body id>".
type m0040Cohandler struct {
	ID         uint64 `gorm:"primaryKey"`
	OrderID    uint64 `gorm:"not null;index:idx_order_cohandlers_order"`
	BodyID     uint   `gorm:"not null;index:idx_order_cohandlers_body"`
	Part       string `gorm:"size:5000;not null;default:''"`
	AnsweredAt *time.Time
	AddedBy    uint      `gorm:"not null;default:0"`
	AddedAt    time.Time `gorm:"not null"`
	RemovedAt  *time.Time
}

func (m0040Cohandler) TableName() string { return "order_cohandlers" }

// m0040MergeSetting is the duplicate window: orders of the same enterprise or inspection filed
// within so many days of each other are suggested as duplicates. One row.
type m0040MergeSetting struct {
	ID         uint `gorm:"primaryKey"`
	WindowDays int  `gorm:"not null"`
}

func (m0040MergeSetting) TableName() string { return "merge_settings" }

// up0040 adds merges and co-handling: the merged order's main order, the co-handlers, the
// duplicate window (30 days), and each co-handler's limit for its part (stage cohandle: 2 working
// days on 12348, whose reply is due in 3; 5 on 12345).
func up0040(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&m0040WorkOrder{}, "MergedIntoID"); err != nil {
		return err
	}
	if err := tx.Migrator().CreateIndex(&m0040WorkOrder{}, "idx_work_orders_merged_into"); err != nil {
		return err
	}
	if err := tx.Migrator().CreateTable(&m0040Cohandler{}, &m0040MergeSetting{}); err != nil {
		return err
	}
	if err := tx.Create(&m0040MergeSetting{ID: 1, WindowDays: 30}).Error; err != nil {
		return err
	}
	for ch, days := range map[string]int{"12348": 2, "12345": 5} {
		if err := tx.Exec("INSERT INTO sla_policies (channel, type, stage, amount, unit) VALUES (?, '*', 'cohandle', ?, 'days')", ch, days).Error; err != nil {
			return err
		}
	}
	return nil
}
