package api

import "time"

// JointRequest is a joint inspection another body named the caller's body in, awaiting its
// answer.
type JointRequest struct {
	InspectionID uint64    `json:"inspection_id"`
	Kind         string    `json:"kind"`
	ScheduledAt  time.Time `json:"scheduled_at"`
	Place        string    `json:"place"`
	Enterprise   string    `json:"enterprise" doc:"the enterprise to be inspected"`
	Coordinator  string    `json:"coordinator" doc:"the body that registered and coordinates it"`
}

// JointRequests lists the joint inspections awaiting the caller's body's answer.
type JointRequests struct {
	Items []JointRequest `json:"items"`
}

// JointAnswer is a body's answer to its part in a joint inspection.
type JointAnswer struct {
	Answer string `json:"answer" form:"answer" validate:"required,oneof=confirm decline"`
}

// JointAnswered is the part's state after the answer.
type JointAnswered struct {
	InspectionID uint64 `json:"inspection_id"`
	State        string `json:"state" validate:"oneof=confirmed declined"`
}
