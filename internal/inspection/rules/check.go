package rules

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"qijian/internal/calendar"
)

// Facts is what the checks need besides the inspection itself.
type Facts struct {
	Cal             *calendar.Calendar
	Now             time.Time
	Bodies          map[uint]Body
	Inspectors      map[uint]Inspector
	Items           map[uint]Item
	Plans           map[uint]Plan // by body, for the inspection's year; nil: plans unknown, PLAN-1 not checked
	CreditExcellent bool          // the enterprise's credit grade (FREQ-2)
	Others          []Inspection  // the same enterprise's other inspections
}

// Violation is one rule an inspection breaks, with evidence a liaison can act on.
type Violation struct {
	Rule     string
	Evidence string
}

// Key is unique per inspection and rule, so a clue is raised once however often checks run.
func Key(inspectionID uint64, rule string) string { return fmt.Sprintf("%d/%s", inspectionID, rule) }

// Thresholds from the seed.
const (
	FreqCap          = 2  // FREQ-1: per body, enterprise and calendar year
	FreqCapExcellent = 1  // FREQ-2
	TriggeredWindow  = 90 // FREQ-3: days
	TriggeredMax     = 4  // FREQ-3: more triggered visits by one body in the window is "obviously beyond reason"
	NoticeDays       = 3  // NOTICE-1: working days
	MinInspectors    = 2  // SUBJ-2: 《行政处罚法》第四十二条 执法人员不得少于两人
)

