package portal

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/inspection"
	"qijian/internal/inspection/rules"
)

// The officers' and admins' pages for registering an inspection and keeping its case file
// (RECORD-1) and status. The use cases decide who may touch which inspection.

// --- registering an inspection by page ---

// registerFormData is the form with what it offers: every body, the chosen ones with their items
// and active inspectors.
func (s *Server) registerFormData(c *fiber.Ctx, f *inspection.RegistrationForm, fields map[string]string) (fiber.Map, error) {
	lang := langOf(c)
	opts, err := s.svc.Inspections.RegisterOptions(c.UserContext(), lang, f.BodyIDs, f.ItemIDs, f.InspectorIDs)
	if err != nil {
		return nil, err
	}
	return fiber.Map{"Title": tr(lang, "ireg.title"), "Form": f, "Bodies": opts.Bodies, "Kinds": inspection.Kinds, "Counties": opts.Counties,
		"Errors": fieldMessages(lang, fields), "Officer": viewerOf(c).User.Role == account.RoleOfficer}, nil
}

// registerInspectionPage: ?body= picks the bodies whose items and inspectors the form offers;
// an officer's own body is always among them.
func (s *Server) registerInspectionPage(c *fiber.Ctx) error {
	f := &inspection.RegistrationForm{Kind: "planned"}
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

func (s *Server) registerInspectionSubmit(c *fiber.Ctx) error {
	var f inspection.RegistrationForm
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
	return c.Redirect(inspectionURL(in.ID, "register"), fiber.StatusSeeOther)
}

// registerFromPage checks the form, every field at once, and registers it.
func (s *Server) registerFromPage(c *fiber.Ctx, f *inspection.RegistrationForm) (*inspection.Registered, error) {
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
	delivered, ok := parseLocal(f.NoticeDeliveredAt) // empty: not delivered yet
	if !ok {
		fields["notice_delivered_at"] = "err.invalid"
	}
	var entID uint
	if _, bad := fields["enterprise_uscc"]; !bad {
		id, err := s.svc.Inspections.EnterpriseByUSCC(c.UserContext(), f.EnterpriseUSCC)
		if fe := errs.FieldsOf(err); fe != nil {
			fields["enterprise_uscc"] = "err.invalid" // the form's rules already said whether it is a credit code
		} else if err != nil {
			return nil, err
		}
		entID = id
	}
	if len(fields) > 0 {
		return nil, errs.InvalidFields(fields)
	}
	in, _, err := s.svc.Inspections.Register(keyed(c), viewerOf(c).Actor, f.Registration(entID, *at, delivered))
	if errors.Is(err, errs.Forbidden) {
		// The form shows the refusal beside the bodies it names, as bad input (422).
		return nil, errs.InvalidFields(map[string]string{"body_ids": "err.forbidden"})
	}
	return in, err
}

// --- the case file (RECORD-1) and status, from the inspection page ---

func (s *Server) recordFiles() inspection.Files {
	return inspection.Files{Dir: filepath.Join(s.DataDir, "uploads", "records"), Quota: s.UploadQuota}
}

// managedInspection reads an inspection the viewer may add records to and move on; others get 404.
func (s *Server) managedInspection(c *fiber.Ctx) (*inspection.View, error) {
	id, err := pageID(c)
	if err != nil {
		return nil, err
	}
	return s.svc.Inspections.Managed(c.UserContext(), viewerOf(c).Actor, id)
}

func (s *Server) recordFormPage(c *fiber.Ctx) error {
	in, err := s.managedInspection(c)
	if err != nil {
		return err
	}
	return s.renderRecordForm(c, in, &inspection.RecordInput{Kind: "onsite", IssuedOn: s.svc.Clock.Now().In(shanghai).Format("2006-01-02")}, nil)
}

func (s *Server) renderRecordForm(c *fiber.Ctx, in *inspection.View, f *inspection.RecordInput, fields map[string]string) error {
	return s.render(c, "officer_record_form", fiber.Map{"Title": tr(langOf(c), "rec.add"), "In": in, "Form": f, "Kinds": rules.RecordKinds, "Errors": fieldMessages(langOf(c), fields)})
}

func (s *Server) recordSubmit(c *fiber.Ctx) error {
	var f inspection.RecordInput
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	in, err := s.managedInspection(c)
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
			_, err = s.svc.Inspections.AddRecord(c.UserContext(), s.recordFiles(), viewerOf(c).Actor, in.ID, f, data)
		}
	}
	if p := formProblem(err); p != nil {
		c.Status(statusOf(p))
		return s.renderRecordForm(c, in, &f, p.Fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect(inspectionURL(in.ID, "record"), fiber.StatusSeeOther)
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
	id, err := pageID(c)
	if err != nil {
		return err
	}
	r, err := s.svc.Inspections.OpenRecord(c.UserContext(), s.recordFiles(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	ext := map[string]string{"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[r.ContentType]
	c.Set(fiber.HeaderContentType, r.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="record-%d.%s"`, r.ID, ext))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(r.Data)
}

// statusSubmit moves an inspection on from its page; the checks run again (RECORD-1 on done).
func (s *Server) statusSubmit(c *fiber.Ctx) error {
	in, err := s.managedInspection(c)
	if err != nil {
		return err
	}
	var f inspection.StatusInput
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	if err := s.svc.Inspections.SetStatus(c.UserContext(), viewerOf(c).Actor, in.ID, f.Status); err != nil {
		return err
	}
	return c.Redirect(inspectionURL(in.ID, "status"), fiber.StatusSeeOther)
}
