package portal

import "qijian/internal/grievance/lifecycle"

// Messages of the work order's 12345-grade steps: sign-for, coded returns, extensions, pauses,
// follow-up and re-handling.
func init() {
	for k, v := range map[string][2]string{
		"status.signed":            {"已签收", "Signed for"},
		"action.sign":              {"签收", "Sign for"},
		"stage.sign":               {"签收", "Sign for"},
		"orders.superseded":        {"已改派，重新计时", "Set aside by a transfer; timed anew"},
		"action.refuse_return":     {"退单不予认可，退回原单位办理", "Refuse the bounce: back to the unit"},
		"orders.return.code":       {"退单理由", "Reason for the bounce"},
		"orders.return.text":       {"退单说明", "Explanation"},
		"orders.return.by":         {"单位退单", "Bounced by the unit"},
		"orders.return.count":      {"退单次数", "Bounces"},
		"orders.refuse.reason":     {"不予认可的理由", "Why the unit must handle it"},
		"orders.transfer.hint":     {"改派至其他单位或热线时，剩余时限按新单位和热线重新计算。", "A transfer to another unit or hotline recomputes the remaining limits for them."},
		"stage.info":               {"企业补充材料", "Enterprise's answer"},
		"action.supply_info":       {"补充材料", "Supply the information"},
		"action.ask_extension":     {"申请延期", "Ask for an extension"},
		"action.approve_extension": {"同意延期", "Approve the extension"},
		"action.refuse_extension":  {"不同意延期", "Refuse the extension"},
		"orders.extension.until":   {"申请延期至", "Extend to"},
		"orders.extension.reason":  {"延期理由", "Reason for the extension"},
		"orders.extension.refuse":  {"不同意的理由", "Why not"},
		"orders.extension.pending": {"待审批的延期申请", "Extension awaiting approval"},
		"orders.extension.count":   {"已延期次数", "Extensions granted"},
		"orders.original_due":      {"原定时限", "originally due"},
		"orders.paused_for":        {"暂停计时", "paused"},
		"orders.working_hours":     {"个工作小时", "working hours"},
		"orders.paused_since":      {"等待企业补充材料，计时暂停自", "Waiting on the enterprise; clocks paused since"},
		"orders.supply.note":       {"补充内容", "What you add"},
		"err.extension.nothing":    {"没有可延期的办理时限", "There is no handling limit to extend"},
		"err.extension.length":     {"延期日期须晚于当前时限，且不超过允许的延期天数", "The date must be after the current limit and within the allowed extension"},
		"err.extension.day":        {"请选择一个工作日", "Choose a working day"},
		"action.record_follow_up":  {"记录回访结果", "Record the follow-up"},
		"action.follow_up_failed":  {"回访未联系上", "Follow-up: not reached"},
		"action.rehandle":          {"重办", "Re-handle"},
		"orders.follow.solved":     {"问题是否解决", "Solved"},
		"orders.follow.satisfied":  {"企业是否满意", "Satisfied"},
		"orders.follow.attempt":    {"联系时间与方式", "When and how it was tried"},
		"orders.yes":               {"是", "Yes"},
		"orders.no":                {"否", "No"},
		"orders.sign.hint":         {"签收后开始计算办理时限；未在时限内签收将提醒并升级督办。", "Signing for the order starts the handling; an order not signed for in time is reminded and escalated."},
	} {
		messages[k] = v
	}
	for code, names := range lifecycle.ReturnCodeNames {
		messages["return_code."+code] = names
	}
}
