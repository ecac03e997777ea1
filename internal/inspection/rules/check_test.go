package rules

import (
	"strings"
	"testing"
	"time"

	"qijian/internal/calendar"
)

var sh = calendar.Location()

func day(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, sh) }
func ptr(t time.Time) *time.Time                  { return &t }
func yes() *bool                                  { b := true; return &b }
func no() *bool                                   { b := false; return &b }

// facts: body 1 (municipal, announced), 2 (鹿城区), 3 (a testing lab, not qualified); inspectors
// 10 (valid), 11 (expired), 12 (grid worker); items 20 (listed), 21 (withdrawn), 22 (body 2's).
func facts(now time.Time) Facts {
	ann := ptr(day(2025, 3, 1, 0))
	return Facts{
		Cal: calendar.New(), Now: now,
		Bodies: map[uint]Body{1: {ID: 1, Name: "市场监管局", Qualified: true, AnnouncedOn: ann}, 2: {ID: 2, Name: "鹿城综合执法局", County: "330302", Qualified: true, AnnouncedOn: ann}, 3: {ID: 3, Name: "检测中心", Qualified: false}},
		Inspectors: map[uint]Inspector{
			10: {ID: 10, BodyID: 1, Name: "张三", CredentialNo: "A1", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2028, 1, 1, 0), Active: true, Staff: OnPost},
			11: {ID: 11, BodyID: 1, Name: "李四", CredentialNo: "A2", ValidFrom: day(2020, 1, 1, 0), ValidTo: day(2026, 1, 1, 0), Active: true, Staff: OnPost},
			12: {ID: 12, BodyID: 1, Name: "王五", CredentialNo: "A3", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2028, 1, 1, 0), Active: true, Staff: GridWorker},
			13: {ID: 13, BodyID: 2, Name: "赵六", CredentialNo: "B1", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2028, 1, 1, 0), Active: true, Staff: OnPost},
			14: {ID: 14, BodyID: 1, Name: "钱七", CredentialNo: "A4", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2028, 1, 1, 0), Active: true, Staff: OnPost},
			15: {ID: 15, BodyID: 2, Name: "孙八", CredentialNo: "B2", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2028, 1, 1, 0), Active: true, Staff: OnPost},
			// valid until 2026-04-17 (stored as that day's Wenzhou midnight, as the form enters it)
			16: {ID: 16, BodyID: 1, Name: "周九", CredentialNo: "A5", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2026, 4, 17, 0), Active: true, Staff: OnPost},
			17: {ID: 17, BodyID: 1, Name: "吴十", CredentialNo: "—", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2028, 1, 1, 0), Active: true, Staff: OnPost},
			18: {ID: 18, BodyID: 1, Name: "郑一", CredentialNo: "无", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2028, 1, 1, 0), Active: true, Staff: OnPost},
			19: {ID: 19, BodyID: 1, Name: "冯二", CredentialNo: "A6", ValidFrom: day(2024, 1, 1, 0), ValidTo: day(2026, 4, 16, 0), Active: true, Staff: OnPost},
		},
		Items: map[uint]Item{20: {ID: 20, BodyID: 1, Name: "食品经营许可", PublishedOn: ann}, 21: {ID: 21, BodyID: 1, Name: "旧事项", PublishedOn: ann, WithdrawnOn: ptr(day(2026, 1, 1, 0))}, 22: {ID: 22, BodyID: 2, Name: "市容", PublishedOn: ann}},
		Plans: map[uint]Plan{1: {BodyID: 1, Year: 2026, PublishedOn: ptr(day(2026, 3, 31, 15))}},
	}
}

// A lawful planned inspection on Friday 2026-04-17 by two inspectors, its notice delivered on
// Monday 04-13 (the latest delivery day is Tuesday 04-14).
func lawful() Inspection {
	return Inspection{ID: 100, Kind: Planned, Status: Scheduled, EnterpriseID: 7, BodyIDs: []uint{1}, ItemIDs: []uint{20}, InspectorIDs: []uint{10, 14},
		ScheduledAt: day(2026, 4, 17, 9), County: "330302", NoticeDeliveredAt: ptr(day(2026, 4, 13, 10)), Code: "QJXXXX"}
}

