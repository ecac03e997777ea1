package inspection

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// The grades an enterprise may hold (FREQ-2, seed §2.8 二): the credit grade of the public
// credit system, A being 信用优良 (excellent: one on-site inspection a year), and the risk grade.
var (
	CreditGrades = []GradeName{{"A", "信用优良", "Excellent"}, {"B", "信用良好", "Good"}, {"C", "信用一般", "Fair"}, {"D", "信用较差", "Poor"}}
	RiskGrades   = []GradeName{{"low", "低风险", "Low"}, {"medium", "中风险", "Medium"}, {"higher", "较高风险", "Higher"}, {"high", "高风险", "High"}}
)

// GradeName is one grade with its plain names.
type GradeName struct{ Code, Zh, En string }

// gradeKnown tells whether grade is one of kind's.
func gradeKnown(kind, grade string) bool {
	l := CreditGrades
	if kind == "risk" {
		l = RiskGrades
	}
	for _, g := range l {
		if g.Code == grade {
			return true
		}
	}
	return false
}

// legacySince is the start given to the grade found on the enterprise's own record when its
// history is first written: before any period, that grade held.
const legacySince = "2000-01-01"

// GradeInput sets an enterprise's credit or risk grade from a day on, by the page, the API or a
// line of an import.
type GradeInput struct {
	Kind      string `json:"kind" form:"kind" validate:"required,oneof=credit risk" doc:"credit (信用等级) or risk (风险等级)"`
	Grade     string `json:"grade" form:"grade" validate:"required,max=20" doc:"credit: A (信用优良), B, C, D; risk: low, medium, higher, high"`
	ValidFrom string `json:"valid_from" form:"valid_from" validate:"required,datetime=2006-01-02" doc:"YYYY-MM-DD (Wenzhou): the first day the grade holds; the period before it ends the day before"`
	Source    string `json:"source" form:"source" validate:"max=200" doc:"where it comes from, e.g. the credit bureau's list"`
}

// Normalize trims what people type.
func (in *GradeInput) Normalize() {
	in.Kind, in.Grade = strings.TrimSpace(strings.ToLower(in.Kind)), strings.TrimSpace(in.Grade)
	if in.Kind == "credit" {
		in.Grade = strings.ToUpper(in.Grade)
	} else {
		in.Grade = strings.ToLower(in.Grade)
	}
	in.ValidFrom, in.Source = strings.TrimSpace(in.ValidFrom), strings.TrimSpace(in.Source)
}

// GradePeriod is one period of a grade's history.
type GradePeriod struct {
	Kind, Grade, ValidFrom, ValidTo, Source string
}

// EnterpriseGrades is an enterprise's grades today and their history.
type EnterpriseGrades struct {
	EnterpriseID           uint
	Name                   string
	Credit, Risk           string // valid today; empty when none
	History                []GradePeriod
	CanEdit                bool
	CreditNames, RiskNames []GradeName
}

// Grades reads an enterprise's grades for a caller who may see the enterprise.
func (s *Service) Grades(ctx context.Context, by account.Actor, enterpriseID uint) (*EnterpriseGrades, error) {
	ent, err := s.St.Enterprise(ctx, enterpriseID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("inspections: grades: %w", err)
	}
	if !account.Can(by, account.ViewEnterprise, account.Object{EnterpriseID: ent.ID, CountyCode: ent.CountyCode}) {
		return nil, ErrNotFound
	}
	list, err := s.St.Grades(ctx, ent.ID, "")
	if err != nil {
		return nil, fmt.Errorf("inspections: grades: %w", err)
	}
	today := calendar.DateOf(s.Clock.Now()).String()
	out := &EnterpriseGrades{EnterpriseID: ent.ID, Name: ent.Name, CanEdit: account.Can(by, account.ManageGrades, account.Object{EnterpriseID: ent.ID}),
		CreditNames: CreditGrades, RiskNames: RiskGrades}
	if out.Credit, err = s.gradeOn(ctx, ent, "credit", today); err != nil {
		return nil, err
	}
	if out.Risk, err = s.gradeOn(ctx, ent, "risk", today); err != nil {
		return nil, err
	}
	for _, g := range list {
		out.History = append(out.History, GradePeriod{Kind: g.Kind, Grade: g.Grade, ValidFrom: g.ValidFrom, ValidTo: g.ValidTo, Source: g.Source})
	}
	return out, nil
}

