package portal

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/portal/api"
)

// Replies and notes (issue 19 item 11): the reply's files, the reply templates the admin keeps
// per matter type, and the order page's reply and note forms. The reply and the note are
// lifecycle actions (reply, note) through POST /complaints/{id}/act and the API's actions.

// repliesAPI registers the API's routes of replies and notes.
func (s *Server) repliesAPI(g fiber.Router, submitLimit fiber.Handler) {
	admin := needRole(account.RoleAdmin)
	s.handle(g, "POST", "/complaints/:id/reply-files", opDoc{summary: "Attach a file to the reply the caller is about to make (who may reply now: the handling unit's officers, the liaison) as multipart/form-data, field file: JPEG, PNG or PDF by content, at most 10 MB and 10 waiting files, rebuilt without metadata, counted against the daily upload quota; the next reply takes every waiting file, and the enterprise sees them with it", tag: "complaints"}, jsonOp(s, 201, s.apiReplyFile), s.needLogin, submitLimit)
	s.handle(g, "GET", "/complaints/:id/reply-files/:fid", opDoc{summary: "Download a file of an order's reply (whoever sees the order; one still waiting for its reply only to the order's handlers)", tag: "complaints"}, rawOp[replyFileRef]("application/octet-stream", s.replyFileDownload), s.needLogin)
	s.handle(g, "GET", "/reply-templates", opDoc{summary: "Reply templates: to admins every one (retired too), of ?type= if given; to the handling side (officers, liaisons) those in force for ?type=; to anyone else none", tag: "reply-templates"}, jsonOp(s, 200, s.apiTemplates), s.needLogin)
	s.handle(g, "POST", "/reply-templates", opDoc{summary: "Add a reply template for a matter type, in Chinese and English (admins)", tag: "reply-templates"}, jsonOp(s, 201, s.apiAddTemplate), s.needLogin, admin)
	s.handle(g, "PUT", "/reply-templates/:id", opDoc{summary: "Change a reply template (admins)", tag: "reply-templates"}, jsonOp(s, 200, s.apiChangeTemplate), s.needLogin, admin)
	s.handle(g, "POST", "/reply-templates/:id/retire", opDoc{summary: "Retire a reply template: kept on record, offered no more (admins)", tag: "reply-templates"}, jsonOp(s, 200, s.apiRetireTemplate), s.needLogin, admin)
}

// repliesPages are repliesAPI's page twins.
func (s *Server) repliesPages(p fiber.Router, submitLimit fiber.Handler) {
	admin := needRole(account.RoleAdmin)
	p.Post("/complaints/:id/reply-files", s.needLogin, submitLimit, s.pageReplyFile)
	p.Get("/complaints/:id/reply-files/:fid", s.needLogin, s.replyFileDownload)
	p.Get("/admin/reply-templates", s.needLogin, admin, s.adminTemplates)
	p.Get("/admin/reply-templates/new", s.needLogin, admin, s.adminTemplateForm)
	p.Get("/admin/reply-templates/:id", s.needLogin, admin, s.adminTemplateForm)
	p.Post("/admin/reply-templates", s.needLogin, admin, s.adminTemplateSave)
	p.Post("/admin/reply-templates/:id", s.needLogin, admin, s.adminTemplateSave)
	p.Post("/admin/reply-templates/:id/retire", s.needLogin, admin, s.adminTemplateRetire)
}

// --- the reply's files ---

// replyFileRef is the download's parameters (named here: the route table's api is its group).
type replyFileRef = api.ReplyFileRef

// attachToReply stores the uploaded file for the reply to order id (the API and the page share
// it): read as evidence is (readUpload), checked and stored by the same use case machinery.
func (s *Server) attachToReply(c *fiber.Ctx, id uint64) (grievance.EvidenceFile, error) {
	data, err := readUpload(c)
	if err != nil {
		return grievance.EvidenceFile{}, err
	}
	return s.svc.Orders.AttachToReply(keyed(c), s.files(), viewerOf(c).Actor, id, data)
}

