package api

import "time"

// Inspections, their case files and the enforcement bodies' master data (SUBJ-2, LIST-1, PLAN-1).

// Inspection is one inspection the caller may see: its notice, the open-book list and the
// rating; for those who may read the case file also its records and FREQ-3 merges.
type Inspection struct {
	ID                uint64             `json:"id"`
	NoticeNumber      string             `json:"notice_number" doc:"the notice's number, 温企检通〔year〕number号"`
	Kind              string             `json:"kind" validate:"oneof=planned special triggered requested joint"`
	Status            string             `json:"status" validate:"oneof=scheduled notified in_progress done cancelled merged"`
	Code              string             `json:"code" doc:"the administrative behaviour code (行政行为码)"`
	ScheduledAt       time.Time          `json:"scheduled_at"`
	Place             string             `json:"place"`
	County            string             `json:"county"`
	Bodies            []string           `json:"bodies" doc:"the enforcement bodies' names, the lead body first"`
	PendingBodies     []string           `json:"pending_bodies,omitempty" doc:"bodies a joint inspection names that have not confirmed their part yet: they take part once they do"`
	NoticeDeliveredAt *time.Time         `json:"notice_delivered_at"`
	NoticeAckAt       *time.Time         `json:"notice_ack_at" doc:"when the enterprise acknowledged the notice"`
	Inspectors        []InspectionPerson `json:"inspectors"`
	Items             []InspectionItem   `json:"items" doc:"the items to be checked, the open-book list (开卷检查)"`
	Rating            *InspectionRating  `json:"rating,omitempty" doc:"the enterprise's rating, once given"`
	Records           *[]CaseRecord      `json:"records,omitempty" doc:"the case file (RECORD-1); only in GET /inspections/{id}, for its bodies, the enterprise, liaisons and admins"`
	Merged            *[]uint64          `json:"merged,omitempty" doc:"the planned tasks this triggered visit carried out (FREQ-3); with records"`
	MergedInto        *uint64            `json:"merged_into,omitempty" doc:"the visit that carried this planned task out (FREQ-3); with records"`
	Notice            *NoticeVerdict     `json:"notice,omitempty" doc:"the notice's verdict (NOTICE-1), as the public verify page reads it; only in GET /inspections/{id}, not for a cancelled or merged one"`
}

// NoticeVerdict is NOTICE-1's verdict on an inspection's notice (docs/rules.md).
type NoticeVerdict struct {
	State       string     `json:"state" validate:"oneof=on_time late not_yet_due not_delivered withheld"`
	LatestDay   string     `json:"latest_day,omitempty" doc:"the latest delivery day, YYYY-MM-DD: three working days counted back from the inspection day"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty" doc:"the delivery that counts: the earlier of the recorded delivery and the enterprise's signing"`
	Basis       string     `json:"basis,omitempty" doc:"for a withheld notice, the law and article that forbid prior notice"`
}

// InspectionPerson is an inspector as the notice names them.
type InspectionPerson struct {
	Name       string    `json:"name"`
	Credential string    `json:"credential" doc:"the enforcement credential's number"`
	ValidTo    time.Time `json:"valid_to"`
}

// InspectionItem is an item the inspection covers.
type InspectionItem struct {
	Name     string `json:"name"`
	Basis    string `json:"basis" doc:"its legal basis"`
	Method   string `json:"method"`
	Standard string `json:"standard"`
}

// InspectionRating is the enterprise's rating of an inspection.
type InspectionRating struct {
	Score           int    `json:"score"`
	Comment         string `json:"comment"`
	CodeShown       bool   `json:"code_shown"`
	CredentialShown bool   `json:"credential_shown"`
	DataDemanded    bool   `json:"data_demanded"`
	Disrupted       bool   `json:"disrupted"`
}

