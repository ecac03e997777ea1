package portal

// Messages of the experience work: plain words where pages showed codes, the front door, the
// phone menu.
func init() {
	for k, v := range map[string][2]string{
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
