package portal

// Messages of the work order's 12345-grade steps: sign-for, coded returns, extensions, pauses,
// follow-up and re-handling.
func init() {
	for k, v := range map[string][2]string{
		"status.signed":     {"已签收", "Signed for"},
		"action.sign":       {"签收", "Sign for"},
		"stage.sign":        {"签收", "Sign for"},
		"orders.superseded": {"已改派，重新计时", "Set aside by a transfer; timed anew"},
		"orders.sign.hint":  {"签收后开始计算办理时限；未在时限内签收将提醒并升级督办。", "Signing for the order starts the handling; an order not signed for in time is reminded and escalated."},
	} {
		messages[k] = v
	}
}
