package api

import "time"

// ComplaintParts is what an order shows of merges (合并) and co-handling units (主办/协办).
type ComplaintParts struct {
	MergedInto      *ComplaintLink       `json:"merged_into,omitempty" doc:"a merged duplicate: the main order it is handled with"`
	MergedCount     int                  `json:"merged_count" doc:"how many orders were merged into this one"`
	Merged          []ComplaintLink      `json:"merged" doc:"liaisons and admins: the orders merged into this one"`
	Duplicates      []ComplaintDuplicate `json:"duplicates" doc:"liaisons and admins: suggested duplicates (same enterprise or same inspection code within merge_window_days), named orders only"`
	MergeWindowDays int                  `json:"merge_window_days,omitempty"`
	CoHandlers      []ComplaintCohandler `json:"co_handlers" doc:"liaisons and officers: co-handling units and their parts (a co-handler sees its own only)"`
	CoPending       bool                 `json:"co_pending" doc:"the lead unit's reply waits on a co-handler's part, until it is in or its deadline passed"`
}

// ComplaintLink names another order.
type ComplaintLink struct {
	ID      uint64 `json:"id"`
	Number  string `json:"number"`
	Status  string `json:"status"`
	Visible bool   `json:"visible" doc:"the caller may open it"`
}

// ComplaintDuplicate is a suggested duplicate and why.
type ComplaintDuplicate struct {
	ComplaintLink
	SameEnterprise bool `json:"same_enterprise"`
	SameInspection bool `json:"same_inspection"`
}

// ComplaintCohandler is a co-handling unit (协办单位) and its part.
type ComplaintCohandler struct {
	UnitID     uint       `json:"unit_id"`
	AddedAt    time.Time  `json:"added_at"`
	DueAt      *time.Time `json:"due_at" doc:"its part's running deadline; null once in or past"`
	AnsweredAt *time.Time `json:"answered_at"`
	Part       string     `json:"part"`
}
