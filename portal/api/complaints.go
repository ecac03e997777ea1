package api

import "time"

// Filed is the answer to a filing: the new order, or with a repeated Idempotency-Key the order
// its first use made.
type Filed struct {
	ID      uint64 `json:"id" doc:"how the order is named in links; an anonymous order's is an opaque reference (2^52 and up), not its place in any sequence"`
	Number  string `json:"number" doc:"the public number: QJ + year + sequence; an anonymous order's QJ + year + N + ten characters that follow from nothing"`
	Status  string `json:"status" validate:"oneof=submitted accepted dispatched signed in_progress replied follow_up closed returned merged clue dismissed"`
	Channel string `json:"channel" validate:"oneof=12345 12348"`
}

// Complaint is a work order (工单) in a list, as the caller may see it.
type Complaint struct {
	ID         uint64               `json:"id"`
	Number     string               `json:"number"`
	Type       string               `json:"type" validate:"oneof=illegal_inspection missing_code conduct appeal consultation help complaint report suggestion"`
	Status     string               `json:"status" validate:"oneof=submitted accepted dispatched signed in_progress replied follow_up closed returned merged clue dismissed"`
	Level      int                  `json:"level" doc:"the supervision (督办) level, 0 to 4"`
	LevelName  string               `json:"level_name" doc:"the level's name in the caller's language"`
	Channel    string               `json:"channel" validate:"oneof=12345 12348"`
	Source     string               `json:"source,omitempty" validate:"omitempty,oneof=enterprise observer system phone" doc:"how it came in (left out where the caller may not know who filed an anonymous order): filed by the enterprise, by an observation point, raised by the automatic checks (system), or taken by a hotline operator on a call (phone, 电话)"`
	County     string               `json:"county" doc:"the county code; empty where it would narrow an anonymous reporter down (to the handling unit)"`
	Anonymous  bool                 `json:"anonymous"`
	CreatedAt  time.Time            `json:"created_at" doc:"to the hour for those who may not know an anonymous order's reporter, as every time of such an order"`
	NextDueAt  *time.Time           `json:"next_due_at" doc:"the nearest open deadline; null when none runs"`
	ClosedAt   *time.Time           `json:"closed_at"`
	UnitID     uint                 `json:"unit_id,omitempty" doc:"the handling unit, once dispatched"`
	BodyID     uint                 `json:"body_id,omitempty" doc:"the body reported, if named"`
	Enterprise *ComplaintEnterprise `json:"enterprise,omitempty" doc:"absent when the caller may not know who filed it (an anonymous order)"`
	Urgent     bool                 `json:"urgent" doc:"紧急: the order runs on the urgent time limits"`
}

// ComplaintEnterprise is the enterprise an order concerns.
type ComplaintEnterprise struct {
	ID   uint   `json:"id"`
	Name string `json:"name"`
}

// ComplaintDetail is one order with its timeline, deadlines, files and the moves open to the
// caller.
type ComplaintDetail struct {
	ID             uint64               `json:"id"`
	Number         string               `json:"number"`
	Type           string               `json:"type" validate:"oneof=illegal_inspection missing_code conduct appeal consultation help complaint report suggestion"`
	Status         string               `json:"status" validate:"oneof=submitted accepted dispatched signed in_progress replied follow_up closed returned merged clue dismissed"`
	Level          int                  `json:"level"`
	LevelName      string               `json:"level_name"`
	Channel        string               `json:"channel" validate:"oneof=12345 12348"`
	Source         string               `json:"source,omitempty" validate:"omitempty,oneof=enterprise observer system phone" doc:"how it came in (left out where the caller may not know who filed an anonymous order): filed by the enterprise, by an observation point, raised by the automatic checks (system), or taken by a hotline operator on a call (phone, 电话)"`
	County         string               `json:"county"`
	Anonymous      bool                 `json:"anonymous"`
	CreatedAt      time.Time            `json:"created_at"`
	NextDueAt      *time.Time           `json:"next_due_at"`
	ClosedAt       *time.Time           `json:"closed_at"`
	UnitID         uint                 `json:"unit_id,omitempty"`
	BodyID         uint                 `json:"body_id,omitempty"`
	Enterprise     *ComplaintEnterprise `json:"enterprise,omitempty" doc:"absent when the caller may not know who filed it (an anonymous order)"`
	Description    string               `json:"description"`
	InspectionCode string               `json:"inspection_code" doc:"the behaviour code the report names; empty for an anonymous order to anyone who may not know its reporter (a liaison sees it by the audited reveal)"`
	Rating         int                  `json:"rating" doc:"the filer's satisfaction, 1 to 5; 0 before rating"`
	ReopenCount    int                  `json:"reopen_count"`
	Reasons        []string             `json:"reasons" doc:"the rule ids the report names (illegal inspections)"`
	Timeline       []ComplaintEvent     `json:"timeline"`
	Deadlines      []ComplaintDeadline  `json:"deadlines"`
	Evidence       []ComplaintFile      `json:"evidence" doc:"the files the caller may open"`
	CanAttach      bool                 `json:"can_attach" doc:"the caller filed it and it is open"`
	AllowedActions []string             `json:"allowed_actions" doc:"the actions the caller may take now"`
	ReturnCount    int                  `json:"return_count" doc:"how many times handling units bounced the order (退单); the second raises it a rung"`
	ExtensionCount int                  `json:"extension_count" doc:"extensions (延期) granted"`
	Extension      *ComplaintExtension  `json:"extension,omitempty" doc:"an extension the unit asked for, awaiting the liaison"`
	FollowUp       ComplaintFollowUp    `json:"follow_up" doc:"the follow-up's answer (回访)"`
	PausedSince    *time.Time           `json:"paused_since" doc:"waiting on the enterprise (补充材料) since then: the stage clocks stand still; null when running"`
	Return         *ComplaintReturn     `json:"return,omitempty" doc:"while the order is returned: the unit's reason"`
	Notes          []ComplaintNote      `json:"notes,omitempty" doc:"internal notes (内部备注), to the order's handlers only; absent for anyone else"`
	PendingFiles   []ComplaintFile      `json:"pending_reply_files,omitempty" doc:"files uploaded for the reply and not yet sent with it, to the order's handlers only"`
	Parts          ComplaintParts       `json:"parts" doc:"merges (合并) and co-handling units (协办)"`
	Documents      []ComplaintDocument  `json:"documents" doc:"the supervision documents (督办) the caller may read: staff all, the unit all but a referral, the enterprise none"`
	Urgent         bool                 `json:"urgent" doc:"紧急: the order runs on the urgent time limits"`
}

