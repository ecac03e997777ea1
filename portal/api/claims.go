package api

import "time"

// Application is an enterprise application (a login's claim on a credit code) as its applicant
// or a reviewer sees it.
type Application struct {
	ID             uint64     `json:"id"`
	Username       string     `json:"username"`
	USCC           string     `json:"uscc"`
	Name           string     `json:"name" doc:"the name the applicant gave"`
	County         string     `json:"county"`
	Industry       string     `json:"industry"`
	ContactName    string     `json:"contact_name"`
	Mobile         string     `json:"mobile"`
	Status         string     `json:"status" validate:"oneof=pending approved refused"`
	Reason         string     `json:"reason,omitempty" doc:"a refusal's reason"`
	Licence        bool       `json:"licence" doc:"a business licence was uploaded"`
	ContactChecked bool       `json:"contact_checked"`
	CreatedAt      time.Time  `json:"created_at"`
	ReviewedAt     *time.Time `json:"reviewed_at,omitempty"`
}

// ClaimReview is an application with what its reviewer weighs.
type ClaimReview struct {
	Application
	RegisteredName string        `json:"registered_name" doc:"the name the credit code is registered under now"`
	DuplicateName  bool          `json:"duplicate_name" doc:"another credit code's enterprise or application has this name"`
	Rivals         []Application `json:"rivals" doc:"the other applications for the same credit code: a dispute"`
	Holders        int           `json:"holders" doc:"logins acting for the code without an application"`
	CountyMismatch bool          `json:"county_mismatch" doc:"the code's registration authority is neither the county applied for nor the city's"`
}

// ClaimQueue is the review queue: the applications awaiting a decision, oldest first.
type ClaimQueue struct {
	Items []ClaimReview `json:"items"`
}