func rules(v []Violation) string {
	var s []string
	for _, x := range v {
		s = append(s, x.Rule)
	}
	return strings.Join(s, ",")
}

func TestLawfulInspectionPasses(t *testing.T) {
	t.Parallel()
	if v := Check(lawful(), facts(day(2026, 4, 17, 12))); len(v) != 0 {
		t.Fatalf("violations: %+v", v)
	}
}

func TestRulesAtTheirBoundaries(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*Inspection, *Facts)
		want   string
	}{
		// A lab has no list, plan or inspectors of its own, so those rules fail with it.
		{"SUBJ-1 testing lab", func(i *Inspection, f *Facts) { i.BodyIDs = []uint{3} }, "LIST-1,PLAN-1,SUBJ-1,SUBJ-2,SUBJ-2"},
		{"SUBJ-1 announced after the inspection", func(i *Inspection, f *Facts) {
			b := f.Bodies[1]
			b.AnnouncedOn = ptr(day(2026, 5, 1, 0))
			f.Bodies[1] = b
		}, "SUBJ-1"},
		{"SUBJ-2 expired credential", func(i *Inspection, f *Facts) { i.InspectorIDs = []uint{10, 11} }, "SUBJ-2"},
		{"SUBJ-2 grid worker", func(i *Inspection, f *Facts) { i.InspectorIDs = []uint{10, 12} }, "SUBJ-2"},
		{"SUBJ-2 inspector of another body", func(i *Inspection, f *Facts) { i.InspectorIDs = []uint{10, 13} }, "SUBJ-2"},
		{"SUBJ-2 credential valid until the inspection day passes (last day included)", func(i *Inspection, f *Facts) { i.InspectorIDs = []uint{10, 16} }, ""},
		{"SUBJ-2 credential valid until the inspection day, inspection at 23:30", func(i *Inspection, f *Facts) {
			i.InspectorIDs, i.ScheduledAt = []uint{10, 16}, i.ScheduledAt.Add(14*time.Hour+30*time.Minute)
		}, ""},
		{"SUBJ-2 credential ended the day before", func(i *Inspection, f *Facts) { i.InspectorIDs = []uint{10, 19} }, "SUBJ-2"},
		{"SUBJ-2 credential number a dash", func(i *Inspection, f *Facts) { i.InspectorIDs = []uint{10, 17} }, "SUBJ-2"},
		{"SUBJ-2 credential number 无", func(i *Inspection, f *Facts) { i.InspectorIDs = []uint{10, 18} }, "SUBJ-2"},
		{"SUBJ-2 one inspector (两人以上)", func(i *Inspection, f *Facts) { i.InspectorIDs = []uint{10} }, "SUBJ-2"},
		{"SUBJ-2 no inspector", func(i *Inspection, f *Facts) { i.InspectorIDs = nil }, "SUBJ-2"},
		{"SUBJ-2 credential not shown", func(i *Inspection, f *Facts) { i.CredentialShown = no() }, "SUBJ-2"},
		{"SUBJ-2 credential shown passes", func(i *Inspection, f *Facts) { i.CredentialShown = yes() }, ""},
		{"LIST-1 no items", func(i *Inspection, f *Facts) { i.ItemIDs = nil }, "LIST-1"},
		{"CODE-1 not answered is not a no", func(i *Inspection, f *Facts) { i.CodeShown = nil }, ""},
		{"LIST-1 withdrawn item", func(i *Inspection, f *Facts) { i.ItemIDs = []uint{21} }, "LIST-1"},
		{"LIST-1 another body's item", func(i *Inspection, f *Facts) { i.ItemIDs = []uint{22} }, "LIST-1"},
		{"CODE-1 no code", func(i *Inspection, f *Facts) { i.Code = "" }, "CODE-1"},
		{"CODE-1 code not shown", func(i *Inspection, f *Facts) { i.CodeShown = no() }, "CODE-1"},
		{"CODE-1 code shown passes", func(i *Inspection, f *Facts) { i.CodeShown = yes() }, ""},
		{"DATA-1 data demanded again", func(i *Inspection, f *Facts) { i.DataDemanded = true }, "DATA-1"},
		{"CONDUCT-1 production disrupted", func(i *Inspection, f *Facts) { i.Disrupted = true }, "CONDUCT-1"},
		{"PLAN-1 published 1 April", func(i *Inspection, f *Facts) {
			f.Plans[1] = Plan{BodyID: 1, Year: 2026, PublishedOn: ptr(day(2026, 4, 1, 9))}
		}, "PLAN-1"},
		{"PLAN-1 inspected before the plan was published", func(i *Inspection, f *Facts) {
			f.Plans[1] = Plan{BodyID: 1, Year: 2026, PublishedOn: ptr(day(2026, 3, 20, 9))}
			i.ScheduledAt = day(2026, 3, 19, 9)
			i.NoticeDeliveredAt = ptr(day(2026, 3, 16, 9))
		}, "PLAN-1"},
		{"PLAN-1 inspected on the day the plan was published", func(i *Inspection, f *Facts) {
			f.Plans[1] = Plan{BodyID: 1, Year: 2026, PublishedOn: ptr(day(2026, 3, 19, 15))}
			i.ScheduledAt = day(2026, 3, 19, 9)
			i.NoticeDeliveredAt = ptr(day(2026, 3, 16, 9))
		}, ""},
		{"PLAN-1 changed after publishing", func(i *Inspection, f *Facts) { p := f.Plans[1]; p.Changed = true; f.Plans[1] = p }, "PLAN-1"},
		{"SPEC-1 special without filing", func(i *Inspection, f *Facts) {
			d := ptr(day(2026, 3, 1, 0))
			i.Kind, i.Special = Special, &SpecialRecord{LegalReviewOn: d, CollectiveDecisionOn: d, ApprovedOn: d, PublishedOn: d}
		}, "SPEC-1"},
		{"SPEC-1 complete record passes", func(i *Inspection, f *Facts) {
			d := ptr(day(2026, 3, 1, 0))
			i.Kind, i.Special = Special, &SpecialRecord{d, d, d, d, d}
		}, ""},
		{"AREA-1 county body elsewhere", func(i *Inspection, f *Facts) {
			i.BodyIDs, i.ItemIDs, i.InspectorIDs, i.County, i.Kind = []uint{2}, []uint{22}, []uint{13, 15}, "330381", Triggered
		}, "AREA-1"},
		{"AREA-1 with approval passes", func(i *Inspection, f *Facts) {
			i.BodyIDs, i.ItemIDs, i.InspectorIDs, i.County, i.Kind = []uint{2}, []uint{22}, []uint{13, 15}, "330381", Triggered
			i.CrossArea = CrossAreaRecord{Approval{"温州市人民政府", "温政办〔2026〕1号", ptr(day(2026, 4, 10, 0))}, ptr(day(2026, 4, 17, 8))}
		}, ""},
		{"AREA-1 free text no longer counts", func(i *Inspection, f *Facts) {
			i.BodyIDs, i.ItemIDs, i.InspectorIDs, i.County, i.Kind, i.CrossAreaApproval = []uint{2}, []uint{22}, []uint{13, 15}, "330381", Triggered, "已审批"
		}, "AREA-1"},
		{"AREA-1 local authority not told", func(i *Inspection, f *Facts) {
			i.BodyIDs, i.ItemIDs, i.InspectorIDs, i.County, i.Kind = []uint{2}, []uint{22}, []uint{13, 15}, "330381", Triggered
			i.CrossArea = CrossAreaRecord{Approval: Approval{"温州市人民政府", "温政办〔2026〕1号", ptr(day(2026, 4, 10, 0))}}
		}, "AREA-1"},
		{"AREA-1 told the day after", func(i *Inspection, f *Facts) {
			i.BodyIDs, i.ItemIDs, i.InspectorIDs, i.County, i.Kind = []uint{2}, []uint{22}, []uint{13, 15}, "330381", Triggered
			i.CrossArea = CrossAreaRecord{Approval{"温州市人民政府", "温政办〔2026〕1号", ptr(day(2026, 4, 10, 0))}, ptr(day(2026, 4, 18, 8))}
		}, "AREA-1"},
		{"AREA-1 approved after the inspection", func(i *Inspection, f *Facts) {
			i.BodyIDs, i.ItemIDs, i.InspectorIDs, i.County, i.Kind = []uint{2}, []uint{22}, []uint{13, 15}, "330381", Triggered
			i.CrossArea = CrossAreaRecord{Approval{"温州市人民政府", "温政办〔2026〕1号", ptr(day(2026, 4, 18, 0))}, ptr(day(2026, 4, 16, 8))}
		}, "AREA-1"},
		{"AREA-1 no document number", func(i *Inspection, f *Facts) {
			i.BodyIDs, i.ItemIDs, i.InspectorIDs, i.County, i.Kind = []uint{2}, []uint{22}, []uint{13, 15}, "330381", Triggered
			i.CrossArea = CrossAreaRecord{Approval{"温州市人民政府", " ", ptr(day(2026, 4, 10, 0))}, ptr(day(2026, 4, 16, 8))}
		}, "AREA-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, f := lawful(), facts(day(2026, 4, 17, 12))
			tc.change(&in, &f)
			if got := rules(Check(in, f)); got != tc.want {
				t.Fatalf("violations %q, want %q", got, tc.want)
			}
		})
	}
}

