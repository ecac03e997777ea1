package portal

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/inspection"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// --- registering an inspection by page ---

type registerPageForm struct {
	Kind              string `json:"kind" form:"kind" validate:"required,oneof=planned special triggered requested joint"`
	EnterpriseUSCC    string `json:"enterprise_uscc" form:"enterprise_uscc" validate:"required,uscc"`
	BodyIDs           []uint `json:"body_ids" form:"body_ids" validate:"required,min=1,max=10"`
	ItemIDs           []uint `json:"item_ids" form:"item_ids" validate:"max=50"`
	InspectorIDs      []uint `json:"inspector_ids" form:"inspector_ids" validate:"max=20"`
	ScheduledAt       string `json:"scheduled_at" form:"scheduled_at" validate:"required"`
	Place             string `json:"place" form:"place" validate:"max=200"`
	County            string `json:"county" form:"county" validate:"omitempty,county"`
	CrossAreaApproval string `json:"cross_area_approval" form:"cross_area_approval" validate:"max=100"`
	NoticeWithheld    bool   `json:"notice_withheld" form:"notice_withheld"`
	KeepSeparate      bool   `json:"keep_separate" form:"keep_separate"`
	LegalReviewOn     string `json:"legal_review_on" form:"legal_review_on" validate:"omitempty,datetime=2006-01-02"`
	DecisionOn        string `json:"collective_decision_on" form:"collective_decision_on" validate:"omitempty,datetime=2006-01-02"`
	ApprovedOn        string `json:"approved_on" form:"approved_on" validate:"omitempty,datetime=2006-01-02"`
	FiledOn           string `json:"filed_on" form:"filed_on" validate:"omitempty,datetime=2006-01-02"`
	SpPublishedOn     string `json:"sp_published_on" form:"sp_published_on" validate:"omitempty,datetime=2006-01-02"`
}

var inspectionKinds = []string{"planned", "special", "triggered", "requested", "joint"}

type bodyChoice struct {
	ID         uint
	Name       string
	Chosen     bool
	Items      []choice
	Inspectors []choice
}

// choice is a checkbox of the registration form.
type choice struct {
	ID      uint
	Name    string
	Note    string
	Checked bool
}

// registerFormData lists every body (the chosen ones with their items and active inspectors).
func (s *Server) registerFormData(c *fiber.Ctx, f *registerPageForm, fields map[string]string) (fiber.Map, error) {
	ctx := c.UserContext()
	bodies, err := s.Store.Bodies(ctx)
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	var choices []bodyChoice
	for _, b := range bodies {
		ch := bodyChoice{ID: b.ID, Name: b.NameZh, Chosen: slices.Contains(f.BodyIDs, b.ID)}
		if lang == "en" && b.NameEn != "" {
			ch.Name = b.NameEn
		}
		if ch.Chosen {
			items, err := s.Store.BodyItems(ctx, b.ID)
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				if it.WithdrawnOn == nil {
					ch.Items = append(ch.Items, choice{ID: it.ID, Name: it.Name, Note: it.LegalBasis, Checked: slices.Contains(f.ItemIDs, it.ID)})
				}
			}
			people, err := s.Store.BodyInspectors(ctx, b.ID)
			if err != nil {
				return nil, err
			}
			for _, p := range people {
				if p.Active {
					ch.Inspectors = append(ch.Inspectors, choice{ID: p.ID, Name: p.Name, Note: p.CredentialNo + " · " + dayString(&p.ValidTo), Checked: slices.Contains(f.InspectorIDs, p.ID)})
				}
			}
		}
		choices = append(choices, ch)
	}
	counties, err := s.Store.Counties(ctx)
	if err != nil {
		return nil, err
	}
	return fiber.Map{"Title": tr(lang, "ireg.title"), "Form": f, "Bodies": choices, "Kinds": inspectionKinds, "Counties": counties,
		"Errors": fieldMessages(lang, fields), "Officer": viewerOf(c).User.Role == account.RoleOfficer}, nil
}

func (s *Server) registerInspectionPage(c *fiber.Ctx) error {
	f := &registerPageForm{Kind: "planned"}
	for _, raw := range c.Context().QueryArgs().PeekMulti("body") {
		if n, err := strconv.ParseUint(string(raw), 10, 32); err == nil && n > 0 && !slices.Contains(f.BodyIDs, uint(n)) {
			f.BodyIDs = append(f.BodyIDs, uint(n))
		}
	}
	if a := viewerOf(c).Actor; a.Role == account.RoleOfficer && !slices.Contains(f.BodyIDs, a.BodyID) {
		f.BodyIDs = append([]uint{a.BodyID}, f.BodyIDs...)
	}
	data, err := s.registerFormData(c, f, nil)
	if err != nil {
		return err
	}
	return s.render(c, "officer_register", data)
}