func (s *Server) apiReplyFile(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.EvidenceAdded, error) {
	f, err := s.attachToReply(c, p.ID)
	if err != nil {
		return api.EvidenceAdded{}, err
	}
	return api.EvidenceAdded{ID: f.ID}, nil
}

func (s *Server) pageReplyFile(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	if _, err := s.attachToReply(c, p.ID); err != nil {
		return err
	}
	return c.Redirect("/complaints/"+strconv.FormatUint(p.ID, 10)+"?done=reply_file#reply", fiber.StatusSeeOther)
}

// replyUpload stores the file a page's reply form carries, if it carries one, before the reply
// takes it: the reply's form sends its text and its file together.
func (s *Server) replyUpload(c *fiber.Ctx, id uint64, action string) error {
	if action != string(lifecycle.Reply) {
		return nil
	}
	if fh, err := c.FormFile("file"); err != nil || (fh.Size == 0 && fh.Filename == "") {
		return nil // no file chosen
	}
	_, err := s.attachToReply(c, id)
	return err
}

// replyFileDownload serves a reply's file as a download that browsers will not sniff or render
// inline, for the API and the page alike.
func (s *Server) replyFileDownload(c *fiber.Ctx) error {
	var p replyFileRef
	if err := bindParams(c, &p); err != nil {
		return err
	}
	f, b, err := s.svc.Orders.OpenReplyFile(c.UserContext(), s.files(), viewerOf(c).Actor, p.OrderID, p.ID)
	if err != nil {
		return err
	}
	ext := map[string]string{"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[f.ContentType]
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="reply-%d.%s"`, f.ID, ext))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}

// --- the order page's reply form ---

// templateChoice is a template as the reply form offers it, in the reader's language.
type templateChoice struct {
	ID    uint
	Title string
}

// orderReplies is what the order page's reply form needs: the templates for the order's type
// (to who may reply now) and, once one was chosen (?template=), its text to start from.
func (s *Server) orderReplies(c *fiber.Ctx, d *grievance.OrderDetail) (fiber.Map, error) {
	out := fiber.Map{"CanReply": slices.Contains(d.Allowed, lifecycle.Reply), "CanNote": slices.Contains(d.Allowed, lifecycle.InternalNote), "Chosen": uint(0), "Text": ""}
	if !slices.Contains(d.Allowed, lifecycle.Reply) {
		return out, nil
	}
	list, err := s.svc.Orders.TemplatesFor(c.UserContext(), viewerOf(c).Actor, string(d.Type))
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	chosen, _ := strconv.ParseUint(c.Query("template"), 10, 32)
	choices := make([]templateChoice, len(list))
	for i, t := range list {
		choices[i] = templateChoice{ID: t.ID, Title: pickLang(lang, t.TitleZh, t.TitleEn)}
		if uint64(t.ID) == chosen {
			out["Text"] = pickLang(lang, t.BodyZh, t.BodyEn)
			out["Chosen"] = t.ID
		}
	}
	out["Templates"] = choices
	return out, nil
}

// --- the admin's templates ---

func templateOut(t *grievance.Template) api.ReplyTemplate {
	return api.ReplyTemplate{ID: t.ID, Type: string(t.Type), TitleZh: t.TitleZh, TitleEn: t.TitleEn, BodyZh: t.BodyZh, BodyEn: t.BodyEn, Retired: t.Retired}
}

func (s *Server) apiTemplates(c *fiber.Ctx, q *api.TemplateQuery, _ *struct{}) (api.List[api.ReplyTemplate], error) {
	ctx, by := c.UserContext(), viewerOf(c).Actor
	var list []grievance.Template
	var err error
	if account.Can(by, account.ManageReplyTemplates, account.Object{}) {
		list, err = s.svc.Orders.AllTemplates(ctx, by)
		list = slices.DeleteFunc(list, func(t grievance.Template) bool { return q.Type != "" && string(t.Type) != q.Type })
	} else {
		list, err = s.svc.Orders.TemplatesFor(ctx, by, q.Type)
	}
	if err != nil {
		return api.List[api.ReplyTemplate]{}, err
	}
	items := make([]api.ReplyTemplate, len(list))
	for i := range list {
		items[i] = templateOut(&list[i])
	}
	return api.ListOf(items), nil
}

func (s *Server) apiAddTemplate(c *fiber.Ctx, _ *struct{}, in *grievance.TemplateInput) (api.ReplyTemplate, error) {
	t, err := s.svc.Orders.SaveTemplate(c.UserContext(), viewerOf(c).Actor, 0, *in)
	return apiAnswer(t, err, templateOut)
}

func (s *Server) apiChangeTemplate(c *fiber.Ctx, p *api.ID, in *grievance.TemplateInput) (api.ReplyTemplate, error) {
	t, err := s.svc.Orders.SaveTemplate(c.UserContext(), viewerOf(c).Actor, uint(p.ID), *in)
	return apiAnswer(t, err, templateOut)
}

func (s *Server) apiRetireTemplate(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.ReplyTemplate, error) {
	t, err := s.svc.Orders.RetireTemplate(c.UserContext(), viewerOf(c).Actor, uint(p.ID))
	return apiAnswer(t, err, templateOut)
}

func (s *Server) adminTemplates(c *fiber.Ctx) error {
	list, err := s.svc.Orders.AllTemplates(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "admin_reply_templates", fiber.Map{"Title": tr(langOf(c), "replies.templates"), "Rows": list,
		"Saved": map[string]string{"saved": "replies.saved", "retired": "replies.retired_done"}[c.Query("saved")]})
}

// templateID is the template a form is for; 0 on the routes that add one.
func (s *Server) templateID(c *fiber.Ctx) (uint, error) {
	if c.Params("id") == "" {
		return 0, nil
	}
	id, err := s.pageID(c)
	return uint(id), err
}

func (s *Server) adminTemplateForm(c *fiber.Ctx) error {
	id, err := s.templateID(c)
	if err != nil {
		return err
	}
	f := &grievance.TemplateInput{Type: c.Query("type", string(lifecycle.TypeIllegalInspection))}
	retired := false
	if id != 0 {
		t, err := s.svc.Orders.TemplateOf(c.UserContext(), viewerOf(c).Actor, id)
		if err != nil {
			return err
		}
		f = &grievance.TemplateInput{Type: string(t.Type), TitleZh: t.TitleZh, TitleEn: t.TitleEn, BodyZh: t.BodyZh, BodyEn: t.BodyEn}
		retired = t.Retired
	}
	return s.renderTemplateForm(c, id, f, retired, nil)
}

func (s *Server) renderTemplateForm(c *fiber.Ctx, id uint, f *grievance.TemplateInput, retired bool, fields map[string]string) error {
	lang := langOf(c)
	data := fiber.Map{"Title": tr(lang, "replies.templates"), "ID": id, "Form": f, "Retired": retired, "Types": lifecycle.Types, "Errors": fieldMessages(lang, fields)}
	if len(fields) > 0 {
		data["Error"] = tr(lang, "err.form")
	}
	return s.render(c, "admin_reply_template_form", data)
}

func (s *Server) adminTemplateSave(c *fiber.Ctx) error {
	id, err := s.templateID(c)
	if err != nil {
		return err
	}
	var in grievance.TemplateInput
	err = s.pageForm(c, &in)
	if err == nil {
		_, err = s.svc.Orders.SaveTemplate(c.UserContext(), viewerOf(c).Actor, id, in)
	}
	if fields := errs.FieldsOf(err); len(fields) > 0 {
		c.Status(statusOf(err))
		return s.renderTemplateForm(c, id, &in, false, fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/reply-templates?saved=saved", fiber.StatusSeeOther)
}

func (s *Server) adminTemplateRetire(c *fiber.Ctx) error {
	id, err := s.templateID(c)
	if err != nil {
		return err
	}
	if _, err := s.svc.Orders.RetireTemplate(c.UserContext(), viewerOf(c).Actor, id); err != nil {
		return err
	}
	return c.Redirect("/admin/reply-templates?saved=retired", fiber.StatusSeeOther)
}
