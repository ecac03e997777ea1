package portal

func init() {
	for k, v := range map[string][2]string{
		"nav.admin.calendar":     {"工作日历", "Calendar"},
		"admin.calendar":         {"工作日历调整", "Working-day calendar overrides"},
		"admin.calendar.hint":    {"法定节假日和调休已按国务院安排自动计入；这里只登记本地调整。勾选“工作日”表示该日上班，否则为休息日。", "Official holidays and adjusted working days are built in; record local changes here. Tick “working day” to make the day a working day, otherwise it is a day off."},
		"admin.calendar.day":     {"日期", "Date"},
		"admin.calendar.kind":    {"类型", "Kind"},
		"admin.calendar.name":    {"说明", "Note"},
		"admin.calendar.working": {"工作日", "Working day"},
		"admin.calendar.off":     {"休息日", "Day off"},
	} {
		messages[k] = v
	}
}
