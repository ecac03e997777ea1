package portal

// Phone intake (issue 19, item 12): the hotline operator's role, call form, confirmation and home.
func init() {
	for k, v := range map[string][2]string{
		"role.operator":            {"热线话务员", "Hotline operator"},
		"nav.intake":               {"电话受理", "Take a call"},
		"intake.title":             {"记录来电", "Record a call"},
		"intake.lead":              {"企业来电反映问题时，先核实来电企业，再记下诉求。提交后工单与网上提交的一样受理、派单和计时。", "When an enterprise calls, first verify the caller, then note what it reports. Once submitted the order is accepted, dispatched and timed like one filed online."},
		"intake.caller":            {"核实来电企业", "Verify the caller"},
		"intake.uscc":              {"统一社会信用代码", "Unified social credit code"},
		"intake.uscc.hint":         {"18 位，请来电人逐位报出", "18 characters; ask the caller to read it out"},
		"intake.mobile":            {"来电人的注册手机号", "The caller's registered mobile"},
		"intake.mobile.hint":       {"须与企业登记的联系人手机或已核实的登录手机一致", "Must match the enterprise's registered contact mobile or a reviewed login's mobile"},
		"intake.anonymous":         {"来电人要求匿名", "The caller asks to stay anonymous"},
		"intake.anonymous.hint":    {"请询问来电人是否匿名。匿名时，被反映的单位看不到企业名称，您之后也看不到。", "Ask whether the caller wants to stay anonymous. If so, the body reported will not see the enterprise's name, and neither will you afterwards."},
		"intake.anonymous.kept":    {"匿名（企业名称不显示）", "Anonymous (the enterprise is not shown)"},
		"intake.description":       {"来电内容", "What the caller reports"},
		"intake.submit":            {"提交工单", "Submit the order"},
		"intake.done":              {"工单已提交", "The order is submitted"},
		"intake.readback":          {"请向来电人读出工单编号，便于其查询进度：", "Read the order number back to the caller so it can follow the order:"},
		"intake.next":              {"联络员将受理并派单；企业的登录账号会收到与网上提交相同的进度通知。", "A liaison will accept and dispatch it; the enterprise's logins are told of each step as for an online filing."},
		"intake.again":             {"记录下一通来电", "Record the next call"},
		"intake.open":              {"查看工单", "Open the order"},
		"intake.source":            {"受理方式", "Came in by"},
		"intake.source.hint":       {"由热线话务员电话受理", "Taken on a call by a hotline operator"},
		"source.phone":             {"电话", "Phone"},
		"source.enterprise":        {"网上（企业）", "Online (enterprise)"},
		"source.observer":          {"观测点代报", "Observation point"},
		"source.system":            {"系统线索", "System clue"},
		"err.intake_unknown":       {"没有以此统一社会信用代码登记的企业", "No enterprise is registered with this credit code"},
		"err.intake_mobile":        {"手机号与该企业登记的手机号不一致", "This mobile does not match the one registered for the enterprise"},
		"fig.calls_today":          {"今日受理来电", "Calls taken today"},
		"fig.calls_open":           {"未办结", "Still open"},
		"home.operator.calls":      {"我受理的工单", "Orders I took"},
		"home.operator.calls.hint": {"这里只列出您电话受理的工单，可查看进度，不能办理。", "Only the orders you took by phone are listed here: you can follow them, not act on them."},
		"home.operator.list":       {"查看我受理的工单", "See the orders I took"},
	} {
		messages[k] = v
	}
}
