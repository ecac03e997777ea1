package portal

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/signin"
	"qijian/portal/api"
)

// identityAPI is the enterprise application (licence upload, its state) and its review queue
// for admins and liaisons by API. Who reviews what is the policy's (account.ReviewClaims); the
// role check here only keeps the routes out of other roles' reach early.
func (s *Server) identityAPI(apiGroup fiber.Router, limit fiber.Handler) {
	reviewer := needRole(account.RoleAdmin, account.RoleLiaison)
	s.handle(apiGroup, "GET", "/me/application", opDoc{summary: "The caller's enterprise application and its state (an enterprise login acts for its enterprise only once it is approved)", tag: "me"}, jsonOp(s, 200, s.apiApplication), s.needLogin)
	s.handle(apiGroup, "POST", "/me/application/licence", opDoc{summary: "Upload the business licence of the caller's pending application as multipart/form-data, field file: JPEG, PNG or PDF by content, at most 10 MB, rebuilt without metadata", tag: "me"}, jsonOp(s, 200, s.apiLicence), s.needLogin, limit)
	s.handle(apiGroup, "GET", "/claims", opDoc{summary: "The review queue: enterprise applications awaiting a decision (admins; liaisons for their county), each with its rivals for the same credit code and a duplicate-name flag", tag: "claims"}, jsonOp(s, 200, s.apiClaims), s.needLogin, reviewer)
	s.handle(apiGroup, "GET", "/claims/:id", opDoc{summary: "One application for review", tag: "claims"}, jsonOp(s, 200, s.apiClaim), s.needLogin, reviewer)
	s.handle(apiGroup, "POST", "/claims/:id/decision", opDoc{summary: "Approve (licence uploaded, contact checked) or refuse (with a reason) an application; approving refuses every other application for the code and ends their access; audited", tag: "claims"}, jsonOp(s, 200, s.apiDecide), s.needLogin, reviewer)
}

// identityPages are identityAPI's page twins.
func (s *Server) identityPages(p fiber.Router, limit fiber.Handler) {
	reviewer := needRole(account.RoleAdmin, account.RoleLiaison)
	p.Get("/account/application", s.needLogin, needRole(account.RoleEnterprise), s.applicationPage)
	p.Post("/account/application/licence", s.needLogin, needRole(account.RoleEnterprise), limit, s.licenceSubmit)
	p.Get("/review/claims", s.needLogin, reviewer, s.claimsPage)
	p.Get("/review/claims/:id", s.needLogin, reviewer, s.claimPage)
	p.Get("/review/claims/:id/licence", s.needLogin, reviewer, s.claimLicence)
	p.Post("/review/claims/:id/decision", s.needLogin, reviewer, s.claimDecide)
}

func (s *Server) licenceFiles() signin.Files {
	return signin.Files{Dir: filepath.Join(s.DataDir, "uploads", "licences"), Quota: s.UploadQuota}
}

func applicationOf(v signin.ClaimView) api.Application {
	return api.Application{ID: v.ID, Username: v.Username, USCC: v.USCC, Name: v.Name, County: v.County, Industry: v.Industry,
		ContactName: v.ContactName, Mobile: v.Mobile, Status: v.Status, Reason: v.Reason, Licence: v.Licence, ContactChecked: v.ContactChecked,
		CreatedAt: v.CreatedAt.UTC(), ReviewedAt: v.ReviewedAt}
}

func claimReviewOf(v signin.ClaimView) api.ClaimReview {
	out := api.ClaimReview{Application: applicationOf(v), RegisteredName: v.RegisteredName, DuplicateName: v.DuplicateName, Holders: v.Holders, CountyMismatch: v.CountyMismatch, Rivals: []api.Application{}}
	for _, r := range v.Rivals {
		out.Rivals = append(out.Rivals, applicationOf(r))
	}
	return out
}

