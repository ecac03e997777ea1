package portal

// Messages of the verdicts at their edges: NOTICE-1 on the verify page, merged tasks, the
// calendar's years, withdrawn clues, the rules' plain names.
func init() {
	for k, v := range map[string][2]string{
		"verify.merged":              {"此计划检查已与触发式检查合并实施（已执行，并非撤销）", "This planned inspection was carried out together with a triggered visit (done, not cancelled)"},
		"verify.merged.with":         {"已于 %s 与该次检查合并实施", "Carried out together with the visit of %s"},
		"verify.merged.link":         {"查看合并实施的检查", "See the visit that carried it out"},
		"verify.notice.on_time":      {"按时送达：%s 送达，最迟应于 %s 送达（检查日前 3 个工作日）", "On time: delivered %s; the latest delivery day was %s (3 working days before the inspection)"},
		"verify.notice.late_on":      {"逾期送达：%s 送达，按规定最迟应于 %s 送达（检查日前 3 个工作日）", "Late: delivered %s; it was required by %s (3 working days before the inspection)"},
		"verify.notice.not_yet_due":  {"尚未到期：应于 %s 前（含当日）送达", "Not yet due: to be delivered by %s (that day included)"},
		"verify.notice.missing":      {"未送达：按规定最迟应于 %s 送达（检查日前 3 个工作日）", "Not delivered: it was required by %s (3 working days before the inspection)"},
		"verify.notice.withheld":     {"依法不予事先告知：%s", "Prior notice lawfully withheld: %s"},
		"action.clue_withdrawn":      {"系统线索撤回", "Clue withdrawn"},
		"ireg.notice_delivered_at":   {"通知书送达时间", "Notice delivered at"},
		"ireg.notice_delivered.hint": {"最迟应于检查日前 3 个工作日送达；企业在本平台签收也算送达", "At the latest 3 working days before the inspection; the enterprise's signing in the portal also counts"},
		"ireg.withheld_basis":        {"不予事先告知的法律依据（法律名称及条款）", "Legal basis for withholding prior notice (law and article)"},
		"ireg.freq":                  {"超频次检查审批（本年度第 3 次及以上时填写）", "Approval beyond the yearly cap (for a 3rd inspection or more)"},
		"ireg.freq_approver":         {"审批机关", "Approving authority"},
		"ireg.freq_no":               {"审批文号", "Document number"},
		"ireg.freq_on":               {"审批日期", "Approval date"},
	} {
		messages[k] = v
	}
}
