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
