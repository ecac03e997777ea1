package store

import (
	"context"
	"time"

	"qijian/internal/inspection/rules"

	"gorm.io/gorm/clause"
)

// Inspector is an enforcement officer who inspects (SUBJ-2), as stored: the rules' own type.
type Inspector struct {
	rules.Inspector
}

// InspectionItem is an entry of a body's published item list (LIST-1), as stored: the rules'
// own type.
type InspectionItem struct {
	rules.Item
}

// Inspection is one inspection of one enterprise as stored.
type Inspection struct {
	ID         uint64 `gorm:"primaryKey"`
	ExternalID *string
	// SourceBodyID is the body that registered the inspection (an administrator's push: its lead
	// body): external ids are unique per source body, and a joint inspection's coordinator.
	SourceBodyID uint
	Kind         string
	Status       string
	EnterpriseID uint
	// The lists live in their join tables (inspection_lists.go), in registration order; every
	// read fills them and CreateInspection writes them.
	BodyIDs []uint `gorm:"-"`
	// PendingBodyIDs are bodies a joint inspection names that have not yet confirmed their part:
	// they count nowhere (caps, participants, access) until they do.
	PendingBodyIDs    []uint `gorm:"-"`
	ItemIDs           []uint `gorm:"-"`
	InspectorIDs      []uint `gorm:"-"`
	ScheduledAt       time.Time
	Place             string
	CountyCode        string
	CrossAreaApproval string
	NoticeDeliveredAt *time.Time
	NoticeWithheld    bool
	// NoticeWithheldBasis is the law and article that forbid prior notice (NOTICE-1).
	NoticeWithheldBasis string
	NoticeAckAt         *time.Time
	// KeepSeparateReason: why a triggered visit was kept apart from pending planned tasks (FREQ-3).
	KeepSeparateReason string
	// The approval of an inspection outside the body's county (AREA-1, migration 0037).
	CrossAreaApprover   string
	CrossAreaDocNo      string
	CrossAreaApprovedOn *time.Time
	CrossAreaNotifiedOn *time.Time
	// The approval that allows an inspection beyond the yearly cap (FREQ-1/2, seed §2.3 三).
	FrequencyApprover   string
	FrequencyApprovalNo string
	FrequencyApprovedOn *time.Time
	SpecialReviewOn     *time.Time
	SpecialDecisionOn   *time.Time
	SpecialApprovedOn   *time.Time
	SpecialFiledOn      *time.Time
	SpecialPublishedOn  *time.Time
	Code                string
	MergedInto          *uint64 // a planned task merged into this triggered inspection (FREQ-3)
	CreatedBy           uint
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Clue is a rule violation the automatic checks found, and the work order it became.
type Clue struct {
	ID           uint64 `gorm:"primaryKey"`
	InspectionID uint64
	Rule         string
	Evidence     string
	OrderID      uint64
	CreatedAt    time.Time
	// WithdrawnAt: the facts behind the clue changed and it no longer holds.
	WithdrawnAt     *time.Time
	WithdrawnReason string
}

// SaveInspector creates or updates an inspector.
func (s *Store) SaveInspector(ctx context.Context, p *Inspector) error {
	return mapErr("save inspector", s.DB(ctx).Save(p).Error)
}

// SaveInspectionItem creates or updates a list entry.
func (s *Store) SaveInspectionItem(ctx context.Context, it *InspectionItem) error {
	return mapErr("save item", s.DB(ctx).Save(it).Error)
}

// InspectorsByID loads inspectors by id.
func (s *Store) InspectorsByID(ctx context.Context, ids []uint) ([]Inspector, error) {
	var out []Inspector
	if len(ids) == 0 {
		return out, nil
	}
	err := s.DB(ctx).Where("id IN ?", ids).Order("id").Find(&out).Error
	return out, mapErr("inspectors", err)
}

// ItemsByID loads list entries by id.
func (s *Store) ItemsByID(ctx context.Context, ids []uint) ([]InspectionItem, error) {
	var out []InspectionItem
	if len(ids) == 0 {
		return out, nil
	}
	err := s.DB(ctx).Where("id IN ?", ids).Order("id").Find(&out).Error
	return out, mapErr("items", err)
}

// CreateInspection inserts in; with an external id its source body already used it returns the
// stored one and false, and changes nothing. Another body's use of the same id is no match.
func (s *Store) CreateInspection(ctx context.Context, in *Inspection) (*Inspection, bool, error) {
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(in)
	if res.Error != nil {
		return nil, false, mapErr("create inspection", res.Error)
	}
	if res.RowsAffected == 1 {
		if err := s.writeLists(ctx, in); err != nil {
			return nil, false, err
		}
		return in, true, nil
	}
	var got Inspection
	if err := s.DB(ctx).Where("source_body_id = ? AND external_id = ?", in.SourceBodyID, *in.ExternalID).First(&got).Error; err != nil {
		return nil, false, mapErr("create inspection", err)
	}
	if err := s.fillLists(ctx, []*Inspection{&got}); err != nil {
		return nil, false, err
	}
	return &got, false, nil
}

// SetInspectionCode stores an inspection's behaviour code.
func (s *Store) SetInspectionCode(ctx context.Context, id uint64, code string) error {
	return mapErr("inspection code", s.DB(ctx).Model(&Inspection{}).Where("id = ?", id).Update("code", code).Error)
}

// InspectionByID reads one inspection.
func (s *Store) InspectionByID(ctx context.Context, id uint64) (*Inspection, error) {
	var in Inspection
	if err := s.DB(ctx).First(&in, id).Error; err != nil {
		return nil, mapErr("inspection", err)
	}
	if err := s.fillLists(ctx, []*Inspection{&in}); err != nil {
		return nil, err
	}
	return &in, nil
}

// EnterpriseInspections lists an enterprise's inspections in a time window, for the frequency rules.
func (s *Store) EnterpriseInspections(ctx context.Context, enterpriseID uint, from, to time.Time) ([]Inspection, error) {
	var out []Inspection
	err := s.DB(ctx).Where("enterprise_id = ? AND scheduled_at >= ? AND scheduled_at < ?", enterpriseID, from.UTC(), to.UTC()).Order("scheduled_at").Find(&out).Error
	if err != nil {
		return nil, mapErr("enterprise inspections", err)
	}
	return out, s.fillListsOf(ctx, out)
}

// AddClue records a clue once per inspection and rule; a repeat returns false.
func (s *Store) AddClue(ctx context.Context, c *Clue) (bool, error) {
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(c)
	return res.RowsAffected == 1, mapErr("add clue", res.Error)
}

// SetClueOrder links a clue to the work order it became.
func (s *Store) SetClueOrder(ctx context.Context, id, orderID uint64) error {
	return mapErr("clue order", s.DB(ctx).Model(&Clue{}).Where("id = ?", id).Update("order_id", orderID).Error)
}

// WithdrawClue marks a clue withdrawn (once) and says why.
func (s *Store) WithdrawClue(ctx context.Context, id uint64, at time.Time, reason string) (bool, error) {
	res := s.DB(ctx).Model(&Clue{}).Where("id = ? AND withdrawn_at IS NULL", id).Updates(map[string]any{"withdrawn_at": at, "withdrawn_reason": reason})
	return res.RowsAffected == 1, mapErr("withdraw clue", res.Error)
}

// ReinstateClue makes a withdrawn clue hold again with fresh evidence.
func (s *Store) ReinstateClue(ctx context.Context, id uint64, evidence string) error {
	return mapErr("reinstate clue", s.DB(ctx).Model(&Clue{}).Where("id = ?", id).Updates(map[string]any{"withdrawn_at": nil, "withdrawn_reason": "", "evidence": evidence}).Error)
}

// Clues lists an inspection's clues.
func (s *Store) Clues(ctx context.Context, inspectionID uint64) ([]Clue, error) {
	var out []Clue
	err := s.DB(ctx).Where("inspection_id = ?", inspectionID).Order("rule").Find(&out).Error
	return out, mapErr("clues", err)
}

// Rating is an enterprise's rating of an inspection.
type Rating struct {
	ID              uint64 `gorm:"primaryKey"`
	InspectionID    uint64
	EnterpriseID    uint
	Score           int
	Comment         string
	CodeShown       bool
	CredentialShown bool
	// The answered flags tell a "no" from no answer (an API rating may leave a question out).
	CodeAnswered       bool
	CredentialAnswered bool
	DataDemanded       bool
	Disrupted          bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// TableName maps the row to its table.
func (Rating) TableName() string { return "inspection_ratings" }

// RatingOf reads an inspection's rating.
func (s *Store) RatingOf(ctx context.Context, inspectionID uint64) (*Rating, error) {
	var r Rating
	err := s.DB(ctx).Where("inspection_id = ?", inspectionID).First(&r).Error
	return &r, mapErr("rating", err)
}

// SaveRating creates or updates a rating.
func (s *Store) SaveRating(ctx context.Context, r *Rating) error {
	return mapErr("save rating", s.DB(ctx).Save(r).Error)
}

// AckNotice records when the enterprise acknowledged the notice (once).
func (s *Store) AckNotice(ctx context.Context, id uint64, at time.Time) error {
	return mapErr("ack notice", s.DB(ctx).Model(&Inspection{}).Where("id = ? AND notice_ack_at IS NULL", id).Update("notice_ack_at", at).Error)
}

// InspectionFilter bounds an inspection list by who asks. It fails closed: a filter that names
// no enterprise, body or county lists nothing unless All says, on purpose, everything.
type InspectionFilter struct {
	All          bool // every inspection (admins, city-level liaisons)
	EnterpriseID uint
	BodyID       uint // inspections this body takes part in
	CountyCode   string
	Limit        int
}

func (f InspectionFilter) empty() bool {
	return !f.All && f.EnterpriseID == 0 && f.BodyID == 0 && f.CountyCode == ""
}

// Inspections lists inspections, soonest first.
func (s *Store) Inspections(ctx context.Context, f InspectionFilter) ([]Inspection, error) {
	if f.empty() {
		return nil, nil
	}
	q := s.DB(ctx).Model(&Inspection{})
	if f.EnterpriseID != 0 {
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	}
	if f.BodyID != 0 {
		q = q.Where("id IN (?)", s.DB(ctx).Model(&InspectionBody{}).Select("inspection_id").Where("body_id = ? AND state = ?", f.BodyID, PartConfirmed))
	}
	if f.CountyCode != "" {
		q = q.Where("county_code = ?", f.CountyCode)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	var out []Inspection
	if err := q.Order("scheduled_at DESC, id DESC").Limit(f.Limit).Find(&out).Error; err != nil {
		return nil, mapErr("inspections", err)
	}
	return out, s.fillListsOf(ctx, out)
}

// SetInspectionStatus moves an inspection to status.
func (s *Store) SetInspectionStatus(ctx context.Context, id uint64, status string, at time.Time) error {
	return mapErr("inspection status", s.DB(ctx).Model(&Inspection{}).Where("id = ?", id).Updates(map[string]any{"status": status, "updated_at": at}).Error)
}

// Plan is a body's annual inspection plan (PLAN-1).
type Plan struct {
	ID          uint `gorm:"primaryKey"`
	BodyID      uint
	Year        int
	Title       string
	PublishedOn *time.Time
	ChangedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName maps the row to its table.
func (Plan) TableName() string { return "inspection_plans" }

// PlanOf reads a body's plan for a year.
func (s *Store) PlanOf(ctx context.Context, bodyID uint, year int) (*Plan, error) {
	var p Plan
	err := s.DB(ctx).Where("body_id = ? AND year = ?", bodyID, year).First(&p).Error
	return &p, mapErr("plan", err)
}

// SavePlan creates or updates a plan.
func (s *Store) SavePlan(ctx context.Context, p *Plan) error {
	return mapErr("save plan", s.DB(ctx).Save(p).Error)
}

// BodyInspectors lists a body's inspectors.
func (s *Store) BodyInspectors(ctx context.Context, bodyID uint) ([]Inspector, error) {
	var out []Inspector
	err := s.DB(ctx).Where("body_id = ?", bodyID).Order("id").Find(&out).Error
	return out, mapErr("body inspectors", err)
}

// BodyItems lists a body's inspection item list.
func (s *Store) BodyItems(ctx context.Context, bodyID uint) ([]InspectionItem, error) {
	var out []InspectionItem
	err := s.DB(ctx).Where("body_id = ?", bodyID).Order("id").Find(&out).Error
	return out, mapErr("body items", err)
}

// UndeliveredNotices lists inspections scheduled in [from, to) that are not cancelled, merged or
// done, have no notice delivered or signed for and none withheld: the candidates for NOTICE-1's
// "not delivered" once their latest delivery day has ended.
func (s *Store) UndeliveredNotices(ctx context.Context, from, to time.Time, limit int) ([]Inspection, error) {
	var out []Inspection
	err := s.DB(ctx).Where("scheduled_at >= ? AND scheduled_at < ? AND status IN ? AND notice_delivered_at IS NULL AND notice_ack_at IS NULL AND notice_withheld = ?",
		from.UTC(), to.UTC(), []string{"scheduled", "in_progress"}, false).Order("id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, mapErr("undelivered notices", err)
	}
	return out, s.fillListsOf(ctx, out)
}

// PlanChangeHolder is the planned inspection that carries the finding of a changed plan
// (PLAN-1): the first registered (lowest id) on or after since, of body bodyID, scheduled in
// [from, to), neither cancelled nor merged. 0 when there is none. Registration times are
// compared here rather than in SQL: SQLite keeps them as text in the writer's offset.
func (s *Store) PlanChangeHolder(ctx context.Context, bodyID uint, from, to, since time.Time) (uint64, error) {
	var rows []struct {
		ID        uint64
		CreatedAt time.Time
	}
	err := s.DB(ctx).Model(&Inspection{}).Select("inspections.id, inspections.created_at").
		Joins("JOIN inspection_bodies ON inspection_bodies.inspection_id = inspections.id").
		Where("inspection_bodies.body_id = ? AND inspections.kind = ? AND inspections.status NOT IN ? AND inspections.scheduled_at >= ? AND inspections.scheduled_at < ?",
			bodyID, "planned", []string{"cancelled", "merged"}, from.UTC(), to.UTC()).
		Order("inspections.id").Scan(&rows).Error
	if err != nil {
		return 0, mapErr("plan change holder", err)
	}
	for _, r := range rows {
		if !r.CreatedAt.Before(since) {
			return r.ID, nil
		}
	}
	return 0, nil
}