func other(id uint64, kind Kind, at time.Time) Inspection {
	return Inspection{ID: id, Kind: kind, Status: Done, EnterpriseID: 7, BodyIDs: []uint{1}, ScheduledAt: at}
}

// FREQ-1: the 2nd inspection in a year passes, the 3rd is flagged; FREQ-3: triggered and
// requested ones do not count; FREQ-2: an excellent-credit enterprise's 2nd is flagged.
func TestFrequency(t *testing.T) {
	t.Parallel()
	f := facts(day(2026, 4, 17, 12))
	in := lawful()
	f.Others = []Inspection{other(1, Planned, day(2026, 2, 10, 9))}
	if got := rules(Check(in, f)); got != "" {
		t.Fatalf("2nd of the year: %q", got)
	}
	f.Others = append(f.Others, other(2, Joint, day(2026, 3, 10, 9)))
	if got := rules(Check(in, f)); got != "FREQ-1" {
		t.Fatalf("3rd of the year: %q", got)
	}
	in.FrequencyApproval = Approval{By: "温州市市场监督管理局", No: "温市监审〔2026〕3号", On: ptr(day(2026, 4, 17, 0))}
	if got := rules(Check(in, f)); got != "" {
		t.Fatalf("3rd with approval dated the inspection day: %q", got)
	}
	in.FrequencyApproval.On = ptr(day(2026, 4, 18, 0))
	if got := rules(Check(in, f)); got != "FREQ-1" {
		t.Fatalf("3rd with approval dated after the inspection: %q", got)
	}
	in.FrequencyApproval = Approval{No: "温市监审〔2026〕3号", On: ptr(day(2026, 4, 1, 0))}
	if got := rules(Check(in, f)); got != "FREQ-1" {
		t.Fatalf("3rd with an approval naming no approver: %q", got)
	}
	in.FrequencyApproval = Approval{}
	f.Others = []Inspection{other(1, Planned, day(2025, 12, 30, 9)), other(2, Triggered, day(2026, 3, 1, 9)), other(3, Requested, day(2026, 3, 2, 9)), other(4, Planned, day(2026, 2, 1, 9))}
	if got := rules(Check(in, f)); got != "" {
		t.Fatalf("last year's, triggered and requested do not count: %q", got)
	}
	f.CreditExcellent = true
	if got := rules(Check(in, f)); got != "FREQ-2" {
		t.Fatalf("excellent credit, 2nd: %q", got)
	}
	// FREQ-3: the 5th triggered visit by one body within 90 days is beyond reason.
	f.CreditExcellent = false
	tr := lawful()
	tr.Kind = Triggered
	f.Others = nil
	for i := 1; i <= 3; i++ {
		f.Others = append(f.Others, other(uint64(i), Triggered, day(2026, 3, i*5, 9)))
	}
	if got := rules(Check(tr, f)); got != "" {
		t.Fatalf("4th triggered: %q", got)
	}
	f.Others = append(f.Others, other(9, Triggered, day(2026, 4, 1, 9)))
	if got := rules(Check(tr, f)); got != "FREQ-3" {
		t.Fatalf("5th triggered in 90 days: %q", got)
	}
}