// Check runs every rule and returns the violations, sorted by rule id.
func Check(in Inspection, f Facts) []Violation {
	if in.Status == Cancelled || in.Status == Merged {
		return nil // a merged planned task was carried out by its triggered inspection (FREQ-3)
	}
	var out []Violation
	add := func(rule, format string, args ...any) {
		out = append(out, Violation{Rule: rule, Evidence: fmt.Sprintf(format, args...)})
	}
	on := in.ScheduledAt
	for _, id := range in.BodyIDs {
		b, ok := f.Bodies[id]
		switch {
		case !ok || !b.Qualified:
			add("SUBJ-1", "检查主体“%s”不是已确认的行政执法主体", f.bodyName(id))
		case b.AnnouncedOn == nil || b.AnnouncedOn.After(on):
			add("SUBJ-1", "检查主体“%s”在检查日前未公告", b.Name)
		case b.County != "" && b.County != in.County && in.CrossArea.Missing(on) != "":
			add("AREA-1", "“%s”（%s）在 %s 检查，%s", b.Name, b.County, in.County, in.CrossArea.Missing(on))
		}
	}
	for _, id := range in.InspectorIDs {
		p, ok := f.Inspectors[id]
		switch {
		case !ok:
			add("SUBJ-2", "%s", "有检查人员不在执法人员名录")
		case !slices.Contains(in.BodyIDs, p.BodyID):
			add("SUBJ-2", "检查人员 %s 不属于实施检查的主体", p.Name)
		case p.Staff != OnPost:
			add("SUBJ-2", "检查人员 %s 为%s，不得实施检查", p.Name, staffZh[p.Staff])
		case !RealCredential(p.CredentialNo):
			add("SUBJ-2", "检查人员 %s 无执法证件编号", p.Name)
		case !CredentialValid(p, on):
			add("SUBJ-2", "检查人员 %s 的执法证 %s 在检查日无效", p.Name, p.CredentialNo)
		}
	}
	switch {
	case len(in.InspectorIDs) == 0:
		add("SUBJ-2", "未登记检查人员")
	case len(in.InspectorIDs) < MinInspectors:
		add("SUBJ-2", "仅登记 %d 名检查人员，执法人员不得少于两人（《行政处罚法》第四十二条）", len(in.InspectorIDs))
	}
	if in.CredentialShown != nil && !*in.CredentialShown {
		add("SUBJ-2", "企业反映检查时未出示执法证件（《行政处罚法》第五十五条）")
	}
	if len(in.ItemIDs) == 0 {
		add("LIST-1", "未登记检查事项")
	}
	for _, id := range in.ItemIDs {
		it, ok := f.Items[id]
		switch {
		case !ok || !slices.Contains(in.BodyIDs, it.BodyID):
			add("LIST-1", "%s", f.itemName(id)+"不在实施主体的检查事项清单内")
		case it.PublishedOn == nil || it.PublishedOn.After(on):
			add("LIST-1", "检查事项“%s”在检查日前未公布", it.Name)
		case it.WithdrawnOn != nil && !it.WithdrawnOn.After(on):
			add("LIST-1", "检查事项“%s”已于 %s 取消", it.Name, it.WithdrawnOn.Format("2006-01-02"))
		}
	}
	out = append(out, frequency(in, f)...)
	switch nv := Notice(in, f.Cal, f.Now); nv.State {
	case NoticeMissing:
		add("NOTICE-1", "检查通知书未送达（应于 %s 前送达，即检查日前 %d 个工作日）", nv.Latest, NoticeDays)
	case NoticeLate:
		add("NOTICE-1", "检查通知书于 %s 送达，应于 %s 前送达（检查日前 %d 个工作日）", calendar.DateOf(*nv.Delivered), nv.Latest, NoticeDays)
	}
	if strings.TrimSpace(in.Code) == "" {
		add("CODE-1", "检查未赋行政行为码")
	} else if in.CodeShown != nil && !*in.CodeShown {
		add("CODE-1", "企业反映检查时未亮码")
	}
	if in.DataDemanded {
		add("DATA-1", "企业反映检查中被要求提供政府已掌握的材料")
	}
	if in.Disrupted {
		add("CONDUCT-1", "企业反映检查干扰了正常生产经营")
	}
	if in.Kind == Planned && f.Plans != nil {
		year := on.In(calendar.Location()).Year()
		for _, id := range in.BodyIDs {
			p, ok := f.Plans[id]
			deadline := time.Date(year, 4, 1, 0, 0, 0, 0, calendar.Location())
			switch {
			case !ok || p.PublishedOn == nil:
				add("PLAN-1", "“%s”未公布 %d 年度检查计划", f.bodyName(id), year)
			case calendar.DateOf(*p.PublishedOn).Compare(calendar.DateOf(on)) > 0:
				add("PLAN-1", "“%s”的 %d 年度检查计划于 %s 公布，本次计划检查（%s）时尚未公布", f.bodyName(id), year,
					p.PublishedOn.In(calendar.Location()).Format("2006-01-02"), on.In(calendar.Location()).Format("2006-01-02"))
			case !p.PublishedOn.Before(deadline):
				add("PLAN-1", "“%s”的 %d 年度检查计划于 %s 公布，晚于 3 月 31 日", f.bodyName(id), year, p.PublishedOn.In(calendar.Location()).Format("2006-01-02"))
			case p.Changed:
				add("PLAN-1", "“%s”的 %d 年度检查计划公布后被调整", f.bodyName(id), year)
			}
		}
	}
	if in.Kind == Special {
		r := in.Special
		if r == nil {
			r = &SpecialRecord{}
		}
		for _, st := range []struct {
			at   *time.Time
			name string
		}{{r.LegalReviewOn, "法制审核"}, {r.CollectiveDecisionOn, "集体讨论决定"}, {r.ApprovedOn, "报批"}, {r.FiledOn, "向司法局备案"}, {r.PublishedOn, "公布"}} {
			if st.at == nil || st.at.After(on) {
				add("SPEC-1", "专项检查缺少“%s”环节", st.name)
			}
		}
	}
	if missing := MissingRecords(in, f.Items); len(missing) > 0 {
		add("RECORD-1", "%s", recordEvidence(missing))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// RealCredential tells whether a credential number is one: not empty and not a placeholder such
// as "—", "-", "无" or "N/A" (SUBJ-2).
func RealCredential(no string) bool {
	no = strings.TrimSpace(no)
	if no == "" {
		return false
	}
	switch strings.ToLower(no) {
	case "无", "暂无", "n/a", "na", "none", "null", "0":
		return false
	}
	return strings.Trim(no, "-—–_/\\.·*－ ") != ""
}

// CredentialValid tells whether p's credential is valid on the day of on: active, and the
// Wenzhou date of on lies from the first day to the last day of validity, both included ("valid
// until 15 July" includes 15 July).
func CredentialValid(p Inspector, on time.Time) bool {
	d := calendar.DateOf(on)
	return p.Active && calendar.DateOf(p.ValidFrom).Compare(d) <= 0 && d.Compare(calendar.DateOf(p.ValidTo)) <= 0
}

// bodyName names a body for evidence a person reads (never its id).
func (f Facts) bodyName(id uint) string {
	if b, ok := f.Bodies[id]; ok && b.Name != "" {
		return b.Name
	}
	return "未登记的主体"
}

// itemName names an item for evidence a person reads (never its id).
func (f Facts) itemName(id uint) string {
	if it, ok := f.Items[id]; ok && it.Name != "" {
		return "检查事项“" + it.Name + "”"
	}
	return "有检查事项"
}

var staffZh = map[StaffKind]string{Auxiliary: "辅助人员", GridWorker: "网格员", Temporary: "临时人员"}

// Counted tells whether an inspection counts toward FREQ-1/2: triggered and requested ones do
// not, nor cancelled ones or planned tasks merged into a triggered visit (FREQ-3).
func Counted(x Inspection) bool {
	return x.Status != Cancelled && x.Status != Merged && x.Kind != Triggered && x.Kind != Requested
}

// YearCounts counts, per body, the inspections of one enterprise in a calendar year (Wenzhou
// time) that count toward FREQ-1/2, so the enterprise can see its own standing.
func YearCounts(list []Inspection, year int) map[uint]int {
	out := map[uint]int{}
	for _, x := range list {
		if !Counted(x) || x.ScheduledAt.In(calendar.Location()).Year() != year {
			continue
		}
		for _, b := range x.BodyIDs {
			out[b]++
		}
	}
	return out
}

// Cap is the yearly number of counted inspections per body an enterprise may receive without
// approval: 2 (FREQ-1), or 1 for a credit-excellent enterprise (FREQ-2).
func Cap(creditExcellent bool) int {
	if creditExcellent {
		return FreqCapExcellent
	}
	return FreqCap
}

// before tells whether x comes before in in the year's order: scheduled earlier, or at the same
// time and registered earlier.
func before(x, in Inspection) bool {
	return x.ScheduledAt.Before(in.ScheduledAt) || (x.ScheduledAt.Equal(in.ScheduledAt) && x.ID < in.ID)
}

// frequency: FREQ-1/2 count planned, special and joint inspections of the enterprise by each
// body in the calendar year (this one included); FREQ-3 looks at triggered ones apart.
func frequency(in Inspection, f Facts) []Violation {
	var out []Violation
	year := in.ScheduledAt.In(calendar.Location()).Year()
	limit := FreqCap
	rule := "FREQ-1"
	if f.CreditExcellent {
		limit, rule = FreqCapExcellent, "FREQ-2"
	}
	for _, body := range in.BodyIDs {
		if Counted(in) {
			// Ordered by scheduled time, then registration order: the first up to the cap are
			// within it, whichever was registered first.
			n := 1
			for _, x := range f.Others {
				if x.ID != in.ID && Counted(x) && slices.Contains(x.BodyIDs, body) && x.ScheduledAt.In(calendar.Location()).Year() == year && before(x, in) {
					n++
				}
			}
			switch {
			case n <= limit:
			case in.FrequencyApproval.Valid(in.ScheduledAt):
			case in.FrequencyApproval.No != "":
				out = append(out, Violation{Rule: rule, Evidence: fmt.Sprintf("“%s”本年度第 %d 次检查该企业（上限 %d 次），审批记录不全或晚于检查日", f.bodyName(body), n, limit)})
			default:
				out = append(out, Violation{Rule: rule, Evidence: fmt.Sprintf("“%s”本年度第 %d 次检查该企业（上限 %d 次），无审批", f.bodyName(body), n, limit)})
			}
		}
		if in.Kind == Triggered {
			n := 1
			from := in.ScheduledAt.AddDate(0, 0, -TriggeredWindow)
			for _, x := range f.Others {
				if x.ID != in.ID && x.Kind == Triggered && x.Status != Cancelled && slices.Contains(x.BodyIDs, body) && x.ScheduledAt.After(from) && !x.ScheduledAt.After(in.ScheduledAt) {
					n++
				}
			}
			if n > TriggeredMax {
				out = append(out, Violation{Rule: "FREQ-3", Evidence: fmt.Sprintf("“%s”在 %d 天内第 %d 次触发式检查该企业", f.bodyName(body), TriggeredWindow, n)})
			}
		}
	}
	// FREQ-3: a triggered inspection that could carry out a pending planned task should have.
	if p, ok := MergeCandidate(in, f.Others); ok {
		ev := fmt.Sprintf("触发式检查可与尚未执行的计划检查任务（%s）合并实施，未合并", p.ScheduledAt.In(calendar.Location()).Format("2006-01-02"))
		if in.KeepSeparateReason != "" {
			ev += "；执法主体说明的理由：" + in.KeepSeparateReason
		}
		out = append(out, Violation{Rule: "FREQ-3", Evidence: ev})
	}
	return out
}
