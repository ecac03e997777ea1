package portal

// Supervision (督办): the documents of each rung, the rates, concentrated complaints, settings.
func init() {
	for k, v := range map[string][2]string{
		"nav.rates":                  {"考核指标", "Rates"},
		"supervise.links.items":      {"集中投诉督办事项", "Concentrated complaints"},
		"supervise.links.settings":   {"督办设置", "Supervision settings"},
		"supervise.docs.title":       {"督办文书", "Supervision documents"},
		"supervise.doc.back":         {"返回工单", "Back to the work order"},
		"supervise.doc.print":        {"用浏览器打印本页即得文书", "Print this page from the browser to get the document"},
		"supervise.doc.issuer":       {"发文单位", "Issued by"},
		"supervise.doc.recipient":    {"主送", "Addressed to"},
		"supervise.doc.reason":       {"事由", "Reason"},
		"supervise.doc.issued":       {"发文时间", "Issued"},
		"supervise.rates.title":      {"工单考核指标", "Hotline rates"},
		"supervise.rates.hint":       {"响应率＝按时签收数／派单数；办结率＝已办结数／派单工单数；解决率＝回访已解决数／回访知悉数；满意率＝满意数／回访知悉数。括号内为计数。", "Response rate = signed for in time / dispatched; close rate = closed / orders dispatched; solve rate = solved / follow-ups that know; satisfaction rate = satisfied / follow-ups that know. The counts are in brackets."},
		"supervise.rates.month":      {"月份", "Month"},
		"supervise.rates.county":     {"区县", "County"},
		"supervise.rates.city":       {"全市", "Whole city"},
		"supervise.rates.show":       {"查看", "Show"},
		"supervise.rates.unit":       {"承办单位", "Handling unit"},
		"supervise.rates.response":   {"响应率", "Response rate"},
		"supervise.rates.close":      {"办结率", "Close rate"},
		"supervise.rates.solve":      {"解决率", "Solve rate"},
		"supervise.rates.satisfy":    {"满意率", "Satisfaction rate"},
		"supervise.rates.total":      {"合计", "Total"},
		"supervise.rates.none":       {"本月尚无派单工单。", "No work orders were dispatched this month."},
		"supervise.items.title":      {"集中投诉督办事项", "Concentrated complaints"},
		"supervise.items.hint":       {"一个承办单位在一个自然月内收到的工单达到设定数量时，列入本表，供市级联络员研判是否约谈。", "A handling unit that gets the set number of work orders in one calendar month is listed here, for the city liaison to decide on a talk with it."},
		"supervise.items.none":       {"暂无集中投诉事项。", "No concentrated complaints."},
		"supervise.items.count":      {"本月工单数", "Work orders this month"},
		"supervise.items.limit":      {"设定数量", "limit"},
		"supervise.items.raised":     {"列入时间", "Listed"},
		"supervise.items.note":       {"处理情况（如约谈情况）", "How it was handled (the talk held, or why none)"},
		"supervise.items.handle":     {"标记为已处理", "Mark handled"},
		"supervise.items.handled":    {"已标记为已处理。", "Marked handled."},
		"supervise.items.done":       {"已处理", "Handled"},
		"supervise.settings.title":   {"督办设置", "Supervision settings"},
		"supervise.settings.limit":   {"单位月度工单数达到此数即列入集中投诉", "Work orders per unit and month that list it as concentrated"},
		"supervise.settings.contact": {"纪检监察联系人（移送对象）", "Discipline inspection contact (referrals go to it)"},
		"supervise.settings.mobile":  {"联系人手机号（移送时短信送达）", "Contact's mobile (each referral is sent to it by SMS)"},
		"supervise.settings.hint":    {"未设置手机号时，移送仍会记录并通知市级联络员，但不会送达纪检监察联系人。", "Without a mobile, a referral is still recorded and the city liaisons are told, but it does not reach the discipline inspection contact."},
	} {
		messages[k] = v
	}
}