// NOTICE-1 across Spring Festival 2026 (Feb 15–23 off; Feb 14 and 28, Saturdays, worked).
func TestNoticeAcrossTheHoliday(t *testing.T) {
	t.Parallel()
	cal := calendar.New()
	insp := day(2026, 2, 26, 9) // Thursday after the holiday
	latest := cal.LatestNoticeDate(insp, NoticeDays)
	in := lawful()
	in.ScheduledAt = insp
	in.Kind = Triggered // keep PLAN and FREQ out of the way
	f := facts(day(2026, 2, 26, 12))
	in.NoticeDeliveredAt = ptr(latest.Time().Add(10 * time.Hour))
	if got := rules(Check(in, f)); got != "" {
		t.Fatalf("notice on %s, exactly %d working days ahead: %q", latest, NoticeDays, got)
	}
	// One working day later (skipping the holiday) is too late.
	in.Kind = Planned
	f.Plans[1] = Plan{BodyID: 1, Year: 2026, PublishedOn: ptr(day(2026, 1, 5, 9))}
	late := cal.AddWorkingDays(latest.Time().Add(10*time.Hour), 1)
	in.NoticeDeliveredAt = &late
	if got := rules(Check(in, f)); got != "NOTICE-1" {
		t.Fatalf("notice on %s: %q", late.Format("2006-01-02"), got)
	}
	if calendar.DateOf(late).Compare(calendar.NewDate(2026, 2, 14)) < 0 || late.Sub(latest.Time()) < 24*time.Hour {
		t.Fatalf("the test meant to cross the holiday: latest %s, late %s", latest, late)
	}
	// No notice at all: flagged once the last day to deliver has passed, not before.
	in.NoticeDeliveredAt = nil
	f.Now = latest.Time().Add(20 * time.Hour)
	if got := rules(Check(in, f)); got != "" {
		t.Fatalf("no notice yet, still time: %q", got)
	}
	f.Now = latest.Time().Add(25 * time.Hour)
	if got := rules(Check(in, f)); got != "NOTICE-1" {
		t.Fatalf("no notice, too late: %q", got)
	}
}

