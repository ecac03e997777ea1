package portal

// Messages of duplicates and merges (合并/拆分) and co-handling units (主办/协办).
func init() {
	for k, v := range map[string][2]string{
		"status.merged":           {"已合并", "Merged"},
		"action.merge":            {"合并", "Merge"},
		"action.split":            {"拆分", "Split out"},
		"action.add_cohandler":    {"增加协办单位", "Add a co-handling unit"},
		"action.remove_cohandler": {"撤销协办单位", "Remove a co-handling unit"},
		"action.cohandler_reply":  {"提交协办意见", "Submit the co-handling part"},
		"stage.cohandle":          {"协办意见", "Co-handling part"},
		"merge.merged_into":       {"本工单已并入以下工单合并办理，结果以其为准：", "This order was merged into, and is handled with:"},
		"merge.merged_here":       {"并入本工单的诉求", "Reports merged into this order"},
		"merge.suggested":         {"疑似重复工单", "Possible duplicates"},
		"merge.window":            {"同一企业或同一检查，提交时间相差不超过", "Same enterprise or same inspection, filed within"},
		"merge.days":              {"天", "days"},
		"merge.same_enterprise":   {"同一企业", "same enterprise"},
		"merge.same_inspection":   {"同一检查", "same inspection"},
		"merge.into_this":         {"并入本工单", "Merge it into this order"},
		"merge.this_into":         {"本工单并入该单", "Merge this order into it"},
		"merge.split_reason":      {"拆分理由", "Why it is handled on its own"},
		"merge.split_hint":        {"拆分后工单退回受理状态，派单与办结时限自现在起重新计算。", "The order goes back to be dispatched; its dispatch and resolve limits count from now."},
		"cohandle.title":          {"主办与协办单位", "Lead and co-handling units"},
		"cohandle.pending":        {"协办单位尚未提交意见：主办单位须待各协办意见提交或协办时限届满后答复企业。", "A co-handling unit's part is awaited: the lead unit replies once every part is in or its limit has passed."},
		"cohandle.due":            {"协办时限", "part due"},
		"cohandle.answered":       {"已提交", "submitted"},
		"cohandle.awaited":        {"待提交", "awaited"},
		"cohandle.unit":           {"协办单位", "Co-handling unit"},
		"cohandle.until":          {"协办时限（可选）", "Part due by (optional)"},
		"cohandle.until_hint":     {"不填则按热线规定的协办时限计算。", "Left empty, the hotline's co-handling limit applies."},
		"cohandle.part":           {"协办意见", "Your part"},
		"cohandle.part_hint":      {"协办意见提交给主办单位，由主办单位统一答复企业。", "Your part goes to the lead unit, which replies to the enterprise for all."},
	} {
		messages[k] = v
	}
}