// ComplaintFollowUp is the follow-up's answer, solved and satisfied apart (解决率, 满意率), and the
// documented failures to reach the enterprise (three let the order close without its answer).
type ComplaintFollowUp struct {
	Solved    *bool `json:"solved" doc:"null until recorded"`
	Satisfied *bool `json:"satisfied" doc:"null until recorded; a rating of 1 or 2 is not satisfied"`
	Failures  int   `json:"failures"`
}

// ComplaintExtension is a pending request for more time: the due time asked for and why.
type ComplaintExtension struct {
	Until  time.Time `json:"until"`
	Reason string    `json:"reason"`
}

// ComplaintReturn is a unit's bounce (退单): its coded reason, by name, and its words.
type ComplaintReturn struct {
	Code   string `json:"code" validate:"oneof=not_our_duty incomplete duplicate outside_area not_admissible other"`
	Name   string `json:"name" doc:"the code's name in the caller's language"`
	Reason string `json:"reason"`
}

// ComplaintEvent is one line of the timeline: the actor's role and who acted (the handling unit or
// the office; never an anonymous reporter).
type ComplaintEvent struct {
	At     time.Time       `json:"at"`
	Action string          `json:"action"`
	From   string          `json:"from"`
	To     string          `json:"to"`
	Level  int             `json:"level"`
	Note   string          `json:"note"`
	By     string          `json:"by" doc:"the actor's role; an anonymous order's filer, enterprise or observation point, is reporter to those who may not know it"`
	Who    string          `json:"who" doc:"who acted: an officer's unit (to staff with the officer's account name), a liaison's or admin's office, the filer's name where the caller may know it; empty for the system and a hidden reporter"`
	Files  []ComplaintFile `json:"files,omitempty" doc:"a reply's attachments (GET /complaints/{id}/reply-files/{fid})"`
}

// ComplaintDeadline is one stage's deadline.
type ComplaintDeadline struct {
	Stage         string     `json:"stage" validate:"oneof=accept dispatch sign reply resolve info cohandle review" doc:"info: the enterprise's limit to answer a request for more; cohandle: a co-handling unit's part (unit_id); review: a liaison's limit to review a clue"`
	Round         int        `json:"round" doc:"1, and one more for each reopening"`
	DueAt         time.Time  `json:"due_at"`
	RemindAt      time.Time  `json:"remind_at"`
	OriginalDueAt *time.Time `json:"original_due_at" doc:"the due time before an approved extension moved it; null if never moved"`
	PausedMinutes int        `json:"paused_minutes" doc:"working minutes the stage stood still while the order waited on the enterprise"`
	State         string     `json:"state" validate:"oneof=running met breached superseded" doc:"superseded: set aside unmet when the order moved to another unit or channel"`
	UnitID        uint       `json:"unit_id,omitempty" doc:"cohandle: the co-handling unit whose part it is"`
}

// ComplaintFile is an evidence file; no file name is kept.
type ComplaintFile struct {
	ID          uint64    `json:"id"`
	ContentType string    `json:"content_type" validate:"oneof=image/jpeg image/png application/pdf"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

// EvidenceAdded is the answer to an upload: the new file's id.
type EvidenceAdded struct {
	ID uint64 `json:"id"`
}

// Revealed names the enterprise behind an anonymous order, and the inspection the order names.
type Revealed struct {
	Enterprise     RevealedEnterprise `json:"enterprise"`
	InspectionCode string             `json:"inspection_code" doc:"the behaviour code the report names, if any"`
}

// RevealedEnterprise is who filed, with how to reach them.
type RevealedEnterprise struct {
	ID          uint   `json:"id"`
	Name        string `json:"name"`
	USCC        string `json:"uscc"`
	ContactName string `json:"contact_name"`
	Mobile      string `json:"mobile"`
}

// EvidenceRef names one file of one order (/complaints/{id}/evidence/{eid}).
type EvidenceRef struct {
	OrderID uint64 `param:"id"`
	ID      uint64 `param:"eid"`
}

// IntakeFiled is the order a hotline operator made of a call, with what it reads back to the
// caller: the number and the enterprise the caller was verified as.
type IntakeFiled struct {
	ID         uint64 `json:"id" doc:"how the order is named in links (an anonymous order's is an opaque reference)"`
	Number     string `json:"number" doc:"the number to read back to the caller"`
	Status     string `json:"status" validate:"oneof=submitted accepted dispatched signed in_progress replied follow_up closed returned"`
	Channel    string `json:"channel" validate:"oneof=12345 12348"`
	Source     string `json:"source" validate:"oneof=phone"`
	Enterprise string `json:"enterprise,omitempty" doc:"the enterprise the caller was verified as; absent when the caller asked to stay anonymous"`
}
