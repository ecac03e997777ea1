package portal

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/portal/api"
)

// Supervision (督办, issue 19 item 6): the documents each rung issued, printable; the rates of
// the hotline per unit; the concentrated-complaint items of the city level; the settings.

func documentOf(d grievance.Document, lang string) api.ComplaintDocument {
	return api.ComplaintDocument{ID: d.ID, Level: d.Level, Kind: d.Kind, Title: d.Title(lang), Number: d.Number, Issuer: d.Issuer, Recipient: d.Recipient,
		Reason: d.Reason, Body: d.Body(lang), CreatedAt: d.CreatedAt.UTC(), Page: fmt.Sprintf("/complaints/%d/documents/%d", d.OrderID, d.ID)}
}

func documentsOf(ds []grievance.Document, lang string) []api.ComplaintDocument {
	out := make([]api.ComplaintDocument, len(ds))
	for i, d := range ds {
		out[i] = documentOf(d, lang)
	}
	return out
}

func (s *Server) apiDocument(c *fiber.Ctx, p *api.DocumentRef, _ *struct{}) (api.ComplaintDocument, error) {
	d, err := s.svc.Orders.Document(c.UserContext(), viewerOf(c).Actor, p.OrderID, p.ID)
	if err != nil {
		return api.ComplaintDocument{}, err
	}
	return documentOf(*d, langOf(c)), nil
}

// documentPage is one document as a page to print (print.css leaves the portal's frame out).
func (s *Server) documentPrintPage(c *fiber.Ctx) error {
	var p api.DocumentRef
	if err := bindParams(c, &p); err != nil {
		return err
	}
	d, err := s.svc.Orders.Document(c.UserContext(), viewerOf(c).Actor, p.OrderID, p.ID)
	if err != nil {
		return err
	}
	lang := langOf(c)
	return s.render(c, "supervise_document", fiber.Map{"Title": d.Number, "D": documentOf(*d, lang), "OrderID": p.OrderID})
}

// period reads a RatesQuery's dates (Wenzhou, both included); without them, this month.
func (s *Server) period(q *api.RatesQuery) (time.Time, time.Time, error) {
	now := s.svc.Clock.Now().In(shanghai)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, shanghai)
	to := from.AddDate(0, 1, 0)
	if q.From != "" {
		f, err := time.ParseInLocation("2006-01-02", q.From, shanghai)
		if err != nil {
			return from, to, errs.Field("from", "err.invalid")
		}
		from = f
		if q.To == "" {
			to = from.AddDate(0, 1, 0)
		}
	}
	if q.To != "" {
		t, err := time.ParseInLocation("2006-01-02", q.To, shanghai)
		if err != nil {
			return from, to, errs.Field("to", "err.invalid")
		}
		to = t.AddDate(0, 0, 1)
	}
	if !to.After(from) {
		return from, to, errs.Field("to", "err.invalid")
	}
	return from, to, nil
}

func figuresOf(f grievance.RateFigures) api.RateFigures {
	return api.RateFigures{Dispatched: f.Dispatched, SignedInTime: f.SignedInTime, ResponseRate: f.ResponseRate, Orders: f.Orders, Closed: f.Closed,
		CloseRate: f.CloseRate, SolvedKnown: f.SolvedKnown, Solved: f.Solved, SolveRate: f.SolveRate, RatedKnown: f.RatedKnown, Satisfied: f.Satisfied,
		SatisfactionRate: f.SatisfactionRate}
}

func ratesOf(r *grievance.RatesReport, lang string) api.Rates {
	out := api.Rates{County: r.County, From: r.From.In(shanghai).Format("2006-01-02"), To: r.To.In(shanghai).AddDate(0, 0, -1).Format("2006-01-02"),
		Total: figuresOf(r.Total), Units: []api.UnitRates{}}
	for _, u := range r.Units {
		out.Units = append(out.Units, api.UnitRates{UnitID: u.UnitID, Name: pickLang(lang, u.UnitZh, u.UnitEn), RateFigures: figuresOf(u.RateFigures)})
	}
	return out
}

func (s *Server) apiRates(c *fiber.Ctx, q *api.RatesQuery, _ *struct{}) (api.Rates, error) {
	from, to, err := s.period(q)
	if err != nil {
		return api.Rates{}, err
	}
	r, err := s.svc.Orders.RatesReport(c.UserContext(), viewerOf(c).Actor, q.County, from, to)
	if err != nil {
		return api.Rates{}, err
	}
	return ratesOf(r, langOf(c)), nil
}

// ratesPage shows the rates of a month (?month=YYYY-MM, default this month) per unit and in
// total, with the counts behind each; the city level picks a county.
func (s *Server) ratesPage(c *fiber.Ctx) error {
	ctx, by, lang := c.UserContext(), viewerOf(c).Actor, langOf(c)
	month := c.Query("month")
	if month == "" {
		month = s.svc.Clock.Now().In(shanghai).Format("2006-01")
	}
	from, to, err := grievance.ParseMonth(month)
	if err != nil {
		return err
	}
	r, err := s.svc.Orders.RatesReport(ctx, by, c.Query("county"), from, to)
	if err != nil {
		return err
	}
	counties, err := s.svc.Store.Counties(ctx)
	if err != nil {
		return err
	}
	out := ratesOf(r, lang)
	rows := make([]rateRow, 0, len(out.Units)+1)
	for _, u := range out.Units {
		rows = append(rows, rowOf(u.Name, u.RateFigures))
	}
	total := rowOf(tr(lang, "supervise.rates.total"), out.Total)
	return s.render(c, "supervise_rates", fiber.Map{"Title": tr(lang, "supervise.rates.title"), "Rows": rows, "Total": total, "Month": month,
		"Counties": counties, "City": by.CountyCode == "", "Admin": by.Role == account.RoleAdmin, "County": r.County})
}

