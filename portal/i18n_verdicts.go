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

func init() {
	for k, v := range map[string][2]string{
		"cal.years":           {"已载入的年份", "Years loaded"},
		"cal.year":            {"年份", "Year"},
		"cal.source":          {"节假日数据来源", "Holiday data"},
		"cal.overrides":       {"管理员登记的日期数", "Days entered by administrators"},
		"cal.source.official": {"国务院办公厅节假日安排（内置）", "State Council calendar (built in)"},
		"cal.source.entered":  {"管理员录入或导入", "Entered or imported by an administrator"},
		"cal.source.none":     {"无数据：按周一至周五计算，节假日未计入", "No data: counted as Monday to Friday, holidays missing"},
		"cal.touched":         {"已有时限或通知书期限落在此年", "Deadlines or notice periods fall in this year"},
		"cal.none.warn":       {"本年度没有节假日数据：所有时限和通知书期限都把春节、国庆等假日当作工作日。请在下方录入或导入国务院办公厅的安排。", "This year has no holiday data: every deadline and notice period counts Spring Festival, National Day and other holidays as working days. Enter or import the State Council's arrangement below."},
		"cal.legend":          {"白底为工作日，灰底为休息日；“班”为调休上班的周末，“休”为放假的工作日；鼠标停留可见节日名称。", "Working days plain, days off shaded; 班 marks a weekend worked, 休 a weekday off; hover for the holiday's name."},
		"cal.work.short":      {"班", "W"},
		"cal.off.short":       {"休", "H"},
		"cal.import":          {"录入或导入一年的节假日和调休", "Enter or import a year's holidays and adjusted working days"},
		"cal.import.hint":     {"每行一天或一段日期：日期（或“起~止”）、类型（休 或 班）、名称，用逗号、制表符或空格分隔；以 # 开头的行为注释。导入会替换该年已登记的日期，并把该年标记为已载入。逐日手工登记后，留空文本提交即可把该年标记为已载入。", "One day or a range per line: the date (or from~to), the kind (休 off, 班 working) and a name, separated by commas, tabs or spaces; lines starting with # are comments. An import replaces the days entered for that year and marks the year as loaded. After entering the days one by one, submit with an empty text to mark the year as loaded."},
		"cal.import.source":   {"依据（如国务院办公厅通知文号）", "Source (e.g. the State Council notice's number)"},
		"cal.import.text":     {"节假日和调休", "Holidays and adjusted working days"},
		"cal.import.save":     {"导入并标记为已载入", "Import and mark as loaded"},
		"cal.import.bad":      {"以下行无法识别，未保存任何内容（日期须在所填年份内）：", "These lines could not be read; nothing was saved (dates must be in the year given):"},
		"cal.import.line":     {"第", "Line"},
		"cal.gaps":            {"警告：以下年份没有节假日数据，落在其中的时限和通知书期限会把节假日当作工作日：", "Warning: these years have no holiday data; deadlines and notice periods in them count holidays as working days:"},
	} {
		messages[k] = v
	}
}
