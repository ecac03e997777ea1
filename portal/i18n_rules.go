package portal

// The rules by their plain names and readings (docs/rules.md): people see these, never the ids.
func init() {
	for k, v := range map[string][2]string{
		"rule.SUBJ-1":    {"检查主体不合法", "Not a lawful inspecting body"},
		"rule.SUBJ-2":    {"检查人员无有效执法证件", "Inspector without a valid credential"},
		"rule.LIST-1":    {"检查事项不在清单内", "Item not on the published list"},
		"rule.FREQ-1":    {"超出年度检查频次", "Inspected more often than allowed this year"},
		"rule.FREQ-2":    {"信用优良企业超出年度检查频次", "Credit-excellent enterprise inspected more than once this year"},
		"rule.FREQ-3":    {"触发式检查过频或未与计划检查合并", "Triggered visits too often, or not merged with a planned task"},
		"rule.NOTICE-1":  {"检查前未按时送达通知书", "Notice not delivered in time"},
		"rule.CODE-1":    {"未亮码检查", "No behaviour code shown"},
		"rule.PLAN-1":    {"年度检查计划未按时公布或公布后变更", "Annual plan late or changed"},
		"rule.SPEC-1":    {"专项检查程序不全", "Special inspection without its approvals"},
		"rule.JOINT-1":   {"多部门检查未联合实施", "Several departments did not inspect together"},
		"rule.AREA-1":    {"异地检查未经批准", "Inspection outside the body's area without approval"},
		"rule.DATA-1":    {"重复索要政府已掌握的材料", "Data the government holds asked again"},
		"rule.VISIT-1":   {"非检查类入企过多或未登记", "Too many or unrecorded non-inspection visits"},
		"rule.CONDUCT-1": {"干扰企业正常生产经营", "Business disrupted (five prohibitions, eight must-nots)"},
		"rule.RECORD-1":  {"案卷不全", "Case file incomplete"},
		"rule.other":     {"其他", "Other"},

		"rule.SUBJ-1.reading":    {"每个检查主体都须是经确认并公告的行政执法主体，公告日期不晚于检查日（§2.1）。", "Every body of the inspection is a confirmed enforcement body, announced on or before the inspection day (§2.1)."},
		"rule.SUBJ-2.reading":    {"检查人员须属实施主体、在编在执法岗，持有编号真实、在检查日有效的执法证（有效期至当日含当日）；现场检查不少于两人（《行政处罚法》第四十二条）；企业反映未出示证件的亦属此项（第五十五条）。", "Each inspector belongs to an inspecting body, is on-post staff and holds a real credential valid on the inspection day (its last day included); on-site inspections need at least two inspectors (Administrative Penalty Law art. 42); an enterprise reporting that no credential was shown counts too (art. 55)."},
		"rule.LIST-1.reading":    {"检查至少登记一项事项，且每项都在实施主体检查日前已公布、未取消的检查事项清单内（§1、§2.2）。", "An inspection names at least one item, each on the body's list published on or before the inspection day and not withdrawn (§1, §2.2)."},
		"rule.FREQ-1.reading":    {"同一主体对同一企业每个自然年度的计划、专项、联合检查原则上不超过 2 次，按检查时间排序，超出的须有审批记录（审批机关、文号、日期不晚于检查日）（§2.3 三）。", "Per body and enterprise, at most 2 planned, special or joint inspections a calendar year, ordered by time; any beyond needs an approval record (authority, number, dated by the inspection day) (§2.3)."},
		"rule.FREQ-2.reading":    {"信用优良企业的年度检查上限为 1 次，以检查日有效的信用等级为准（§2.8 二）。", "A credit-excellent enterprise's cap is 1 a year, by the grade valid on the inspection day (§2.8)."},
		"rule.FREQ-3.reading":    {"触发式或应企业申请的检查不计入年度上限，但同一主体 90 天内超过 4 次即明显超过合理频次；能与尚未执行的计划检查合并的应当合并（§2.6 三）。", "Triggered and requested visits do not count against the cap, but more than 4 by one body within 90 days is beyond reason; a pending planned task that can be merged should be (§2.6)."},
		"rule.NOTICE-1.reading":  {"从检查日往前数 3 个工作日，数到的那一天为最迟送达日，当日或之前送达即为按时（如周四检查，最迟周一送达）；企业在本平台签收也算送达；法律禁止事先告知的，须登记法律依据（§2.8 二）。", "Count back 3 working days from the inspection day: the day reached is the latest delivery day, and delivery on or before it is on time (a Thursday inspection: by Monday); the enterprise's signing in the portal counts; where law forbids prior notice, its basis is recorded (§2.8)."},
		"rule.CODE-1.reading":    {"每次检查都须赋行政行为码；企业评价回答“未亮码”即违反，未回答不算“否”，改答“已亮码”则撤回线索（§2.6 二）。", "Every inspection carries a behaviour code; the enterprise answering “not shown” breaks the rule, no answer is not a no, and changing it to “shown” withdraws the clue (§2.6)."},
		"rule.PLAN-1.reading":    {"主体的年度检查计划应在 3 月 31 日前公布，公布后原则上不得变更（§2.5 一）。", "A body's annual plan is published by 31 March and not changed after (§2.5)."},
		"rule.SPEC-1.reading":    {"专项检查须经法制审核、集体讨论、报批、向司法行政部门备案并公布，各环节日期不晚于检查日（§2.5 二）。", "A special inspection has its legal review, collective decision, approval, filing and publication, each dated by the inspection day (§2.5)."},
		"rule.JOINT-1.reading":   {"多部门对同一企业的检查应联合实施（综合查一次）（§1、§2.5）。", "Several departments inspecting one enterprise do it together (§1, §2.5)."},
		"rule.AREA-1.reading":    {"县级主体到本县以外检查，须经共同上一级机关批准并告知当地主管部门（§2.6 一）。", "A county body inspecting outside its county needs its common superior's approval and tells the local authority (§2.6)."},
		"rule.DATA-1.reading":    {"能通过公共数据平台掌握的材料，现场检查时不得要求企业提供（§2.3 一）。", "Material the public data platform holds is not demanded during an inspection (§2.3)."},
		"rule.VISIT-1.reading":   {"座谈、调研等非检查类入企应当登记并控制次数（§2.3）。", "Non-inspection visits are recorded and limited (§2.3)."},
		"rule.CONDUCT-1.reading": {"严禁干扰企业正常生产经营，遵守“五个严禁、八个不得”（§2.10）。", "No disruption of normal business; the five prohibitions and eight must-nots (§2.10)."},
		"rule.RECORD-1.reading":  {"已完成的检查案卷须有通知书（依法不予告知的除外）、检查登记表或现场检查笔录，以及清单要求的音像记录（§2.4 四）。", "A done inspection's file holds the notice (unless lawfully withheld), a registration form or on-site record, and audio/video where its items require (§2.4)."},
		"rule.other.reading":     {"以上各项之外的问题。", "A problem not listed above."},
		"orders.rules":           {"所涉规则及其含义", "The rules concerned and what they mean"},
	} {
		messages[k] = v
	}
}
