package portal

func init() {
	for k, v := range map[string][2]string{
		"nav.settings":         {"通知设置", "Notifications"},
		"settings.title":       {"通知设置", "Notification settings"},
		"settings.hint":        {"站内信箱始终保存全部消息。短信和邮件按您的选择另行发送，每件事每种方式最多一次。", "Your in-app inbox always keeps every message. SMS and email are sent on top, as you choose here, at most once per event and channel."},
		"settings.lang":        {"短信和邮件语言", "Language of SMS and email"},
		"settings.sms":         {"接收短信", "Send me SMS"},
		"settings.mobile":      {"手机号码", "Mobile number"},
		"settings.email_on":    {"接收邮件", "Send me email"},
		"settings.email":       {"电子邮箱", "Email address"},
		"settings.muted":       {"以下类别不发短信和邮件（仍进站内信箱）", "Do not send these by SMS or email (they still reach the inbox)"},
		"err.email":            {"请输入有效的电子邮箱地址", "Enter a valid email address"},
		"err.group":            {"未知的消息类别", "Unknown message category"},
		"nav.admin.outbox":     {"短信邮件", "SMS & email"},
		"admin.outbox":         {"短信和邮件发件箱", "SMS and email outbox"},
		"admin.outbox.hint":    {"未配置短信网关和邮件服务器时，消息保存在这里供管理员查看；配置 QIJIAN_SMTP_URL 后邮件经 SMTP 发出，这里记录结果。", "Without an SMS gateway or mail server, messages are kept here for admins to read; with QIJIAN_SMTP_URL set, email goes out by SMTP and this records the outcome."},
		"admin.outbox.all":     {"全部", "All"},
		"admin.outbox.sms":     {"短信", "SMS"},
		"admin.outbox.email":   {"邮件", "Email"},
		"admin.outbox.when":    {"时间", "When"},
		"admin.outbox.channel": {"方式", "Channel"},
		"admin.outbox.to":      {"收件人", "To"},
		"admin.outbox.message": {"内容", "Message"},
		"admin.outbox.status":  {"状态", "Status"},
		"delivery.queued":      {"待发送", "Queued"},
		"delivery.sending":     {"发送中（结果未知）", "Sending (outcome unknown)"},
		"delivery.sent":        {"已发送", "Sent"},
		"delivery.failed":      {"发送失败", "Failed"},
	} {
		messages[k] = v
	}
}
