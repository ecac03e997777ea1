package api

import "time"

// Appointment is an entrepreneur's request to meet a municipal body's head (约见).
type Appointment struct {
	ID            uint64     `json:"id"`
	BodyID        uint       `json:"body_id"`
	Topic         string     `json:"topic"`
	PreferredAt   *time.Time `json:"preferred_at"`
	MeetAt        *time.Time `json:"meet_at"`
	Place         string     `json:"place"`
	Status        string     `json:"status" validate:"oneof=requested proposed scheduled held declined cancelled"`
	Outcome       string     `json:"outcome"`
	Score         int        `json:"score" doc:"1 to 5 once rated, else 0"`
	RatingComment string     `json:"rating_comment"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Alert is a risk alert.
type Alert struct {
	ID         uint64    `json:"id"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Industries []string  `json:"industries" doc:"industry codes; empty: all"`
	Counties   []string  `json:"counties" doc:"county codes; empty: all"`
	Reached    int       `json:"reached" doc:"how many enterprises it reached"`
	CreatedAt  time.Time `json:"created_at"`
}

// Penalty is one entry of a body's published five-category penalty lists.
type Penalty struct {
	ID          uint   `json:"id"`
	Category    string `json:"category" validate:"oneof=none may_none mitigated lighter heavier"`
	Title       string `json:"title"`
	Basis       string `json:"basis"`
	Description string `json:"description"`
	PublishedOn string `json:"published_on"`
}

// Attachment is one of the three documents as a file.
type Attachment struct {
	Name  string `json:"name" validate:"oneof=decision advice credit_repair"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Bundle is the three documents delivered together (三书同达).
type Bundle struct {
	ID           uint64       `json:"id"`
	Number       string       `json:"number"`
	BodyID       uint         `json:"body_id"`
	EnterpriseID uint         `json:"enterprise_id"`
	CreatedAt    time.Time    `json:"created_at"`
	ReadAt       *time.Time   `json:"read_at" doc:"the enterprise's first reading"`
	Attachments  []Attachment `json:"attachments"`
	Decision     string       `json:"decision" doc:"行政处罚决定书"`
	Advice       string       `json:"advice" doc:"行政合规建议书"`
	CreditRepair string       `json:"credit_repair" doc:"信用修复告知书"`
	DecisionCode string       `json:"decision_code" doc:"the penalty decision's behaviour code (行政行为码), verifiable at verify_url"`
	VerifyURL    string       `json:"verify_url" doc:"the public page that verifies the decision's code"`
}
