package portal

// Messages of the forms: error summaries, one small form per action, confirmations before what
// cannot be undone, a complaint's progress and its filing confirmation.
func init() {
	for k, v := range map[string][2]string{
		"forms.summary":           {"提交前请先处理以下问题", "There is a problem"},
		"forms.back":              {"返回，不做更改", "Go back without changing anything"},
		"forms.note.optional":     {"补充说明（可不填）", "Note (optional)"},
		"forms.reply.note":        {"答复内容", "Your reply"},
		"forms.message.note":      {"留言内容", "Your message"},
		"forms.request_info.note": {"需要企业补充什么", "What the enterprise needs to supply"},
		"forms.supply_info.note":  {"补充的内容", "What you supply"},
		"forms.reopen.note":       {"哪里没有解决（可不填）", "What is still not solved (optional)"},
		"forms.channel.keep":      {"不改变渠道", "Keep the channel"},
		"forms.rating.1":          {"1 分 · 很不满意", "1 · Very dissatisfied"},
		"forms.rating.2":          {"2 分 · 不满意", "2 · Dissatisfied"},
		"forms.rating.3":          {"3 分 · 基本满意", "3 · Fairly satisfied"},
		"forms.rating.4":          {"4 分 · 满意", "4 · Satisfied"},
		"forms.rating.5":          {"5 分 · 非常满意", "5 · Very satisfied"},
		"forms.rating.given":      {"您的评价", "Your rating"},
		"forms.confirm.next":      {"提交后会先请您确认一次。", "You will be asked to confirm before it is done."},
		"forms.confirm.title":     {"请确认", "Check before you confirm"},
		"forms.confirm.escalate":  {"督办级别将从", "The supervision level goes from"},
		"forms.confirm.close":     {"工单将办结，企业会收到办结通知。", "The order will be closed and the enterprise told."},
		"forms.confirm.undo":      {"此操作确认后不能撤销。", "This cannot be undone once confirmed."},
		"forms.confirm.do":        {"确认并提交", "Confirm"},
		"forms.reveal.title":      {"查看匿名反映人", "Name the anonymous reporter"},
		"forms.reveal.lead":       {"企业选择了匿名反映。查看其身份会记入工单时间线和审计日志，反映企业本人能看到查看原因，被反映单位看不到。", "The enterprise chose to report anonymously. Naming it is written into the order's timeline and the audit log; the reporting enterprise sees your reason, the unit reported does not."},
		"forms.reveal.reason":     {"查看原因（必填）", "Why you need to know (required)"},
		"forms.reveal.do":         {"查看身份", "Name the reporter"},
		"action.reveal":           {"查看了匿名反映人身份", "Named the anonymous reporter"},
		"err.transfer.same":       {"请选择另一个承办单位或渠道", "Choose another unit or channel"},
		"forms.filed.title":       {"您的反映已提交", "Your report has been submitted"},
		"forms.filed.number":      {"工单编号", "Order number"},
		"forms.filed.next.title":  {"接下来会怎样", "What happens next"},
		"forms.filed.next":        {"监督联络员将在%s受理，受理后派给承办单位办理。每一步都会显示在下面的办理进度里，并发消息告诉您。", "A supervision liaison will accept it (%s), then send it to the unit that handles it. Each step shows in the progress below, and you get a message."},
		"forms.filed.next.soon":   {"监督联络员会尽快受理，受理后派给承办单位办理。每一步都会显示在下面的办理进度里。", "A supervision liaison will accept it soon and send it to the unit that handles it. Each step shows in the progress below."},
		"forms.filed.anon":        {"您选择了匿名：被反映的执法单位看不到您的企业名称；监督联络员也看不到，只有写明原因并记入审计后才能查看，查看和原因会显示在您的办理过程中。", "You chose to stay anonymous: the unit you reported never sees your name; supervision liaisons do not either, unless one writes down why and the look is audited, and you then see that look and its reason in the progress."},
		"forms.filed.named":       {"您没有选择匿名：监督联络员和承办单位能看到您的企业名称。", "You did not choose to stay anonymous: supervision liaisons and the handling unit see your enterprise's name."},
		"forms.photos":            {"照片或材料（可选，可多选）", "Photos or documents (optional, several allowed)"},
		"forms.progress":          {"办理进度", "Progress"},
		"forms.step.submit":       {"提交", "Submitted"},
		"forms.step.accept":       {"受理", "Accepted"},
		"forms.step.dispatch":     {"派单", "Dispatched"},
		"forms.step.handle":       {"办理", "Handled"},
		"forms.step.reply":        {"答复", "Replied"},
		"forms.step.follow_up":    {"回访", "Follow-up"},
		"forms.step.close":        {"办结", "Closed"},
		"forms.step.done":         {"（已完成）", "(done)"},
	} {
		messages[k] = v
	}
}
