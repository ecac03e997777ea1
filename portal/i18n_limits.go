package portal

// Time limits per matter type, urgent orders, and clues apart from complaints (issue 19 items 7, 8).
func init() {
	for k, v := range map[string][2]string{
		"type.help":       {"求助", "Request for help"},
		"type.complaint":  {"投诉", "Complaint"},
		"type.report":     {"举报", "Report"},
		"type.suggestion": {"建议", "Suggestion"},

		"status.clue":      {"线索待核查", "Clue awaiting review"},
		"status.dismissed": {"线索已了结", "Clue dismissed or merged"},
		"stage.review":     {"线索核查", "Clue review"},

		"action.mark_urgent":    {"标为紧急", "Mark urgent"},
		"action.clear_urgent":   {"取消紧急", "Clear the urgent mark"},
		"action.dismiss_clue":   {"排除线索", "Dismiss the clue"},
		"action.merge_clue":     {"合并线索", "Merge the clue"},
		"action.convert_clue":   {"转为工单", "Convert into an order"},
		"action.clue_merged_in": {"并入系统线索", "Clue merged in"},

		"limits.urgent":        {"紧急", "Urgent"},
		"limits.ordinary":      {"一般", "Ordinary"},
		"limits.fallback":      {"兜底时限", "Fallback"},
		"limits.add":           {"新增时限", "Add a time limit"},
		"limits.hint":          {"时限按渠道、事项类型和是否紧急分别设定；工单适用最具体的一行：紧急工单先看本类型的紧急时限，再看渠道的紧急时限，然后是本类型时限，最后是渠道的兜底时限。紧急时限不会比一般时限更长。", "Limits are set per channel, matter type and urgency; an order takes the most specific row: an urgent order its type's urgent row, then the channel's urgent row, then its type's row, then the channel's fallback. An urgent limit is never longer than the ordinary one."},
		"limits.kind":          {"类别", "Kind"},
		"limits.err.exists":    {"该渠道、类型、环节和紧急程度已有时限，请修改原有一行", "A limit for this channel, type, stage and urgency exists: change that row"},
		"limits.err.fallback":  {"渠道的兜底时限不能删除，只能修改", "A channel's fallback limit cannot be removed, only changed"},
		"limits.urgent.flag":   {"紧急事项（如企业停产、货物被扣）", "Urgent (e.g. production stopped, goods held)"},
		"orders.urgent":        {"紧急", "Urgent"},
		"orders.urgent.hint":   {"紧急工单适用紧急时限（如2个工作小时内受理）。", "Urgent orders run on the urgent limits (e.g. accepted within 2 working hours)."},
		"clues.title":          {"系统线索", "Clues from the automatic checks"},
		"clues.hint":           {"系统线索来自自动规则检查（如超频次检查、未提前送达通知书），不是企业投诉。请在核查时限内逐条核查：排除（写明理由）、并入其他线索或工单，或转为工单按一般时限办理。", "Clues come from the automatic rule checks (inspections beyond the yearly cap, late notices), not from enterprises' complaints. Review each within its limit: dismiss it with a reason, merge it into another clue or order, or convert it into an order that then runs on the ordinary limits."},
		"clues.waiting":        {"待核查", "Waiting"},
		"clues.done":           {"已了结", "Done"},
		"clues.rules":          {"发现的问题", "What the checks found"},
		"clues.evidence":       {"依据", "What was seen"},
		"clues.review_due":     {"核查时限", "Review by"},
		"clues.empty":          {"没有待核查的线索。", "No clues to review."},
		"clues.review":         {"核查线索", "Review the clue"},
		"clues.dismiss.reason": {"排除理由", "Why the clue does not hold"},
		"clues.merge.target":   {"并入的线索或工单编号", "Number of the clue or order it goes into"},
		"clues.merge.reason":   {"合并说明", "Note on the merge"},
		"clues.convert.type":   {"工单类型", "Type of the order"},
		"clues.convert.same":   {"保持原类型", "Keep the clue's type"},
		"clues.convert.hint":   {"转为工单后，按一般时限从现在起计算受理和办结时限。", "Once converted, the order's acceptance and resolution limits run from now on the ordinary limits."},
		"clues.urgent.reason":  {"理由", "Reason"},
		"fig.clues":            {"待核查系统线索", "Clues to review"},
		"fig.clues_overdue":    {"超过核查时限的线索", "Clues past their review limit"},
		"nav.clues":            {"系统线索", "Clues"},
	} {
		messages[k] = v
	}
}
