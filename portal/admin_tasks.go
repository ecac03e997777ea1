package portal

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"qijian/portal/api"
)

// adminTasks lists the tasks that failed for good (the queue and then the sweep gave up on
// them), each with a retry once its cause is fixed.
func (s *Server) adminTasks(c *fiber.Ctx) error {
	rows, err := s.svc.Admin.FailedTasks(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "admin_tasks", fiber.Map{"Title": tr(langOf(c), "admin.tasks"), "Rows": rows, "Done": c.Query("done")})
}

// adminTaskRetry hands one failed task back to the relay.
func (s *Server) adminTaskRetry(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	if err := s.svc.Admin.RetryTask(c.UserContext(), viewerOf(c).Actor, p.ID); err != nil {
		return err
	}
	return c.Redirect("/admin/tasks?done="+strconv.FormatUint(p.ID, 10), fiber.StatusSeeOther)
}
