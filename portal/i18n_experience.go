package portal

// Messages of the experience work: plain words where pages showed codes, the front door, the
// phone menu.
func init() {
	for k, v := range map[string][2]string{
		"any":                          {"全部", "Any"},
		"admin.workflow.order":         {"顺序", "Order"},
		"admin.bodies.qualified.short": {"执法主体资格", "Entitled to inspect"},
		"file.photo":                   {"照片", "Photo"},
		"file.pdf":                     {"PDF 文件", "PDF file"},
		"ireg.merged.link":             {"查看合并后的检查", "See the inspection it joined"},
		"ireg.merged.item":             {"已并入的计划检查", "Merged planned inspection"},
		// Violation reasons by what they mean, never by rule id.
		"rule.SUBJ-1":      {"检查主体不合法", "Body not entitled to inspect"},
		"rule.SUBJ-2":      {"检查人员无执法资格", "Inspector without a valid credential"},
		"rule.LIST-1":      {"检查事项不在清单内", "Item not on the published list"},
		"rule.FREQ-1":      {"同一部门检查次数超限", "Too many inspections by one body"},
		"rule.FREQ-2":      {"信用优良企业检查过多", "Too many for a good-credit enterprise"},
		"rule.FREQ-3":      {"触发式检查明显过频", "Triggered inspections too frequent"},
		"rule.NOTICE-1":    {"未提前 3 个工作日通知", "No notice 3 working days ahead"},
		"rule.CODE-1":      {"未亮码检查", "No inspection code shown"},
		"rule.PLAN-1":      {"检查计划未按时公布", "Plan not published on time"},
		"rule.SPEC-1":      {"专项检查未经批准", "Special inspection not approved"},
		"rule.JOINT-1":     {"应联合检查而未联合", "Not done as one joint inspection"},
		"rule.AREA-1":      {"跨区域检查未经批准", "Outside its area without approval"},
		"rule.DATA-1":      {"重复索要已共享的材料", "Asked again for data the government holds"},
		"rule.VISIT-1":     {"非检查类入企过多", "Too many non-inspection visits"},
		"rule.CONDUCT-1":   {"干扰企业正常生产经营", "Disrupted normal business"},
		"rule.RECORD-1":    {"检查未留存案卷", "No case file kept"},
		"rule.other":       {"其他", "Other"},
		"nav.menu.open":    {"菜单", "Menu"},
		"inbox.unread":     {"未读", "Unread"},
		"insp.err.not_yet": {"检查尚未到计划时间，不能标记为已完成。", "The inspection's time has not come: it cannot be marked done yet."},
		"orders.export":    {"导出表格", "Export spreadsheet"},
		"insp.rated":       {"您已评价，可在 7 天内修改。", "You have rated it; you may change the rating within 7 days."},
		"score.5":          {"非常满意", "Very satisfied"},
		"score.4":          {"满意", "Satisfied"},
		"score.3":          {"一般", "Neutral"},
		"score.2":          {"不满意", "Dissatisfied"},
		"score.1":          {"非常不满意", "Very dissatisfied"},
		// A booking's confirmation promises only the reminders still to come (2, 1 or none).
		"booking.done.booked.2": {"预约成功。开始前 1 个工作日和 2 小时会提醒您。", "Booked. You will be reminded one working day and two hours before."},
		"booking.done.booked.1": {"预约成功。开始前 2 小时会提醒您。", "Booked. You will be reminded two hours before."},
		"booking.done.booked.0": {"预约成功。服务即将开始，请按时到场或上线。", "Booked. It starts soon: please be there on time."},
	} {
		messages[k] = v
	}
}
