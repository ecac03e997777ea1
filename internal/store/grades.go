package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// EnterpriseGrade is one period of an enterprise's credit or risk grade (migration 0037):
// ValidFrom and ValidTo are Wenzhou dates (YYYY-MM-DD), ValidTo inclusive and empty while the
// grade still holds.
type EnterpriseGrade struct {
	ID           uint64 `gorm:"primaryKey"`
	EnterpriseID uint
	Kind         string
	Grade        string
	ValidFrom    string
	ValidTo      string
	Source       string
	SetBy        uint
	CreatedAt    time.Time
}

// TableName maps the row to its table.
func (EnterpriseGrade) TableName() string { return "enterprise_grades" }

// Grades lists an enterprise's grades of a kind ("" for both), latest first.
func (s *Store) Grades(ctx context.Context, enterpriseID uint, kind string) ([]EnterpriseGrade, error) {
	var out []EnterpriseGrade
	q := s.DB(ctx).Where("enterprise_id = ?", enterpriseID)
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	err := q.Order("kind, valid_from DESC, id DESC").Find(&out).Error
	return out, mapErr("grades", err)
}

// GradeOn is the grade of a kind valid on day (YYYY-MM-DD); ok is false when no period covers it.
func (s *Store) GradeOn(ctx context.Context, enterpriseID uint, kind, day string) (string, bool, error) {
	var g []EnterpriseGrade
	err := s.DB(ctx).Where("enterprise_id = ? AND kind = ? AND valid_from <= ? AND (valid_to = '' OR valid_to >= ?)", enterpriseID, kind, day, day).
		Order("valid_from DESC, id DESC").Limit(1).Find(&g).Error
	if err != nil || len(g) == 0 {
		return "", false, mapErr("grade on", err)
	}
	return g[0].Grade, true, nil
}

// LatestGrade is the period of a kind that starts last, locked on PostgreSQL; nil when none.
func (s *Store) LatestGrade(ctx context.Context, enterpriseID uint, kind string) (*EnterpriseGrade, error) {
	var g []EnterpriseGrade
	q := s.DB(ctx)
	if s.Dialect == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Where("enterprise_id = ? AND kind = ?", enterpriseID, kind).Order("valid_from DESC, id DESC").Limit(1).Find(&g).Error
	if err != nil || len(g) == 0 {
		return nil, mapErr("latest grade", err)
	}
	return &g[0], nil
}

// EndGrade closes a period on day (inclusive).
func (s *Store) EndGrade(ctx context.Context, id uint64, day string) error {
	return mapErr("end grade", s.DB(ctx).Model(&EnterpriseGrade{}).Where("id = ?", id).Update("valid_to", day).Error)
}

// AddGrade inserts a period.
func (s *Store) AddGrade(ctx context.Context, g *EnterpriseGrade) error {
	return mapErr("add grade", s.DB(ctx).Create(g).Error)
}

// SetEnterpriseCreditGrade keeps the enterprise's record of its current credit grade.
func (s *Store) SetEnterpriseCreditGrade(ctx context.Context, enterpriseID uint, grade string, at time.Time) error {
	return mapErr("credit grade", s.DB(ctx).Table("enterprises").Where("id = ?", enterpriseID).Updates(map[string]any{"credit_grade": grade, "updated_at": at}).Error)
}
