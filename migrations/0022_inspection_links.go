package migrations

import (
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The three id lists of an inspection as join tables, in place of the comma-separated columns of
// 0009 (an officer's list matched its body with LIKE). Seq keeps each list's order: the first
// body leads (a clue is routed to it) and items are shown as registered. inspection_items is
// already the bodies' published item list (LIST-1), so the items an inspection covers are
// inspection_covered_items.

type m0022Body struct {
	InspectionID uint64 `gorm:"primaryKey;autoIncrement:false"`
	BodyID       uint   `gorm:"primaryKey;autoIncrement:false"`
	Seq          int    `gorm:"not null"`
}

func (m0022Body) TableName() string { return "inspection_bodies" }

type m0022Item struct {
	InspectionID uint64 `gorm:"primaryKey;autoIncrement:false"`
	ItemID       uint   `gorm:"primaryKey;autoIncrement:false"`
	Seq          int    `gorm:"not null"`
}

func (m0022Item) TableName() string { return "inspection_covered_items" }

type m0022Inspector struct {
	InspectionID uint64 `gorm:"primaryKey;autoIncrement:false"`
	InspectorID  uint   `gorm:"primaryKey;autoIncrement:false"`
	Seq          int    `gorm:"not null"`
}

func (m0022Inspector) TableName() string { return "inspection_inspectors" }

// m0022Lists is what 0009's columns held for one inspection.
type m0022Lists struct {
	ID           uint64
	BodyIDs      string
	ItemIDs      string
	InspectorIDs string
}

// m0022Parse reads a list column as the application read it: elements trimmed, anything not a
// positive 32-bit number skipped; a repeated id is kept once, where it first stood.
func m0022Parse(s string) []uint {
	var out []uint
	seen := map[uint]bool{}
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(p), 10, 32)
		if err != nil || n == 0 || seen[uint(n)] {
			continue
		}
		seen[uint(n)] = true
		out = append(out, uint(n))
	}
	return out
}

func up0022(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m0022Body{}, &m0022Item{}, &m0022Inspector{}); err != nil {
		return err
	}
	// Leading with body_id and carrying inspection_id, an officer's list reads this index alone.
	if err := tx.Exec("CREATE INDEX idx_inspection_bodies_body ON inspection_bodies (body_id, inspection_id)").Error; err != nil {
		return err
	}
	var last uint64
	for {
		var rows []m0022Lists
		if err := tx.Table("inspections").Select("id, body_ids, item_ids, inspector_ids").Where("id > ?", last).Order("id").Limit(1000).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			break
		}
		var bodies []m0022Body
		var items []m0022Item
		var people []m0022Inspector
		for _, r := range rows {
			for i, id := range m0022Parse(r.BodyIDs) {
				bodies = append(bodies, m0022Body{InspectionID: r.ID, BodyID: id, Seq: i})
			}
			for i, id := range m0022Parse(r.ItemIDs) {
				items = append(items, m0022Item{InspectionID: r.ID, ItemID: id, Seq: i})
			}
			for i, id := range m0022Parse(r.InspectorIDs) {
				people = append(people, m0022Inspector{InspectionID: r.ID, InspectorID: id, Seq: i})
			}
		}
		if err := m0022Insert(tx, bodies, items, people); err != nil {
			return err
		}
		last = rows[len(rows)-1].ID
	}
	return execAll(tx,
		"ALTER TABLE inspections DROP COLUMN body_ids",
		"ALTER TABLE inspections DROP COLUMN item_ids",
		"ALTER TABLE inspections DROP COLUMN inspector_ids",
	)
}

// m0022Insert writes one batch of links; an empty list writes nothing (gorm refuses an empty insert).
func m0022Insert(tx *gorm.DB, bodies []m0022Body, items []m0022Item, people []m0022Inspector) error {
	if len(bodies) > 0 {
		if err := tx.CreateInBatches(bodies, 500).Error; err != nil {
			return err
		}
	}
	if len(items) > 0 {
		if err := tx.CreateInBatches(items, 500).Error; err != nil {
			return err
		}
	}
	if len(people) > 0 {
		return tx.CreateInBatches(people, 500).Error
	}
	return nil
}
