package portal

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
)

// ordersExport writes what the liaison's filter shows as an XLSX file: same scope, same filters,
// same order. A hidden reporter stays hidden (the export is for staff roles only anyway).
func (s *Server) ordersExport(c *fiber.Ctx) error {
	q, err := queueQuery(c)
	if err != nil {
		return err
	}
	list, err := s.svc.Orders.Export(c.UserContext(), viewerOf(c).Actor, q)
	if err != nil {
		return err
	}
	lang := langOf(c)
	// Counties by name, as people read them (the public list the registration form offers).
	choices, err := s.svc.SignIn.RegistrationChoices(c.UserContext(), lang)
	if err != nil {
		return err
	}
	county := map[string]string{}
	for _, k := range choices.Counties {
		county[k.Code] = k.Name
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "Sheet1"
	head := []any{tr(lang, "orders.number"), tr(lang, "orders.type"), tr(lang, "orders.status"), tr(lang, "orders.channel"), tr(lang, "orders.level"),
		tr(lang, "register.county"), tr(lang, "orders.enterprise"), tr(lang, "orders.filed"), tr(lang, "orders.due"), tr(lang, "intake.source")}
	if err := x.SetSheetRow(sheet, "A1", &head); err != nil {
		return fmt.Errorf("portal: export: %w", err)
	}
	for i := range list {
		o := &list[i]
		due := ""
		if o.NextDueAt != nil {
			due = o.NextDueAt.In(shanghai).Format("2006-01-02 15:04")
		}
		row := []any{o.Number, tr(lang, "type."+string(o.Type)), tr(lang, "status."+string(o.Status)), string(o.Channel), levelName(o.Level, lang), cmp.Or(county[o.County], o.County), cellText(reporterName(o, lang)),
			o.CreatedAt.In(shanghai).Format("2006-01-02 15:04"), due, tr(lang, "source."+cmp.Or(string(o.Source), "enterprise"))}
		if err := x.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return fmt.Errorf("portal: export: %w", err)
		}
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="work-orders.xlsx"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return x.Write(c.Response().BodyWriter())
}

// cellText keeps a spreadsheet from reading text as a formula (CSV/XLSX injection): a cell that
// starts with =, +, -, @, a tab or a line break gets a leading apostrophe.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}
