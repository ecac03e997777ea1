package portal

// Strings of the enterprise's inspection pages.
func init() {
	for k, v := range map[string][2]string{
		"nav.inspections":         {"检查通知", "Inspections"},
		"insp.title":              {"行政检查", "Inspections"},
		"insp.standing":           {"本年度各执法主体检查次数", "This year's inspections by each body"},
		"insp.standing.hint":      {"计入频次的检查（不含触发式、企业申请的检查）；同一主体每年不超过上限，信用优良企业上限 1 次。", "Counted inspections (triggered and requested ones excluded); a body may inspect you at most the cap each year, once for a credit-excellent enterprise."},
		"insp.standing.count":     {"已检查 / 上限", "Done / cap"},
		"insp.notice":             {"行政检查通知书", "Inspection notice"},
		"insp.code":               {"行政行为码", "Behaviour code"},
		"insp.place":              {"检查地点", "Place"},
		"insp.qr":                 {"行政行为码二维码", "QR code of the behaviour code"},
		"insp.acked":              {"已签收", "acknowledged"},
		"insp.ack":                {"签收通知", "Acknowledge receipt"},
		"insp.openbook":           {"开卷检查自查清单", "Open-book self-check list"},
		"insp.openbook.hint":      {"检查前可对照以下事项、依据和标准自查自纠。", "Check yourself against these items, their legal basis and standards before the inspection."},
		"insp.basis":              {"依据", "Basis"},
		"insp.method":             {"方式", "Method"},
		"insp.standard":           {"标准", "Standard"},
		"insp.rate":               {"评价本次检查", "Rate this inspection"},
		"insp.code_shown":         {"检查人员出示了行政行为码", "The inspectors showed the behaviour code"},
		"insp.credential_shown":   {"检查人员出示了执法证件", "The inspectors showed their credentials"},
		"insp.data_demanded":      {"被要求提供政府已掌握的材料", "We were asked for data the government already holds"},
		"insp.disrupted":          {"检查干扰了正常生产经营", "The inspection disrupted our business"},
		"insp.comment":            {"意见", "Comment"},
		"insp.done.ack":           {"已签收", "Receipt acknowledged"},
		"insp.done.rate":          {"评价已提交，7 天内可修改", "Rating saved; you may change it within 7 days"},
		"insp.status.scheduled":   {"已安排", "Scheduled"},
		"insp.status.notified":    {"已通知", "Notified"},
		"insp.status.in_progress": {"检查中", "In progress"},
		"insp.status.done":        {"已完成", "Done"},
		"insp.status.cancelled":   {"已撤销", "Cancelled"},
		"err.rating_closed":       {"现在不能评价（检查尚未进行，或已超过 7 天修改期）", "Rating is not open (the inspection has not happened, or 7 days have passed)"},
	} {
		messages[k] = v
	}
}
