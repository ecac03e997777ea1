package api

// EnterprisePath is an enterprise named in the path.
type EnterprisePath struct {
	ID uint `param:"id"`
}

// Grades is an enterprise's credit grade (信用等级) and risk grade (风险等级) valid today, and
// their history (FREQ-2).
type Grades struct {
	EnterpriseID uint          `json:"enterprise_id"`
	Credit       string        `json:"credit" doc:"the credit grade valid today (A = 信用优良); empty when none is known"`
	Risk         string        `json:"risk" doc:"the risk grade valid today (low, medium, higher, high); empty when none is known"`
	History      []GradePeriod `json:"history" doc:"every period, by kind, latest first"`
}

// GradePeriod is one period of a grade.
type GradePeriod struct {
	Kind      string `json:"kind" validate:"oneof=credit risk"`
	Grade     string `json:"grade"`
	ValidFrom string `json:"valid_from" doc:"YYYY-MM-DD, Wenzhou"`
	ValidTo   string `json:"valid_to" doc:"YYYY-MM-DD, inclusive; empty while it holds"`
	Source    string `json:"source"`
}

// GradesImported is what an import of the credit bureau's list did.
type GradesImported struct {
	Imported int `json:"imported" doc:"the lines applied (all of them, or the import failed)"`
}
