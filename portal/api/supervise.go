package api

import "time"

// DocumentRef names one supervision document of one order (/complaints/{id}/documents/{docid}).
type DocumentRef struct {
	OrderID uint64 `param:"id"`
	ID      uint64 `param:"docid"`
}

// ComplaintDocument is a document a rung of the supervision ladder issued (督办): the reminder
// to the unit, the county justice bureau's letter, the city level's, or the referral to
// discipline inspection with its case summary.
type ComplaintDocument struct {
	ID        uint64    `json:"id"`
	Level     int       `json:"level"`
	Kind      string    `json:"kind" doc:"reminder (催办通知), county_letter (督办函), city_letter (市级督办函), referral (问题线索移送函)"`
	Title     string    `json:"title"`
	Number    string    `json:"number" doc:"its number, counted per series and year, e.g. 温司督〔2026〕3号"`
	Issuer    string    `json:"issuer"`
	Recipient string    `json:"recipient"`
	Reason    string    `json:"reason"`
	Body      string    `json:"body" doc:"the text as issued, in the caller's language"`
	CreatedAt time.Time `json:"created_at"`
	Page      string    `json:"page" doc:"the printable page"`
}

// RatesQuery is a period of Wenzhou dates, both days included (default: this month), and a
// county (default: the caller's own for a county liaison, else the whole city).
type RatesQuery struct {
	From   string `query:"from" validate:"omitempty,datetime=2006-01-02"`
	To     string `query:"to" validate:"omitempty,datetime=2006-01-02"`
	County string `query:"county" validate:"omitempty,max=12"`
}

// RateFigures are the four rates with the counts behind each.
type RateFigures struct {
	Dispatched       int64   `json:"dispatched" doc:"sign-for stages with an outcome"`
	SignedInTime     int64   `json:"signed_in_time"`
	ResponseRate     float64 `json:"response_rate" doc:"响应率: signed_in_time / dispatched"`
	Orders           int64   `json:"orders" doc:"orders dispatched or transferred to a unit in the period"`
	Closed           int64   `json:"closed"`
	CloseRate        float64 `json:"close_rate" doc:"办结率: closed / orders"`
	SolvedKnown      int64   `json:"solved_known" doc:"follow-ups that know whether it was solved"`
	Solved           int64   `json:"solved"`
	SolveRate        float64 `json:"solve_rate" doc:"解决率: solved / solved_known"`
	RatedKnown       int64   `json:"rated_known" doc:"follow-ups (or ratings) that know whether the enterprise is satisfied"`
	Satisfied        int64   `json:"satisfied"`
	SatisfactionRate float64 `json:"satisfaction_rate" doc:"满意率: satisfied / rated_known"`
}

// UnitRates are one handling unit's figures.
type UnitRates struct {
	UnitID uint   `json:"unit_id"`
	Name   string `json:"name"`
	RateFigures
}

// Rates are the hotline rates of a period per handling unit and in total.
type Rates struct {
	County string      `json:"county" doc:"empty: the whole city"`
	From   string      `json:"from"`
	To     string      `json:"to"`
	Total  RateFigures `json:"total"`
	Units  []UnitRates `json:"units"`
}

// SupervisionQuery picks a month (YYYY-MM; empty: all).
type SupervisionQuery struct {
	Month string `query:"month" validate:"omitempty,datetime=2006-01"`
}

// SupervisionItem is a unit that got many orders in one month (concentrated complaints, 约谈).
type SupervisionItem struct {
	ID        uint64     `json:"id"`
	UnitID    uint       `json:"unit_id"`
	Unit      string     `json:"unit"`
	Month     string     `json:"month"`
	Orders    int        `json:"orders" doc:"orders the unit got that month"`
	Limit     int        `json:"limit" doc:"the monthly limit when it was raised"`
	OrderRefs []OrderRef `json:"order_refs"`
	RaisedAt  time.Time  `json:"raised_at"`
	HandledAt *time.Time `json:"handled_at,omitempty"`
	Note      string     `json:"note"`
}

// OrderRef names an order.
type OrderRef struct {
	ID     uint64 `json:"id"`
	Number string `json:"number"`
}

// SupervisionItems is the list.
type SupervisionItems struct {
	Items []SupervisionItem `json:"items"`
}

// HandleItem is the city liaison's note on an item (a talk held, or why none is needed).
type HandleItem struct {
	Note string `json:"note" form:"note" validate:"required,max=2000"`
}