// gradeOn is the grade of a kind valid on day: the period covering it, or, before the first
// period (or with none), the credit grade on the enterprise's own record.
func (s *Service) gradeOn(ctx context.Context, ent *account.Enterprise, kind, day string) (string, error) {
	g, ok, err := s.St.GradeOn(ctx, ent.ID, kind, day)
	if err != nil {
		return "", fmt.Errorf("inspections: grade: %w", err)
	}
	if ok {
		return g, nil
	}
	if kind == "credit" {
		if first, err := s.St.Grades(ctx, ent.ID, "credit"); err != nil {
			return "", fmt.Errorf("inspections: grade: %w", err)
		} else if len(first) == 0 {
			return ent.CreditGrade, nil
		}
	}
	return "", nil
}

// creditExcellent tells whether ent's credit grade valid on t's Wenzhou day is A (FREQ-2).
func (s *Service) creditExcellent(ctx context.Context, ent *account.Enterprise, t time.Time) (bool, error) {
	g, err := s.gradeOn(ctx, ent, "credit", calendar.DateOf(t).String())
	return g == "A", err
}

// SetGrade gives enterprise enterpriseID a grade from a day on: the period before ends the day
// before; the new one must start after the latest period's start (history is not rewritten).
// Every inspection of the enterprise from that year on is checked again (FREQ-2 follows the
// grade valid on the inspection's day).
func (s *Service) SetGrade(ctx context.Context, by account.Actor, enterpriseID uint, in GradeInput) (*EnterpriseGrades, error) {
	if !account.Can(by, account.ManageGrades, account.Object{EnterpriseID: enterpriseID}) {
		return nil, ErrForbidden
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		ent, err := s.St.Enterprise(ctx, enterpriseID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if err := s.setGrade(ctx, by, ent, in); err != nil {
			return err
		}
		return s.recheckFrom(ctx, ent, in.ValidFrom)
	})
	if err != nil {
		return nil, fmt.Errorf("inspections: set grade: %w", err)
	}
	return s.Grades(ctx, by, enterpriseID)
}

func (s *Service) setGrade(ctx context.Context, by account.Actor, ent *account.Enterprise, in GradeInput) error {
	in.Normalize()
	if in.Kind != "credit" && in.Kind != "risk" {
		return errs.Field("kind", "err.invalid")
	}
	if !gradeKnown(in.Kind, in.Grade) {
		return errs.Field("grade", "err.invalid")
	}
	from, err := time.ParseInLocation("2006-01-02", in.ValidFrom, calendar.Location())
	if err != nil {
		return errs.Field("valid_from", "err.invalid")
	}
	day := calendar.DateOf(from)
	latest, err := s.St.LatestGrade(ctx, ent.ID, in.Kind)
	if err != nil {
		return err
	}
	before := day.AddDays(-1).String()
	switch {
	case latest != nil && latest.ValidFrom >= day.String():
		return errs.Field("valid_from", "err.grade_order")
	case latest != nil && (latest.ValidTo == "" || latest.ValidTo > before):
		if err := s.St.EndGrade(ctx, latest.ID, before); err != nil {
			return err
		}
	case latest == nil && in.Kind == "credit" && ent.CreditGrade != "" && day.String() > legacySince:
		// The grade on the enterprise's record held until now: it becomes the first period.
		if err := s.St.AddGrade(ctx, &store.EnterpriseGrade{EnterpriseID: ent.ID, Kind: "credit", Grade: ent.CreditGrade, ValidFrom: legacySince, ValidTo: before,
			Source: "企业档案 enterprise record", CreatedAt: s.Clock.Now()}); err != nil {
			return err
		}
	}
	now := s.Clock.Now()
	if err := s.St.AddGrade(ctx, &store.EnterpriseGrade{EnterpriseID: ent.ID, Kind: in.Kind, Grade: in.Grade, ValidFrom: day.String(), Source: in.Source, SetBy: by.UserID, CreatedAt: now}); err != nil {
		return err
	}
	if in.Kind == "credit" {
		g, _, err := s.St.GradeOn(ctx, ent.ID, "credit", calendar.DateOf(now).String())
		if err != nil {
			return err
		}
		if err := s.St.SetEnterpriseCreditGrade(ctx, ent.ID, g, now); err != nil {
			return err
		}
	}
	return s.auditBy(ctx, by, "grade.set", "enterprise", uint64(ent.ID), fmt.Sprintf(`{"kind":%q,"grade":%q,"valid_from":%q}`, in.Kind, in.Grade, day.String()))
}

