package inspection_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/inspection"
)

// FREQ-2 follows the credit grade valid on the inspection's day: ent-b (credit B on its record)
// becomes 信用优良 from 1 July. Its second inspection of the year, in August, breaks the cap of
// one; the first, in May, never did; setting the grade re-checks the year at once; a later
// change back to B does not rewrite August.
func TestCreditGradeChangingMidYear(t *testing.T) {
	f := setup(t) // now: 2026-04-01
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	reg := func(ext string, at time.Time) uint64 {
		t.Helper()
		r := lawful(ext, at)
		r.Kind = "planned"
		in, _, err := f.svc.Register(ctx, off, r)
		if err != nil {
			t.Fatal(err)
		}
		return in.ID
	}
	may, aug := reg("g-may", time.Date(2026, 5, 12, 9, 0, 0, 0, sh)), reg("g-aug", time.Date(2026, 8, 11, 9, 0, 0, 0, sh))
	if f.clue(t, aug, "FREQ-1") != nil || f.clue(t, aug, "FREQ-2") != nil {
		t.Fatal("a second inspection of a credit-B enterprise is a clue")
	}
	g, err := f.svc.SetGrade(ctx, off, 2, inspection.GradeInput{Kind: "credit", Grade: "a", ValidFrom: "2026-07-01", Source: "市信用办 2026 年第二批"})
	if err != nil {
		t.Fatal(err)
	}
	if g.Credit != "B" || len(g.History) != 2 || g.History[1].ValidTo != "2026-06-30" || g.History[0].ValidFrom != "2026-07-01" || g.History[0].ValidTo != "" {
		t.Fatalf("history: %+v", g)
	}
	if f.clue(t, aug, "FREQ-2") == nil || f.clue(t, may, "FREQ-2") != nil {
		t.Fatalf("after the grade: August %v, May %v", f.clue(t, aug, "FREQ-2"), f.clue(t, may, "FREQ-2"))
	}
	// The grade on the last day of June is still B: a June inspection would be within a cap of 2.
	june := reg("g-jun", time.Date(2026, 6, 30, 9, 0, 0, 0, sh))
	if f.clue(t, june, "FREQ-1") != nil || f.clue(t, june, "FREQ-2") != nil {
		t.Fatal("30 June is judged by the July grade")
	}
	if _, err := f.svc.SetGrade(ctx, off, 2, inspection.GradeInput{Kind: "credit", Grade: "B", ValidFrom: "2026-10-01"}); err != nil {
		t.Fatal(err)
	}
	if c := f.clue(t, aug, "FREQ-2"); c == nil || c.WithdrawnAt != nil {
		t.Fatal("a later change rewrote August's grade")
	}
	for _, tc := range []struct {
		name  string
		in    inspection.GradeInput
		field string
	}{
		{"unknown grade", inspection.GradeInput{Kind: "credit", Grade: "Z", ValidFrom: "2026-11-01"}, "grade"},
		{"before the latest period", inspection.GradeInput{Kind: "credit", Grade: "A", ValidFrom: "2026-09-01"}, "valid_from"},
		{"same start", inspection.GradeInput{Kind: "credit", Grade: "A", ValidFrom: "2026-10-01"}, "valid_from"},
		{"bad risk grade", inspection.GradeInput{Kind: "risk", Grade: "A", ValidFrom: "2026-11-01"}, "grade"},
	} {
		if _, err := f.svc.SetGrade(ctx, off, 2, tc.in); errs.FieldsOf(err)[tc.field] == "" {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	for _, who := range []string{"ent-b", "liaison-city", "obs-chamber"} {
		if _, err := f.svc.SetGrade(ctx, f.actor(t, who), 2, inspection.GradeInput{Kind: "risk", Grade: "high", ValidFrom: "2026-11-01"}); err == nil {
			t.Errorf("%s set a grade", who)
		}
	}
	if g, err := f.svc.SetGrade(ctx, f.actor(t, "admin"), 2, inspection.GradeInput{Kind: "risk", Grade: "HIGH", ValidFrom: "2026-04-01"}); err != nil || g.Risk != "high" {
		t.Fatalf("risk grade: %+v %v", g, err)
	}
}

// The credit bureau's list is imported whole or not at all; a bad line is named.
func TestImportGrades(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	off := f.actor(t, "officer-scj")
	ent, err := f.st.Enterprise(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	good := "uscc,kind,grade,valid_from,source\n" + ent.USCC + ",risk,medium,2026-05-01,名单\n" + ent.USCC + ",risk,low,2026-03-01\n# 注释\n"
	bad := good + "913303000000000000,credit,A,2026-03-01\n"
	if _, err := f.svc.ImportGrades(ctx, off, strings.NewReader(bad)); errs.FieldsOf(err)["row_5"] == "" {
		t.Fatalf("an unknown enterprise: %v", err)
	}
	if g, _ := f.svc.Grades(ctx, off, 1); len(g.History) != 0 {
		t.Fatalf("a failed import saved %d periods", len(g.History))
	}
	n, err := f.svc.ImportGrades(ctx, off, strings.NewReader(good))
	if err != nil || n != 2 {
		t.Fatalf("import: %d %v", n, err)
	}
	g, _ := f.svc.Grades(ctx, off, 1)
	if g.Risk != "low" || len(g.History) != 2 || g.History[1].ValidTo != "2026-04-30" {
		t.Fatalf("imported history: %+v", g)
	}
	if _, err := f.svc.ImportGrades(ctx, f.actor(t, "ent-a"), strings.NewReader(good)); err == nil {
		t.Fatal("an enterprise imported grades")
	}
}
