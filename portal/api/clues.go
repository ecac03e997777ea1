package api

import "time"

// Clue is a clue the automatic checks raised, waiting for review or reviewed (dismissed or merged).
type Clue struct {
	ID         uint64               `json:"id" doc:"the order's id, as in /api/v1/complaints/{id}"`
	Number     string               `json:"number"`
	Status     string               `json:"status" validate:"oneof=clue dismissed" doc:"clue: waiting for review; dismissed: dismissed or merged"`
	Type       string               `json:"type"`
	Channel    string               `json:"channel" validate:"oneof=12345 12348"`
	County     string               `json:"county"`
	Rules      []string             `json:"rules" doc:"the rule ids the checks found broken"`
	Evidence   string               `json:"evidence" doc:"what the checks saw"`
	CreatedAt  time.Time            `json:"created_at"`
	ReviewDue  *time.Time           `json:"review_due" doc:"the review limit (3 working days by default); null once reviewed"`
	Enterprise *ComplaintEnterprise `json:"enterprise,omitempty"`
}

// TimeLimit is one row of the time-limits table: channel × matter type × urgent × stage.
type TimeLimit struct {
	ID       uint   `json:"id"`
	Channel  string `json:"channel" validate:"oneof=12345 12348"`
	Type     string `json:"type" doc:"a matter type, or * for every type (the channel's fallback)"`
	Stage    string `json:"stage" validate:"oneof=accept dispatch sign reply resolve info review cohandle"`
	Urgent   bool   `json:"urgent" doc:"the row holds for urgent orders (紧急) only"`
	Amount   int    `json:"amount"`
	Unit     string `json:"unit" validate:"oneof=hours days" doc:"working hours or working days"`
	Fallback bool   `json:"fallback" doc:"the channel's row for every type, not urgent: edited, never removed"`
}