// recheckFrom checks again every inspection of ent scheduled from the start of day's year on.
func (s *Service) recheckFrom(ctx context.Context, ent *account.Enterprise, day string) error {
	t, err := time.ParseInLocation("2006-01-02", day, calendar.Location())
	if err != nil {
		return err
	}
	from := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, calendar.Location())
	list, err := s.St.EnterpriseInspections(ctx, ent.ID, from, from.AddDate(100, 0, 0))
	if err != nil {
		return err
	}
	fresh, err := s.St.Enterprise(ctx, ent.ID) // the record's grade as now kept
	if err != nil {
		return err
	}
	for i := range list {
		if _, err := s.check(ctx, &list[i], fresh); err != nil {
			return err
		}
	}
	return nil
}

// ImportGrades reads the credit bureau's list: one line per grade, `uscc,kind,grade,valid_from
// [,source]` (a header line starting with "uscc" is skipped; `#` starts a comment). All lines are
// applied or none: a line that cannot be read or applied names its number. Lines are applied in
// order of their start day per enterprise and kind.
func (s *Service) ImportGrades(ctx context.Context, by account.Actor, r io.Reader) (int, error) {
	if !account.Can(by, account.ManageGrades, account.Object{}) {
		return 0, ErrForbidden
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord, cr.Comment, cr.TrimLeadingSpace = -1, '#', true
	type line struct {
		no   int
		uscc string
		in   GradeInput
	}
	var lines []line
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		no, _ := cr.FieldPos(0) // the line in the file, comments counted
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				no = pe.Line
			}
			return 0, badLine(no, "")
		}
		if first && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "uscc") {
			continue
		}
		if len(rec) < 4 || len(rec) > 5 {
			return 0, badLine(no, "")
		}
		l := line{no: no, uscc: account.NormalizeUSCC(strings.TrimSpace(rec[0])), in: GradeInput{Kind: rec[1], Grade: rec[2], ValidFrom: rec[3]}}
		if len(rec) == 5 {
			l.in.Source = rec[4]
		}
		lines = append(lines, l)
	}
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if a.uscc != b.uscc {
			return a.uscc < b.uscc
		}
		if a.in.Kind != b.in.Kind {
			return a.in.Kind < b.in.Kind
		}
		return strings.TrimSpace(a.in.ValidFrom) < strings.TrimSpace(b.in.ValidFrom)
	})
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		earliest := map[uint]string{}
		ents := map[uint]*account.Enterprise{}
		for _, l := range lines {
			ent, err := s.St.EnterpriseByUSCC(ctx, l.uscc)
			if errors.Is(err, store.ErrNotFound) {
				return badLine(l.no, "")
			} else if err != nil {
				return err
			}
			if err := s.setGrade(ctx, by, ent, l.in); err != nil {
				if f := errs.FieldsOf(err); f != nil {
					for _, key := range f {
						return badLine(l.no, key)
					}
				}
				return err
			}
			ents[ent.ID] = ent
			if d := strings.TrimSpace(l.in.ValidFrom); earliest[ent.ID] == "" || d < earliest[ent.ID] {
				earliest[ent.ID] = d
			}
		}
		for id, d := range earliest {
			if err := s.recheckFrom(ctx, ents[id], d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("inspections: import grades: %w", err)
	}
	return len(lines), nil
}

// badLine is an import line that cannot be read or applied: the field named after the line
// ("row_3"), with what is wrong (err.grade_line when nothing more precise).
func badLine(no int, key string) error {
	if key == "" {
		key = "err.grade_line"
	}
	return errs.Field(fmt.Sprintf("row_%d", no), key)
}
