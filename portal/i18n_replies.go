package portal

// Replies and notes (issue 19 item 11): reply templates, the reply's files, internal notes.
func init() {
	for k, v := range map[string][2]string{
		"action.note":               {"内部备注", "Internal note"},
		"action.reply_file":         {"答复附件已上传，将随答复一并送达", "File uploaded; it goes out with the reply"},
		"nav.admin.reply_templates": {"答复模板", "Reply templates"},
		"replies.template":          {"答复模板", "Reply template"},
		"replies.use":               {"使用此模板", "Use this template"},
		"replies.text":              {"答复内容（企业可见）", "Reply (the enterprise reads it)"},
		"replies.file":              {"答复附件（可选）", "Attachment (optional)"},
		"replies.file.hint":         {"文书请用 PDF，照片用 JPEG 或 PNG，每个不超过 10 MB；文件按内容检查并去除元数据，随答复一并送达企业。", "Documents as PDF, photos as JPEG or PNG, at most 10 MB each; files are checked by content, stripped of metadata, and go to the enterprise with the reply."},
		"replies.more":              {"先上传附件（答复时一并送达）", "Upload a file first (it goes out with the reply)"},
		"replies.pending":           {"待随答复送达的附件：", "Files waiting to go out with the reply:"},
		"replies.files":             {"答复附件", "Reply attachments"},
		"replies.templates":         {"答复模板", "Reply templates"},
		"replies.templates.hint":    {"按诉求类型维护答复模板（中英文）；承办单位答复时可选用。停用的模板保留记录，不再提供。", "Reply templates per matter type, in Chinese and English, which the handling unit can start its reply from. A retired template stays on record and is offered no more."},
		"replies.new":               {"新增模板", "New template"},
		"replies.title_zh":          {"标题（中文）", "Title (Chinese)"},
		"replies.title_en":          {"标题（英文）", "Title (English)"},
		"replies.body_zh":           {"正文（中文）", "Text (Chinese)"},
		"replies.body_en":           {"正文（英文）", "Text (English)"},
		"replies.active":            {"使用中", "In use"},
		"replies.retired":           {"已停用", "Retired"},
		"replies.retired.hint":      {"此模板已停用；保存修改不会重新启用。", "This template is retired; saving changes does not bring it back."},
		"replies.retire":            {"停用", "Retire"},
		"replies.saved":             {"模板已保存。", "Template saved."},
		"replies.retired_done":      {"模板已停用。", "Template retired."},
		"replies.back":              {"返回列表", "Back to the list"},
		"notes.title":               {"内部备注（仅办理人员可见）", "Internal notes (handlers only)"},
		"notes.hint":                {"联络员、承办单位和管理员可见；企业和观测点看不到，也不会收到通知。", "Seen by liaisons, the handling unit and admins; the enterprise and the observation point never see them and are not told."},
		"notes.text":                {"备注内容", "Note"},
	} {
		messages[k] = v
	}
}