// rateRow is one line of the rates page: each rate as a percentage with its counts.
type rateRow struct {
	Name                        string
	F                           api.RateFigures
	Response, Close, Solve, Sat string
}

func pct(n, d int64) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}

func rowOf(name string, f api.RateFigures) rateRow {
	return rateRow{Name: name, F: f, Response: pct(f.SignedInTime, f.Dispatched), Close: pct(f.Closed, f.Orders), Solve: pct(f.Solved, f.SolvedKnown), Sat: pct(f.Satisfied, f.RatedKnown)}
}

func itemsOf(items []grievance.SupervisionItem, lang string) api.SupervisionItems {
	out := api.SupervisionItems{Items: []api.SupervisionItem{}}
	for _, it := range items {
		o := api.SupervisionItem{ID: it.ID, UnitID: it.UnitID, Unit: pickLang(lang, it.UnitZh, it.UnitEn), Month: it.Month, Orders: it.Orders, Limit: it.Limit,
			RaisedAt: it.RaisedAt.UTC(), HandledAt: utcPtr(it.HandledAt), Note: it.Note, OrderRefs: []api.OrderRef{}}
		for _, r := range it.OrderRefs {
			o.OrderRefs = append(o.OrderRefs, api.OrderRef{ID: r.ID, Number: r.Number})
		}
		out.Items = append(out.Items, o)
	}
	return out
}

func (s *Server) apiSupervisionItems(c *fiber.Ctx, q *api.SupervisionQuery, _ *struct{}) (api.SupervisionItems, error) {
	items, err := s.svc.Orders.SupervisionItems(c.UserContext(), viewerOf(c).Actor, q.Month)
	if err != nil {
		return api.SupervisionItems{}, err
	}
	return itemsOf(items, langOf(c)), nil
}

func (s *Server) apiHandleItem(c *fiber.Ctx, p *api.ID, in *api.HandleItem) (api.SupervisionItems, error) {
	ctx, by := c.UserContext(), viewerOf(c).Actor
	if err := s.svc.Orders.HandleItem(ctx, by, p.ID, in.Note); err != nil {
		return api.SupervisionItems{}, err
	}
	items, err := s.svc.Orders.SupervisionItems(ctx, by, "")
	if err != nil {
		return api.SupervisionItems{}, err
	}
	return itemsOf(items, langOf(c)), nil
}

func (s *Server) apiSupervisionSettings(c *fiber.Ctx, _, _ *struct{}) (grievance.SupervisionSettings, error) {
	return s.svc.Orders.Settings(c.UserContext(), viewerOf(c).Actor)
}

func (s *Server) apiSaveSupervisionSettings(c *fiber.Ctx, _ *struct{}, in *grievance.SupervisionSettings) (grievance.SupervisionSettings, error) {
	return s.svc.Orders.SaveSettings(c.UserContext(), viewerOf(c).Actor, *in)
}

// supervisionPage lists the concentrated-complaint items for the city level, with the form that
// marks one handled.
func (s *Server) supervisionPage(c *fiber.Ctx) error {
	return s.renderSupervision(c, nil, 0)
}

func (s *Server) renderSupervision(c *fiber.Ctx, fields map[string]string, bad uint64) error {
	lang := langOf(c)
	items, err := s.svc.Orders.SupervisionItems(c.UserContext(), viewerOf(c).Actor, "")
	if err != nil {
		return err
	}
	if fields != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "supervise_items", fiber.Map{"Title": tr(lang, "supervise.items.title"), "Items": itemsOf(items, lang).Items,
		"Errors": fieldMessages(lang, fields), "Bad": bad, "Done": c.Query("done") != ""})
}

func (s *Server) supervisionHandle(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	var in api.HandleItem
	if err := c.BodyParser(&in); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	err := s.check(&in)
	if err == nil {
		err = s.svc.Orders.HandleItem(c.UserContext(), viewerOf(c).Actor, p.ID, in.Note)
	}
	if pr := formProblem(err); pr != nil {
		return s.renderSupervision(c, pr.Fields, p.ID)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/supervision?done=1", fiber.StatusSeeOther)
}

// adminSupervisionPage edits the monthly limit and the discipline inspection contact.
func (s *Server) adminSupervisionPage(c *fiber.Ctx) error {
	set, err := s.svc.Orders.Settings(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.renderSupervisionSettings(c, &set, nil)
}

func (s *Server) renderSupervisionSettings(c *fiber.Ctx, f *grievance.SupervisionSettings, fields map[string]string) error {
	lang := langOf(c)
	if fields != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return s.render(c, "supervise_settings", fiber.Map{"Title": tr(lang, "supervise.settings.title"), "Form": f, "Errors": fieldMessages(lang, fields), "Done": c.Query("done") != ""})
}

func (s *Server) adminSupervisionSave(c *fiber.Ctx) error {
	var f grievance.SupervisionSettings
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	err := s.check(&f)
	if err == nil {
		_, err = s.svc.Orders.SaveSettings(c.UserContext(), viewerOf(c).Actor, f)
	}
	if p := formProblem(err); p != nil {
		return s.renderSupervisionSettings(c, &f, p.Fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/supervision?done=1", fiber.StatusSeeOther)
}