func optDay(v string) *time.Time {
	t, _ := parseDay(v)
	return t
}

func (s *Server) registerInspectionSubmit(c *fiber.Ctx) error {
	var f registerPageForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	in, err := s.registerFromPage(c, &f)
	if p := formProblem(err); p != nil {
		data, derr := s.registerFormData(c, &f, p.Fields)
		if derr != nil {
			return derr
		}
		c.Status(statusOf(p))
		return s.render(c, "officer_register", data)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/inspections/%d?done=register", in.ID), fiber.StatusSeeOther)
}

func (s *Server) registerFromPage(c *fiber.Ctx, f *registerPageForm) (*store.Inspection, error) {
	fields := map[string]string{}
	if err := s.check(f); err != nil {
		p := formProblem(err)
		if p == nil {
			return nil, err
		}
		fields = p.Fields
	}
	at, ok := parseLocal(f.ScheduledAt)
	if _, bad := fields["scheduled_at"]; !bad && (!ok || at == nil) {
		fields["scheduled_at"] = "err.invalid"
	}
	var ent *account.Enterprise
	if _, bad := fields["enterprise_uscc"]; !bad {
		e, err := s.Store.EnterpriseByUSCC(c.UserContext(), account.NormalizeUSCC(f.EnterpriseUSCC))
		switch {
		case errors.Is(err, store.ErrNotFound):
			fields["enterprise_uscc"] = "err.invalid"
		case err != nil:
			return nil, err
		default:
			ent = e
		}
	}
	if len(fields) > 0 {
		return nil, errs.InvalidFields(fields)
	}
	r := inspection.Registration{Kind: f.Kind, EnterpriseID: ent.ID, BodyIDs: f.BodyIDs, ItemIDs: f.ItemIDs, InspectorIDs: f.InspectorIDs,
		ScheduledAt: *at, Place: f.Place, County: f.County, CrossAreaApproval: f.CrossAreaApproval, NoticeWithheld: f.NoticeWithheld, KeepSeparate: f.KeepSeparate}
	if f.Kind == "special" {
		r.Special = &inspection.Special{LegalReviewOn: optDay(f.LegalReviewOn), CollectiveDecisionOn: optDay(f.DecisionOn), ApprovedOn: optDay(f.ApprovedOn),
			FiledOn: optDay(f.FiledOn), PublishedOn: optDay(f.SpPublishedOn)}
	}
	in, _, err := s.svc.Inspections.Register(c.UserContext(), viewerOf(c).Actor, r)
	if errors.Is(err, inspection.ErrForbidden) {
		return nil, errs.InvalidFields(map[string]string{"body_ids": "err.forbidden"})
	}
	return in, masterdataProblem(err)
}

// --- the case file (RECORD-1) and status, from the inspection page ---

func (s *Server) recordFiles() inspection.Files {
	return inspection.Files{Dir: filepath.Join(s.DataDir, "uploads", "records")}
}

// manageable reports whether the viewer may move in on and add to its case file.
func manageable(v *viewer, in *store.Inspection) bool {
	return v.User != nil && (v.User.Role == account.RoleAdmin || (v.User.Role == account.RoleOfficer && slices.Contains(store.ParseIDs(in.BodyIDs), v.Actor.BodyID)))
}

// caseFileView is what the inspection page shows of the case file, merges and status moves;
// nil for those who may not read the case file.
func (s *Server) caseFileView(c *fiber.Ctx, in *store.Inspection) (fiber.Map, error) {
	v := viewerOf(c)
	recs, err := s.svc.Inspections.Records(c.UserContext(), v.Actor, in.ID)
	if errors.Is(err, inspection.ErrForbidden) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var rows []fiber.Map
	for _, r := range recs {
		rows = append(rows, fiber.Map{"id": r.ID, "kind": r.Kind, "number": r.Number, "issued_on": r.IssuedOn.In(shanghai).Format("2006-01-02"), "summary": r.Summary,
			"file": r.SHA256 != "", "content_type": r.ContentType, "size": r.Size})
	}
	merged, err := s.Store.MergedInto(c.UserContext(), in.ID)
	if err != nil {
		return nil, err
	}
	var mids []uint64
	for _, m := range merged {
		mids = append(mids, m.ID)
	}
	m := fiber.Map{"records": rows, "merged": mids, "merged_into": in.MergedInto}
	if manageable(v, in) && in.Status != "merged" {
		m["can_add"] = in.Status != "cancelled"
		m["next"] = inspection.Next(in.Status)
	}
	return m, nil
}

func (s *Server) recordFormPage(c *fiber.Ctx) error {
	in, err := s.managedInspection(c, c.Params("id"))
	if err != nil {
		return err
	}
	return s.renderRecordForm(c, in, &recordPageForm{Kind: "onsite", IssuedOn: s.Clock.Now().In(shanghai).Format("2006-01-02")}, nil)
}

type recordPageForm struct {
	Kind     string `json:"kind" form:"kind" validate:"required"`
	Number   string `json:"number" form:"number" validate:"required,max=60"`
	IssuedOn string `json:"issued_on" form:"issued_on" validate:"required,datetime=2006-01-02"`
	Summary  string `json:"summary" form:"summary" validate:"max=4000"`
}

func (s *Server) renderRecordForm(c *fiber.Ctx, in *store.Inspection, f *recordPageForm, fields map[string]string) error {
	return s.render(c, "officer_record_form", fiber.Map{"Title": tr(langOf(c), "rec.add"), "In": in, "Form": f, "Kinds": rules.RecordKinds, "Errors": fieldMessages(langOf(c), fields)})
}

// managedInspection reads an inspection the viewer may add records to; others get 404.
func (s *Server) managedInspection(c *fiber.Ctx, raw string) (*store.Inspection, error) {
	id, err := strconv.ParseUint(strings.TrimSpace(raw), 10, 64)
	if err != nil || id == 0 {
		return nil, errNotFound
	}
	in, err := s.svc.Inspections.Visible(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return nil, inspectionProblem(err)
	}
	if !manageable(viewerOf(c), in) {
		return nil, errNotFound
	}
	return in, nil
}

func (s *Server) recordSubmit(c *fiber.Ctx) error {
	var f recordPageForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	in, err := s.managedInspection(c, c.Params("id"))
	if err != nil {
		return err
	}
	err = s.check(&f)
	if err == nil {
		var data []byte
		if fh, ferr := c.FormFile("file"); ferr == nil && fh.Size > 0 {
			data, err = readRecordUpload(c)
		}
		if err == nil {
			day, _ := parseDay(f.IssuedOn)
			_, err = s.svc.Inspections.AddRecord(c.UserContext(), s.recordFiles(), viewerOf(c).Actor, in.ID, inspection.RecordInput{Kind: f.Kind, Number: f.Number, IssuedOn: *day, Summary: f.Summary}, data)
		}
		err = masterdataProblem(err)
	}
	if p := formProblem(err); p != nil {
		c.Status(statusOf(p))
		return s.renderRecordForm(c, in, &f, p.Fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/inspections/%d?done=record", in.ID), fiber.StatusSeeOther)
}

// readRecordUpload reads the "file" field, refusing more than the limit without reading it all.
func readRecordUpload(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, err
	}
	if fh.Size > inspection.MaxRecordSize {
		return nil, inspection.ErrRecordTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, inspection.MaxRecordSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > inspection.MaxRecordSize {
		return nil, inspection.ErrRecordTooLarge
	}
	return b, nil
}

// recordFile sends a case-file document as a download browsers will not sniff or render inline.
func (s *Server) recordFile(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil || id == 0 {
		return errNotFound
	}
	r, b, err := s.svc.Inspections.OpenRecord(c.UserContext(), s.recordFiles(), viewerOf(c).Actor, id)
	if err != nil {
		return inspectionProblem(err)
	}
	ext := map[string]string{"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[r.ContentType]
	c.Set(fiber.HeaderContentType, r.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="record-%d.%s"`, r.ID, ext))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}

// statusSubmit moves an inspection on from its page; the checks run again (RECORD-1 on done).
func (s *Server) statusSubmit(c *fiber.Ctx) error {
	in, err := s.managedInspection(c, c.Params("id"))
	if err != nil {
		return err
	}
	st := c.FormValue("status")
	if !slices.Contains([]string{"notified", "in_progress", "done", "cancelled"}, st) {
		return errs.InvalidFields(map[string]string{"status": "err.invalid"})
	}
	if _, err := s.svc.Inspections.SetStatus(c.UserContext(), viewerOf(c).Actor, in.ID, st); err != nil {
		return inspectionProblem(err)
	}
	return c.Redirect(fmt.Sprintf("/inspections/%d?done=status", in.ID), fiber.StatusSeeOther)
}
