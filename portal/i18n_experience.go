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
		"nav.menu.open":                {"菜单", "Menu"},
		// The front door.
		"door.check":              {"核验行政检查码", "Check an inspection code"},
		"door.check.hint":         {"检查人员上门时应出示行政行为码（亮码检查）。输入或扫描这个码，即可看到是谁在检查、检查什么、是否提前通知。", "Inspectors must show an inspection code at your door. Type or scan it to see who is inspecting, what they may check and whether you were told in time."},
		"door.code":               {"行政行为码", "Inspection code"},
		"door.verify":             {"核验", "Check"},
		"door.scan":               {"用摄像头扫码", "Scan with the camera"},
		"door.help":               {"遇到违规检查怎么办", "Facing an unlawful inspection?"},
		"door.12348":              {"公共法律服务热线：举报违规检查、法律咨询", "Public legal service line: report an unlawful inspection, legal advice"},
		"door.12345":              {"政务服务便民热线：诉求、意见和建议", "Government service line: requests, opinions and suggestions"},
		"door.online":             {"登录后在线反映，可匿名，全程可查进度", "Online after logging in, anonymously if you wish, with its progress to follow"},
		"door.what":               {"平台能为企业做什么", "What the portal does for enterprises"},
		"door.what.notice":        {"检查通知与亮码核验", "Inspection notices and codes"},
		"door.what.notice.text":   {"提前收到检查通知书，查看检查事项清单，核验检查人员证件。", "Get the notice ahead, read the list of items, check the inspectors' credentials."},
		"door.what.report":        {"诉求与举报", "Requests and reports"},
		"door.what.report.text":   {"反映违规检查和执法作风问题，按时限办理、答复和回访。", "Report unlawful inspections and conduct; each is handled, answered and followed up on time."},
		"door.what.services.text": {"预约合规体检和法律咨询，结果仅企业和服务机构可见。", "Book a compliance check-up or legal advice; only you and the provider see the results."},
		"door.what.lists.text":    {"各执法主体的检查事项清单、年度计划和处罚清单。", "Each body's inspection items, annual plan and penalty lists."},
		"door.next":               {"接下来怎么做", "What to do now"},
		"door.next.refuse":        {"请先核对检查人员的执法证件；对无码或码无效的检查，可以拒绝配合。", "Check the inspectors' credentials first; you may refuse an inspection without a valid code."},
		"door.next.report":        {"点击下方“一键反映问题”，把这个码一并提交（需登录，可匿名）。", "Press “Report a problem” below to send this code along (log in first; you may stay anonymous)."},
		"door.next.call":          {"也可以拨打公共法律服务热线", "Or call the public legal service line"},
		"door.call":               {"拨打", "Call"},
		"door.again":              {"核验另一个码", "Check another code"},
		// Homes lead with live numbers.
		"fig.title":                {"今日概况", "At a glance"},
		"fig.open":                 {"未办结工单", "Open work orders"},
		"fig.due_today":            {"今天到期", "Due today"},
		"fig.overdue":              {"已超时", "Overdue"},
		"fig.at_risk":              {"临近时限", "Close to the deadline"},
		"fig.to_sign":              {"待签收的检查通知", "Notices to sign for"},
		"fig.upcoming_inspections": {"即将进行的检查", "Inspections coming up"},
		"fig.upcoming_bookings":    {"即将到来的预约", "Bookings coming up"},
		"fig.open_complaints":      {"办理中的工单", "Work orders in progress"},
		"fig.sign_tag":             {"待签收", "To sign for"},
		"fig.next":                 {"最紧急的工单", "Most urgent work orders"},
		"fig.soon":                 {"接下来的检查", "Next inspections"},
		"fig.all_orders":           {"查看全部工单", "All work orders"},
		"fig.all_inspections":      {"查看全部检查", "All inspections"},
		"inbox.unread":             {"未读", "Unread"},
		"insp.err.not_yet":         {"检查尚未到计划时间，不能标记为已完成。", "The inspection's time has not come: it cannot be marked done yet."},
		"orders.export":            {"导出表格", "Export spreadsheet"},
		"insp.rated":               {"您已评价，可在 7 天内修改。", "You have rated it; you may change the rating within 7 days."},
		"score.5":                  {"非常满意", "Very satisfied"},
		"score.4":                  {"满意", "Satisfied"},
		"score.3":                  {"一般", "Neutral"},
		"score.2":                  {"不满意", "Dissatisfied"},
		"score.1":                  {"非常不满意", "Very dissatisfied"},
		// A booking's confirmation promises only the reminders still to come (2, 1 or none).
		"booking.done.booked.2": {"预约成功。开始前 1 个工作日和 2 小时会提醒您。", "Booked. You will be reminded one working day and two hours before."},
		"booking.done.booked.1": {"预约成功。开始前 2 小时会提醒您。", "Booked. You will be reminded two hours before."},
		"booking.done.booked.0": {"预约成功。服务即将开始，请按时到场或上线。", "Booked. It starts soon: please be there on time."},
	} {
		messages[k] = v
	}
}
