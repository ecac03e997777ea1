package portal

import "qijian/internal/grievance/lifecycle"

// Messages of the work order's 12345-grade steps: sign-for, coded returns, extensions, pauses,
// follow-up and re-handling.
func init() {
	for k, v := range map[string][2]string{
		"status.signed":        {"已签收", "Signed for"},
		"action.sign":          {"签收", "Sign for"},
		"stage.sign":           {"签收", "Sign for"},
		"orders.superseded":    {"已改派，重新计时", "Set aside by a transfer; timed anew"},
		"action.refuse_return": {"退单不予认可，退回原单位办理", "Refuse the bounce: back to the unit"},
		"orders.return.code":   {"退单理由", "Reason for the bounce"},
		"orders.return.text":   {"退单说明", "Explanation"},
		"orders.return.by":     {"单位退单", "Bounced by the unit"},
		"orders.return.count":  {"退单次数", "Bounces"},
		"orders.refuse.reason": {"不予认可的理由", "Why the unit must handle it"},
		"orders.transfer.hint": {"改派至其他单位或热线时，剩余时限按新单位和热线重新计算。", "A transfer to another unit or hotline recomputes the remaining limits for them."},
		"orders.sign.hint":     {"签收后开始计算办理时限；未在时限内签收将提醒并升级督办。", "Signing for the order starts the handling; an order not signed for in time is reminded and escalated."},
	} {
		messages[k] = v
	}
	for code, names := range lifecycle.ReturnCodeNames {
		messages["return_code."+code] = names
	}
}
