package grievance

import (
	"context"
	"fmt"
	"unicode/utf8"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// Query narrows a list of orders: the query string of GET /api/v1/complaints and of the queue
// page. Whatever it asks, the list stays within what the caller may see.
type Query struct {
	Status  string `query:"status" doc:"one status, e.g. submitted"`
	Channel string `query:"channel" doc:"12345 or 12348"`
	Type    string `query:"type" doc:"one complaint type"`
	Rule    string `query:"rule" doc:"a rule id among the order's reasons (a clue's rule, or one the filer named), e.g. NOTICE-1"`
	Clues   bool   `query:"clues" doc:"only the clues the automatic checks raised"`
	Level   *int   `query:"level" doc:"the supervision level, 0 to 4"`
	Late    bool   `query:"late" doc:"a deadline is already past"`
	AtRisk  bool   `query:"at_risk" doc:"a reminder time has passed but not the deadline"`
	County  string `query:"county" doc:"one county (city-level liaisons and admins; others keep their own)"`
	Limit   int    `query:"limit" doc:"how many orders, up to 500 (absent or larger: 200)"`
	Q       string `query:"q" doc:"search: an order number or part of it, an enterprise's name or part of it, or its credit code; anonymous orders are found by their number only, unless the caller may know their reporter"`
}

// badQuery names a query parameter the list cannot be narrowed by.
func badQuery(field string) error {
	return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: map[string]string{field: "err.invalid"}}
}

// filter is q within by's scope, as the store's filter. A caller without a scope lists nothing:
// ErrForbidden, never every order.
func (s *Service) filter(by account.Actor, q Query) (store.OrderFilter, error) {
	if q.Rule != "" && !lifecycle.ValidReason(q.Rule) {
		return store.OrderFilter{}, badQuery("rule")
	}
	if q.Level != nil && (*q.Level < 0 || *q.Level > lifecycle.MaxLevel) {
		return store.OrderFilter{}, badQuery("level")
	}
	if utf8.RuneCountInString(q.Q) > 100 {
		return store.OrderFilter{}, badQuery("q")
	}
	sc := account.OrdersVisibleTo(by)
	if sc.None() {
		return store.OrderFilter{}, ErrForbidden
	}
	f := store.OrderFilter{All: sc.All, EnterpriseID: sc.EnterpriseID, ObserverID: sc.ObserverUserID, UnitBodyID: sc.UnitBodyID, CountyCode: sc.CountyCode, TakenByID: sc.TakenByUserID,
		Status: q.Status, Channel: q.Channel, Type: q.Type, Rule: q.Rule, Level: q.Level, Late: q.Late, AtRisk: q.AtRisk, Now: s.Clock.Now(), Limit: q.Limit}
	// Only the enterprise itself and the observation point that filed may know an anonymous
	// order's reporter (account.KnowReporter), and their scopes hold nothing else; anyone else
	// finds anonymous orders by their number, never by the name or code of whom they concern.
	f.Search = q.Q
	f.SearchNamedOnly = !(by.Role == account.RoleEnterprise || by.Role == account.RoleObserver)
	if sc.All && q.County != "" {
		f.CountyCode = q.County // the city's view, narrowed to one county
	}
	if q.Clues {
		f.Source = string(lifecycle.SourceSystem)
	} else if q.Status == "" && by.Role != account.RoleEnterprise && by.Role != account.RoleObserver {
		// Clues are not complaints: those under review, and those dismissed or merged, have their
		// own list (Clues); the queue shows them when asked for (clues, or their status). The
		// enterprise still sees, labelled as the system's, the clues its own inspections raised.
		f.NotStatuses = []string{string(lifecycle.Clue), string(lifecycle.Dismissed)}
	}
	return f, nil
}

// List is the orders the caller may see that match q, nearest deadline first, each as the
// caller may see it. It costs two queries: the orders, and the names of the enterprises whose
// reporter the caller may know.
func (s *Service) List(ctx context.Context, by account.Actor, q Query) ([]OrderView, error) {
	f, err := s.filter(by, q)
	if err != nil {
		return nil, err
	}
	rows, err := s.St.Orders(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("complaint: list: %w", err)
	}
	var ids []uint
	for i := range rows {
		if !reporterHidden(by, &rows[i]) {
			ids = append(ids, rows[i].EnterpriseID)
		}
	}
	names, err := s.St.EnterpriseNames(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("complaint: list: %w", err)
	}
	out := make([]OrderView, len(rows))
	for i := range rows {
		out[i] = s.view(by, &rows[i], names)
	}
	return out, nil
}

// MaxExport is how many orders an export holds.
const MaxExport = 500

// Export is List for the queue's spreadsheet: liaisons and admins only, up to MaxExport orders.
func (s *Service) Export(ctx context.Context, by account.Actor, q Query) ([]OrderView, error) {
	if !account.Can(by, account.ExportOrders, account.Object{}) {
		return nil, ErrForbidden
	}
	q.Limit = MaxExport
	return s.List(ctx, by, q)
}