func (s *Server) apiApplication(c *fiber.Ctx, _, _ *struct{}) (api.Application, error) {
	v, err := s.svc.SignIn.Application(c.UserContext(), viewerOf(c).Caller, "zh")
	if err != nil {
		return api.Application{}, err
	}
	return applicationOf(*v), nil
}

func (s *Server) uploadLicence(c *fiber.Ctx) error {
	data, err := readUpload(c)
	if err != nil {
		return err
	}
	return s.svc.SignIn.UploadLicence(c.UserContext(), s.licenceFiles(), viewerOf(c).Caller, data)
}

func (s *Server) apiLicence(c *fiber.Ctx, _, _ *struct{}) (api.Application, error) {
	if err := s.uploadLicence(c); err != nil {
		return api.Application{}, err
	}
	return s.apiApplication(c, nil, nil)
}

func (s *Server) apiClaims(c *fiber.Ctx, _, _ *struct{}) (api.ClaimQueue, error) {
	list, err := s.svc.SignIn.ReviewQueue(c.UserContext(), viewerOf(c).Actor, "zh")
	if err != nil {
		return api.ClaimQueue{}, err
	}
	out := api.ClaimQueue{Items: make([]api.ClaimReview, len(list))}
	for i, v := range list {
		out.Items[i] = claimReviewOf(v)
	}
	return out, nil
}

func (s *Server) apiClaim(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.ClaimReview, error) {
	v, err := s.svc.SignIn.Claim(c.UserContext(), viewerOf(c).Actor, p.ID, "zh")
	if err != nil {
		return api.ClaimReview{}, err
	}
	return claimReviewOf(*v), nil
}

func (s *Server) apiDecide(c *fiber.Ctx, p *api.ID, d *signin.Decision) (api.ClaimReview, error) {
	if err := s.svc.SignIn.Decide(c.UserContext(), viewerOf(c).Actor, p.ID, *d); err != nil {
		return api.ClaimReview{}, err
	}
	return s.apiClaim(c, p, nil)
}

// applicationPage is the applicant's page: the state of its application and the licence form.
func (s *Server) applicationPage(c *fiber.Ctx) error {
	lang := langOf(c)
	v, err := s.svc.SignIn.Application(c.UserContext(), viewerOf(c).Caller, lang)
	if err != nil {
		return err
	}
	return s.render(c, "application", fiber.Map{"Title": tr(lang, "apply.title"), "A": v, "Done": c.Query("done") == "licence"})
}

func (s *Server) licenceSubmit(c *fiber.Ctx) error {
	if err := s.uploadLicence(c); err != nil {
		return err
	}
	return c.Redirect("/account/application?done=licence", fiber.StatusSeeOther)
}

func (s *Server) claimsPage(c *fiber.Ctx) error {
	lang := langOf(c)
	list, err := s.svc.SignIn.ReviewQueue(c.UserContext(), viewerOf(c).Actor, lang)
	if err != nil {
		return err
	}
	return s.render(c, "review_claims", fiber.Map{"Title": tr(lang, "review.title"), "Rows": list})
}

func (s *Server) claimPage(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	v, err := s.svc.SignIn.Claim(c.UserContext(), viewerOf(c).Actor, id, lang)
	if err != nil {
		return err
	}
	return s.render(c, "review_claim", fiber.Map{"Title": tr(lang, "review.title") + " " + v.Name, "C": v, "Done": c.Query("done") == "1"})
}

func (s *Server) claimLicence(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	ctype, b, err := s.svc.SignIn.Licence(c.UserContext(), s.licenceFiles(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	ext := map[string]string{"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[ctype]
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="licence-%d.%s"`, id, ext))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(b)
}

func (s *Server) claimDecide(c *fiber.Ctx) error {
	var d signin.Decision
	id, err := s.idForm(c, &d)
	if err != nil {
		return err
	}
	if err := s.svc.SignIn.Decide(c.UserContext(), viewerOf(c).Actor, id, d); err != nil {
		return err
	}
	return c.Redirect("/review/claims/"+strconv.FormatUint(id, 10)+"?done=1", fiber.StatusSeeOther)
}