func BenchmarkCheck(b *testing.B) {
	f := facts(day(2026, 4, 17, 12))
	for i := 0; i < 50; i++ {
		f.Others = append(f.Others, other(uint64(i+1), Triggered, day(2026, 1, 1+i%28, 9)))
	}
	in := lawful()
	for i := 0; i < b.N; i++ {
		Check(in, f)
	}
}

// FREQ-1/2 as the enterprise sees them: counted kinds only, per body, per Wenzhou calendar year.
func TestYearCountsFREQ1(t *testing.T) {
	t.Parallel()
	sh := calendar.Location()
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, sh) }
	list := []Inspection{
		{ID: 1, Kind: Planned, Status: Done, BodyIDs: []uint{1}, ScheduledAt: at(2026, 3, 2, 9)},
		{ID: 2, Kind: Joint, Status: Scheduled, BodyIDs: []uint{1, 2}, ScheduledAt: at(2026, 6, 1, 9)},
		{ID: 3, Kind: Triggered, Status: Done, BodyIDs: []uint{1}, ScheduledAt: at(2026, 6, 2, 9)},    // not counted
		{ID: 4, Kind: Requested, Status: Done, BodyIDs: []uint{2}, ScheduledAt: at(2026, 6, 3, 9)},    // not counted
		{ID: 5, Kind: Planned, Status: Cancelled, BodyIDs: []uint{2}, ScheduledAt: at(2026, 7, 1, 9)}, // not counted
		{ID: 6, Kind: Planned, Status: Merged, BodyIDs: []uint{2}, ScheduledAt: at(2026, 7, 2, 9)},    // not counted
		{ID: 7, Kind: Special, Status: Done, BodyIDs: []uint{2}, ScheduledAt: at(2026, 12, 31, 23)},   // 31 Dec in Wenzhou
		{ID: 8, Kind: Planned, Status: Done, BodyIDs: []uint{1}, ScheduledAt: at(2027, 1, 1, 0)},      // next year
	}
	got := YearCounts(list, 2026)
	if got[1] != 2 || got[2] != 2 || len(got) != 2 {
		t.Fatalf("2026 counts: %v, want body 1: 2, body 2: 2", got)
	}
	if Cap(false) != 2 || Cap(true) != 1 {
		t.Fatal("caps: FREQ-1 is 2 a year, FREQ-2 (credit-excellent) is 1")
	}
}
