package api

import "time"

// ComplaintNote is an internal note (内部备注): for the order's handlers only (liaisons, the
// handling unit's officers, admins); never in any answer to the enterprise or the observation
// point.
type ComplaintNote struct {
	ID   uint64    `json:"id"`
	At   time.Time `json:"at"`
	By   string    `json:"by" doc:"the writer's role"`
	Text string    `json:"text"`
}

// ReplyTemplate is a reply template (答复模板) for one matter type, in Chinese and English.
type ReplyTemplate struct {
	ID      uint   `json:"id"`
	Type    string `json:"type" validate:"oneof=illegal_inspection missing_code conduct appeal consultation" doc:"the matter type (the order's type) it is offered for"`
	TitleZh string `json:"title_zh"`
	TitleEn string `json:"title_en"`
	BodyZh  string `json:"body_zh"`
	BodyEn  string `json:"body_en"`
	Retired bool   `json:"retired" doc:"retired templates are kept on record and offered no more"`
}

// TemplateQuery picks the templates of one matter type.
type TemplateQuery struct {
	Type string `query:"type" validate:"omitempty,oneof=illegal_inspection missing_code conduct appeal consultation"`
}

// ReplyFileRef names one file of an order's reply (/complaints/{id}/reply-files/{fid}).
type ReplyFileRef struct {
	OrderID uint64 `param:"id"`
	ID      uint64 `param:"fid"`
}
