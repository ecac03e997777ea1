package portal

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"qijian/internal/account"
)

// routes is the one list of every route, so an access test can walk them all.
func (s *Server) routes() {
	a := s.app
	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)
	a.Get("/metrics", s.metricsHandler())

	limit := perMinute(s.LoginPerMinute)
	admin := needRole(account.RoleAdmin)
	submitLimit := perMinute(s.SubmitPerMinute)

	// JSON API: bearer tokens only.
	api := a.Group("/api/v1", s.identify)
	api.Get("/openapi.json", s.openAPI)
	api.Post("/auth/token", limit, s.apiToken)
	api.Post("/auth/register", limit, s.apiRegister)
	api.Get("/me", s.needLogin, s.apiMe)
	api.Get("/notifications", s.needLogin, s.apiNotifications)
	api.Get("/me/notification-settings", s.needLogin, s.apiPrefs)
	api.Put("/me/notification-settings", s.needLogin, s.apiPrefsSave)
	api.Delete("/auth/token", s.needLogin, s.apiRevoke)
	api.Post("/complaints", s.needLogin, submitLimit, s.apiFile)
	api.Post("/inspections", s.needLogin, s.apiRegisterInspection)
	api.Get("/bodies/:id/inspectors", s.needLogin, s.apiBodyInspectors)
	api.Post("/bodies/:id/inspectors", s.needLogin, s.apiAddInspector)
	api.Get("/bodies/:id/items", s.needLogin, s.apiBodyItems)
	api.Post("/bodies/:id/items", s.needLogin, s.apiAddItem)
	api.Post("/bodies/:id/plans", s.needLogin, s.apiSavePlan)
	api.Post("/inspections/import", s.needLogin, s.apiImportInspections)
	api.Get("/inspections", s.needLogin, s.inspectionsPage)
	api.Get("/inspections/:id", s.needLogin, s.inspectionPage)
	api.Post("/inspections/:id/ack", s.needLogin, s.inspectionAck)
	api.Post("/inspections/:id/status", s.needLogin, s.apiInspectionStatus)
	api.Post("/inspections/:id/rating", s.needLogin, submitLimit, s.inspectionRate)
	api.Get("/complaints", s.needLogin, s.apiComplaints)
	api.Get("/complaints/:id", s.needLogin, s.apiComplaint)
	api.Post("/complaints/:id/actions", s.needLogin, submitLimit, s.apiAct)
	api.Post("/complaints/:id/evidence", s.needLogin, submitLimit, s.apiAttach)
	api.Post("/complaints/:id/reveal", s.needLogin, s.apiReveal)
	api.Get("/complaints/:id/evidence/:eid", s.needLogin, s.evidenceFile)
	api.Use(func(c *fiber.Ctx) error { return errNotFound })

	// Pages: cookie sessions with CSRF.
	p := a.Group("", s.identify, s.csrf)
	p.Get("/", s.home)
	p.Get("/lang/:lang", s.setLang)
	p.Get("/v/:code", s.verifyPage)
	p.Get("/v/:code/qr.:ext<regex(png|svg)>", s.verifyQR)
	p.Get("/login", s.loginPage)
	p.Post("/login", limit, s.loginSubmit)
	p.Post("/logout", s.logout)
	p.Get("/register", s.registerPage)
	p.Post("/register", limit, s.registerSubmit)
	p.Get("/inbox", s.needLogin, s.inbox)
	p.Get("/inspections", s.needLogin, s.inspectionsPage)
	p.Get("/inspections/:id", s.needLogin, s.inspectionPage)
	p.Post("/inspections/:id/ack", s.needLogin, s.inspectionAck)
	p.Post("/inspections/:id/rate", s.needLogin, submitLimit, s.inspectionRate)
	p.Get("/complaints", s.needLogin, s.ordersPage)
	p.Get("/complaints/export.xlsx", s.needLogin, needRole(account.RoleLiaison, account.RoleAdmin), s.ordersExport)
	p.Post("/complaints/assign", s.needLogin, needRole(account.RoleLiaison, account.RoleAdmin), s.bulkAssign)
	p.Get("/complaints/new", s.needLogin, needRole(account.RoleEnterprise, account.RoleObserver), s.orderNewPage)
	p.Post("/complaints", s.needLogin, needRole(account.RoleEnterprise, account.RoleObserver), submitLimit, s.orderCreate)
	p.Get("/complaints/:id", s.needLogin, s.orderPage)
	p.Post("/complaints/:id/act", s.needLogin, submitLimit, s.orderAct)
	p.Post("/complaints/:id/evidence", s.needLogin, submitLimit, s.pageAttach)
	p.Post("/complaints/:id/reveal", s.needLogin, s.orderReveal)
	p.Get("/complaints/:id/evidence/:eid", s.needLogin, s.evidenceFile)
	p.Post("/inbox/read", s.needLogin, s.inboxRead)
	p.Get("/settings/notifications", s.needLogin, s.settingsPage)
	p.Post("/settings/notifications", s.needLogin, submitLimit, s.settingsSave)

	p.Get("/admin/users", s.needLogin, admin, s.adminUsers)
	p.Get("/admin/users/new", s.needLogin, admin, s.adminUserNew)
	p.Post("/admin/users", s.needLogin, admin, s.adminUserCreate)
	p.Post("/admin/users/:id/disabled", s.needLogin, admin, s.adminUserDisable)
	p.Get("/admin/bodies", s.needLogin, admin, s.adminBodies)
	p.Get("/admin/bodies/new", s.needLogin, admin, s.adminBodyForm)
	p.Get("/admin/bodies/:id", s.needLogin, admin, s.adminBodyForm)
	p.Post("/admin/bodies", s.needLogin, admin, s.adminBodySave)
	p.Post("/admin/bodies/:id", s.needLogin, admin, s.adminBodySave)
	p.Get("/admin/counties", s.needLogin, admin, s.adminCounties)
	p.Get("/admin/workflow", s.needLogin, admin, s.adminWorkflow)
	p.Get("/admin/calendar", s.needLogin, admin, s.adminCalendar)
	p.Get("/admin/outbox", s.needLogin, admin, s.adminOutbox)
	p.Post("/admin/calendar", s.needLogin, admin, s.adminCalendarSave)
	p.Post("/admin/calendar/delete", s.needLogin, admin, s.adminCalendarDelete)
	p.Post("/admin/workflow/rules", s.needLogin, admin, s.adminRuleAdd)
	p.Post("/admin/workflow/rules/:id/delete", s.needLogin, admin, s.adminRuleDelete)
	p.Post("/admin/workflow/sla/:id", s.needLogin, admin, s.adminSLASave)
}

// perMinute limits a route to n requests a minute per client address.
func perMinute(n int) fiber.Handler {
	return limiter.New(limiter.Config{Max: n, Expiration: time.Minute, LimitReached: func(c *fiber.Ctx) error { return errLimited }})
}
