package portal

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/inspection"
	"qijian/portal/api"
)

// Credit and risk grades (FREQ-2): officers and admins keep them by page, API and CSV import.

func gradesOut(g *inspection.EnterpriseGrades) api.Grades {
	out := api.Grades{EnterpriseID: g.EnterpriseID, Credit: g.Credit, Risk: g.Risk, History: []api.GradePeriod{}}
	for _, p := range g.History {
		out.History = append(out.History, api.GradePeriod{Kind: p.Kind, Grade: p.Grade, ValidFrom: p.ValidFrom, ValidTo: p.ValidTo, Source: p.Source})
	}
	return out
}

func (s *Server) apiGrades(c *fiber.Ctx, p *api.EnterprisePath, _ *struct{}) (api.Grades, error) {
	g, err := s.svc.Inspections.Grades(c.UserContext(), viewerOf(c).Actor, p.ID)
	if err != nil {
		return api.Grades{}, err
	}
	return gradesOut(g), nil
}

func (s *Server) apiSetGrade(c *fiber.Ctx, p *api.EnterprisePath, in *inspection.GradeInput) (api.Grades, error) {
	g, err := s.svc.Inspections.SetGrade(c.UserContext(), viewerOf(c).Actor, p.ID, *in)
	if err != nil {
		return api.Grades{}, err
	}
	return gradesOut(g), nil
}

// apiImportGrades takes the credit bureau's list as CSV (text/csv).
func (s *Server) apiImportGrades(c *fiber.Ctx, _, _ *struct{}) (api.GradesImported, error) {
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), "text/csv") {
		return api.GradesImported{}, &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.invalid"}
	}
	n, err := s.svc.Inspections.ImportGrades(c.UserContext(), viewerOf(c).Actor, strings.NewReader(strings.TrimPrefix(string(c.Body()), "\ufeff")))
	if err != nil {
		return api.GradesImported{}, err
	}
	return api.GradesImported{Imported: n}, nil
}

// gradesPage shows an enterprise's grades and their history, with the form to set one and the
// import for those who may.
func (s *Server) gradesPage(c *fiber.Ctx) error {
	return s.renderGrades(c, nil, nil, c.Query("done") != "")
}

func (s *Server) renderGrades(c *fiber.Ctx, f *inspection.GradeInput, fields map[string]string, done bool) error {
	id, err := pageID(c)
	if err != nil {
		return err
	}
	g, err := s.svc.Inspections.Grades(c.UserContext(), viewerOf(c).Actor, uint(id))
	if err != nil {
		return err
	}
	if f == nil {
		f = &inspection.GradeInput{Kind: "credit"}
	}
	if fields != nil {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	var lines []string // an import's line at fault, in plain words
	for k, key := range fields {
		if n, ok := strings.CutPrefix(k, "row_"); ok {
			lines = append(lines, fmt.Sprintf(tr(langOf(c), "grades.import.line"), n, tr(langOf(c), key)))
		}
	}
	return s.render(c, "grades", fiber.Map{"Title": tr(langOf(c), "grades.title"), "G": g, "Form": f, "Errors": fieldMessages(langOf(c), fields), "Done": done, "ImportErrors": lines})
}

func (s *Server) gradeSave(c *fiber.Ctx) error {
	var f inspection.GradeInput
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	id, err := pageID(c)
	if err != nil {
		return err
	}
	f.Normalize()
	if err = s.check(&f); err == nil {
		_, err = s.svc.Inspections.SetGrade(c.UserContext(), viewerOf(c).Actor, uint(id), f)
	}
	if p := formProblem(err); p != nil {
		return s.renderGrades(c, &f, p.Fields, false)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/manage/enterprises/%d/grades?done=1", id), fiber.StatusSeeOther)
}

// gradesImport takes the list pasted into the page's box; it goes back to the enterprise the
// page was opened for.
func (s *Server) gradesImport(c *fiber.Ctx) error {
	_, err := s.svc.Inspections.ImportGrades(c.UserContext(), viewerOf(c).Actor, strings.NewReader(c.FormValue("csv")))
	if p := formProblem(err); p != nil {
		return s.renderGrades(c, nil, p.Fields, false)
	}
	if err != nil {
		return err
	}
	id, _ := pageID(c)
	return c.Redirect(fmt.Sprintf("/manage/enterprises/%d/grades?done=1", id), fiber.StatusSeeOther)
}