// CaseRecord is one document of an inspection's case file.
type CaseRecord struct {
	ID          uint64 `json:"id"`
	Kind        string `json:"kind"`
	Number      string `json:"number"`
	IssuedOn    string `json:"issued_on" doc:"YYYY-MM-DD"`
	Summary     string `json:"summary"`
	File        bool   `json:"file" doc:"a file is on record (downloaded from the page)"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// InspectionList is the inspections the caller may see, latest first.
type InspectionList struct {
	Items    []Inspection    `json:"items"`
	ThisYear *[]YearStanding `json:"this_year,omitempty" doc:"an enterprise's own: this year's counted inspections per body against the cap (FREQ-1/2)"`
}

// YearStanding is an enterprise's count of counted inspections by one body this year.
type YearStanding struct {
	BodyID uint   `json:"body_id"`
	Body   string `json:"body"`
	Count  int    `json:"count"`
	Cap    int    `json:"cap"`
	Over   bool   `json:"over"`
}

// InspectionRegistered answers a registration: 201 when new, 200 for a push already on record.
type InspectionRegistered struct {
	ID        uint64 `json:"id"`
	Code      string `json:"code"`
	VerifyURL string `json:"verify_url" doc:"the public verification page of the code"`
	Status    string `json:"status" validate:"oneof=scheduled notified in_progress done cancelled merged"`
	// PendingBodyIDs: other bodies named, taking part only once each confirms.
	PendingBodyIDs []uint `json:"pending_body_ids,omitempty" doc:"bodies named beside the registering one: they take part (and count toward their caps) only once an officer of each confirms"`
}

// InspectionStatus is an inspection's status after a move.
type InspectionStatus struct {
	ID     uint64 `json:"id"`
	Status string `json:"status" validate:"oneof=scheduled notified in_progress done cancelled merged"`
}

// ImportReport is the outcome of a CSV import, row by row.
type ImportReport struct {
	Imported int         `json:"imported" doc:"rows registered as new inspections"`
	Rows     []ImportRow `json:"rows"`
}

// ImportRow is one CSV row's outcome.
type ImportRow struct {
	Row    int               `json:"row" doc:"the line in the file (the header is line 1)"`
	OK     bool              `json:"ok"`
	ID     uint64            `json:"id,omitempty"`
	Code   string            `json:"code,omitempty"`
	New    bool              `json:"new,omitempty" doc:"false for a row whose external_id was already on record"`
	Errors map[string]string `json:"errors,omitempty" doc:"the columns at fault, each with its message"`
}

// BodyPath names the enforcement body a path is about (/bodies/{id}/…).
type BodyPath struct {
	ID uint `param:"id"`
}

// Inspector is one of a body's inspectors (SUBJ-2).
type Inspector struct {
	ID           uint      `json:"id"`
	BodyID       uint      `json:"body_id"`
	Name         string    `json:"name"`
	CredentialNo string    `json:"credential_no"`
	ValidFrom    time.Time `json:"valid_from"`
	ValidTo      time.Time `json:"valid_to"`
	Staff        string    `json:"staff" validate:"oneof=on_post auxiliary grid_worker temporary"`
	Active       bool      `json:"active"`
}

// Item is an entry of a body's inspection item list (LIST-1).
type Item struct {
	ID          uint       `json:"id"`
	BodyID      uint       `json:"body_id"`
	Name        string     `json:"name"`
	LegalBasis  string     `json:"legal_basis"`
	Method      string     `json:"method"`
	Standard    string     `json:"standard"`
	PublishedOn *time.Time `json:"published_on"`
	WithdrawnOn *time.Time `json:"withdrawn_on"`
	AudioVideo  bool       `json:"audio_video" doc:"an audio/video record is required (RECORD-1)"`
}

// Plan is a body's annual inspection plan (PLAN-1).
type Plan struct {
	ID          uint       `json:"id"`
	BodyID      uint       `json:"body_id"`
	Year        int        `json:"year"`
	Title       string     `json:"title"`
	PublishedOn *time.Time `json:"published_on"`
	ChangedAt   *time.Time `json:"changed_at" doc:"when it changed after publication, which the checks flag"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}
