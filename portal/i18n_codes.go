package portal

// Messages of behaviour codes bound to their enterprise and of penalty decisions' codes (CODE-1).
func init() {
	for k, v := range map[string][2]string{
		"verify.foreign":         {"此行为码不是签发给贵企业的，无法查看其内容。如您认为检查人员出示了他人的码，可以举报。", "This behaviour code was not issued to your enterprise, so its details are not shown. If an inspector showed you someone else's code, you may report it."},
		"verify.decision.valid":  {"有效：本平台签发的行政处罚决定书行为码", "Valid: the behaviour code of a penalty decision issued on this platform"},
		"verify.decision.number": {"决定书文号", "Decision number"},
		"verify.decision.body":   {"作出机关", "Issued by"},
		"verify.decision.when":   {"送达日期", "Delivered on"},
		"err.code_not_yours":     {"此行为码不是贵企业所受检查或处罚的码，请填写贵企业自己的码，或留空", "This behaviour code is not one of your enterprise's inspections or decisions: enter your own code, or leave it empty"},
		"err.code_unknown":       {"此行为码无法核验（不是本平台签发或无此记录）。如检查人员出示的就是这个码，请选择“出示的码无法核验”后提交", "This behaviour code cannot be verified (not issued on this platform, or not on record). If this is the code the inspector showed, tick \"the code shown does not verify\" and submit"},
		"complaint.code_forged":  {"出示的码无法核验（举报伪造或无效的码）", "The code shown does not verify (report a forged or invalid code)"},
		"doc.code":               {"行政行为码", "Behaviour code"},
	} {
		messages[k] = v
	}
}

func init() {
	for k, v := range map[string][2]string{
		"err.future_date": {"日期不能晚于今天", "The date cannot be later than today"},
	} {
		messages[k] = v
	}
}

// The plans and special inspections on a body's public lists page (seed §2.5).
func init() {
	for k, v := range map[string][2]string{
		"lists.plans":            {"年度行政检查计划", "Annual inspection plans"},
		"lists.plan.changed":     {"公布后调整于", "changed after publication on"},
		"lists.specials":         {"专项检查", "Special inspections"},
		"lists.special.approved": {"批准于", "approved on"},
	} {
		messages[k] = v
	}
}

// Credit and risk grades (FREQ-2).
func init() {
	for k, v := range map[string][2]string{
		"grades.title":         {"信用等级与风险等级", "Credit and risk grades"},
		"grades.credit":        {"今日信用等级", "Credit grade today"},
		"grades.risk":          {"今日风险等级", "Risk grade today"},
		"grades.history":       {"历史记录", "History"},
		"grades.kind":          {"类别", "Kind"},
		"grades.kind.credit":   {"信用等级", "Credit grade"},
		"grades.kind.risk":     {"风险等级", "Risk grade"},
		"grades.grade":         {"等级", "Grade"},
		"grades.from":          {"起始日", "Valid from"},
		"grades.to":            {"截止日", "Valid to"},
		"grades.open":          {"至今", "still valid"},
		"grades.source":        {"来源", "Source"},
		"grades.set":           {"设定等级", "Set a grade"},
		"grades.import":        {"导入信用办名单", "Import the credit bureau's list"},
		"grades.import.hint":   {"每行一条：统一社会信用代码,类别(credit/risk),等级,起始日(YYYY-MM-DD)[,来源]；可有标题行 uscc,…；# 开头为注释。任何一行有误则全部不导入。", "One line each: credit code,kind (credit/risk),grade,valid from (YYYY-MM-DD)[,source]; a header line uscc,… may come first; # starts a comment. If any line is wrong, nothing is imported."},
		"grades.import.submit": {"导入", "Import"},
		"grades.import.line":   {"第 %s 行：%s", "Line %s: %s"},
		"err.grade_line":       {"此行无法读取或应用（企业、类别、等级或日期有误）", "This line cannot be read or applied (enterprise, kind, grade or date is wrong)"},
		"err.grade_order":      {"起始日须晚于该企业此类等级最近一期的起始日（历史不改写）", "The start must be after the start of the latest period of this grade (history is not rewritten)"},
	} {
		messages[k] = v
	}
}

// FREQ-3: the reason a triggered visit is kept apart from pending planned tasks.
func init() {
	for k, v := range map[string][2]string{
		"ireg.keep_separate_reason": {"不合并的理由（勾选上一项时必填）", "Why it is kept apart (required when the box above is ticked)"},
	} {
		messages[k] = v
	}
}

// AREA-1: the structured cross-area approval.
func init() {
	for k, v := range map[string][2]string{
		"ireg.cross_area":             {"跨区域检查审批（区县主体到本区县以外检查时填写，四项齐全）", "Cross-area approval (a county body inspecting outside its county; all four)"},
		"ireg.cross_area_hint":        {"须报共同上一级行政执法机关批准，并告知当地主管部门", "Approved by the bodies' common superior, and the local authority told"},
		"ireg.cross_area_approver":    {"批准机关", "Approving authority"},
		"ireg.cross_area_doc_no":      {"批准文号", "Document number"},
		"ireg.cross_area_approved_on": {"批准日期", "Approved on"},
		"ireg.cross_area_notified_on": {"告知当地主管部门日期", "Local authority told on"},
	} {
		messages[k] = v
	}
}
