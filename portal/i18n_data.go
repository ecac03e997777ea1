package portal

// Texts of uploads (decode budget, PDF checks, quota), anonymity, the outbox's masking and
// reveal, the calendar feed's new link and the rating form's notice.
func init() {
	for k, v := range map[string][2]string{
		"err.image_pixels":      {"图片像素过多，无法安全处理：请缩小尺寸（例如手机“中等”画质）后再上传", "The picture has too many pixels to process safely: make it smaller (a phone's medium size, say) and upload it again"},
		"err.uploads_busy":      {"上传的文件正在排队处理，请稍后再试", "Uploaded files are queued for processing; please try again in a moment"},
		"err.pdf_invalid":       {"这不是一个完整、可读的 PDF 文件，请重新导出或打印为 PDF 后再上传", "This is not a complete, readable PDF: export or print it to PDF again and upload that"},
		"err.pdf_active":        {"PDF 含有脚本、附件、表单或密码保护，出于安全不能接收：请“打印为 PDF”后上传，或上传图片", "The PDF holds scripts, attachments, forms or a password, which cannot be accepted: print it to PDF and upload that, or upload a picture"},
		"err.upload_quota":      {"今天上传的文件已达每人每日上限，请明天再传；如确有需要，请联系监督联络员", "You have reached today's upload limit; please upload the rest tomorrow, or contact a supervision liaison if it cannot wait"},
		"role.reporter":         {"反映人", "Reporter"},
		"orders.code.hint":      {"匿名时：被反映单位看不到您填写的行为码（它能对应到您的企业）；监督联络员只有在留痕的“查看身份”时才能看到。请注意，您在描述里写的内容会原样给承办单位看到。", "If you stay anonymous, the body you report will not see the code (it leads to your enterprise); a supervision liaison sees it only through a recorded reveal. What you write in the description is shown to the handling unit as written."},
		"insp.rate.notice":      {"请注意：评价和意见会连同贵企业名称一并送达实施检查的单位，不是匿名的。如需匿名反映问题，请使用“反映问题”并勾选匿名。", "Please note: your rating and comment reach the inspecting body with your enterprise's name; they are not anonymous. To report a problem anonymously, use \"Report\" and tick anonymous."},
		"bookings.feed.new":     {"换一个新链接", "Make a new link"},
		"bookings.feed.hint":    {"换新链接后，旧链接立即失效，已订阅旧链接的日历将不再更新。", "Once you make a new link, the old one stops working at once, and calendars subscribed to it no longer update."},
		"bookings.feed.done":    {"已生成新的订阅链接，旧链接已失效", "A new feed link was made; the old one no longer works"},
		"admin.outbox.masked":   {"收件人和称呼已部分隐去；查看完整内容会被记入审计日志。", "Recipients and names are partly hidden; showing one in full is recorded in the audit log."},
		"admin.outbox.reveal":   {"查看完整内容（留痕）", "Show in full (recorded)"},
		"admin.outbox.revealed": {"以下为完整内容，本次查看已记入审计日志。", "Shown in full below; this look was recorded in the audit log."},
	} {
		messages[k] = v
	}
}
