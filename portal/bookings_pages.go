package portal

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/booking"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/portal/api"
)

// The booking platform's pages: each binds the input type its API twin (bookings_api.go) binds
// and calls the same use case.

// servicesPage is the menu: the viewer's industry first.
func (s *Server) servicesPage(c *fiber.Ctx) error {
	cat, err := s.svc.Bookings.Catalogue(c.UserContext(), viewerOf(c).Actor, booking.CatalogueQuery{})
	if err != nil {
		return err
	}
	return s.render(c, "services", fiber.Map{"Title": tr(langOf(c), "svc.title"), "Services": cat.Services, "Industry": cat.Industry})
}

// servicePage shows a service and its free slots for the next two weeks; a slot is one click
// from the booking form.
func (s *Server) servicePage(c *fiber.Ctx) error {
	var p serviceSlots
	if err := s.pageParams(c, &p); err != nil {
		return err
	}
	o, err := s.svc.Bookings.Offering(c.UserContext(), viewerOf(c).Actor, uint(p.ID.ID), p.WindowQuery)
	if err != nil {
		return err
	}
	return s.render(c, "service", fiber.Map{"Title": pickLang(langOf(c), o.Service.NameZh, o.Service.NameEn), "Service": o.Service, "Days": o.Days(),
		"CanBook": o.CanBook, "Next": calendar.DateOf(o.To).String()})
}

func pickLang(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

// bookFormParams name the service and the slot a booking form is for.
type bookFormParams struct {
	api.ID
	Slot uint64 `query:"slot"`
}

func (s *Server) bookFormPage(c *fiber.Ctx) error {
	var p bookFormParams
	if err := s.pageParams(c, &p); err != nil {
		return err
	}
	o, err := s.svc.Bookings.Offer(c.UserContext(), p.Slot)
	if err != nil {
		return err
	}
	if o.Service.ID != uint(p.ID.ID) || !o.Service.Active {
		return errNotFound
	}
	return s.renderBookForm(c, o, &booking.BookInput{SlotID: o.Slot.ID, Mode: o.Mode}, nil, "")
}

func (s *Server) renderBookForm(c *fiber.Ctx, o *booking.Offer, f *booking.BookInput, fields map[string]string, msg string) error {
	lang := langOf(c)
	data := fiber.Map{"Title": tr(lang, "book.title"), "Service": o.Service, "Slot": o.Slot, "Form": f, "Errors": fieldMessages(lang, fields)}
	if msg != "" {
		data["Error"] = msg
	} else if len(fields) > 0 {
		data["Error"] = tr(lang, "err.form")
	}
	return s.render(c, "book", data)
}

func (s *Server) bookSubmit(c *fiber.Ctx) error {
	var in booking.BookInput
	err := s.pageForm(c, &in)
	if errors.Is(err, errs.Malformed) {
		return err
	}
	var b *booking.BookingView
	if err == nil {
		b, err = s.svc.Bookings.Book(keyed(c), viewerOf(c).Actor, in)
	}
	var p *errs.Error
	if errors.As(err, &p) && !errors.Is(p, errs.NotFound) && !errors.Is(p, errs.Forbidden) {
		// Show the form again with the reason: full, closed, past, or a field.
		o, oerr := s.svc.Bookings.Offer(c.UserContext(), in.SlotID)
		if oerr != nil {
			return errNotFound
		}
		c.Status(statusOf(p))
		msg := ""
		if len(p.Fields) == 0 {
			msg = tr(langOf(c), p.Key)
		}
		return s.renderBookForm(c, o, &in, p.Fields, msg)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/bookings/"+strconv.FormatUint(b.ID, 10)+"?done=booked", fiber.StatusSeeOther)
}

// bookingsPage: an enterprise's bookings; a provider's day (?date=YYYY-MM-DD, today by default).
func (s *Server) bookingsPage(c *fiber.Ctx) error {
	a := viewerOf(c).Actor
	lang := langOf(c)
	var q booking.ListQuery
	if err := s.pageParams(c, &q); err != nil {
		return err
	}
	provider := a.Role == account.RoleProvider
	feed, err := s.svc.Bookings.FeedURL(c.UserContext(), a)
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": tr(lang, "booking.title"), "Provider": provider, "Feed": feed, "Done": c.Query("done")}
	if provider {
		day := calendar.DateOf(s.svc.Clock.Now())
		if q.Date != "" {
			d, err := time.ParseInLocation("2006-01-02", q.Date, calendar.Location())
			if err != nil {
				return booking.ErrDate
			}
			day = calendar.DateOf(d)
		}
		q.Date = day.String()
		data["Title"] = tr(lang, "bookings.day")
		data["Day"], data["Prev"], data["NextDay"] = day.String(), day.AddDays(-1).String(), day.AddDays(1).String()
		data["Holiday"] = s.svc.Calendar.HolidayName(day.Time())
	} else {
		q.Date = "" // an enterprise sees all of its own
	}
	list, err := s.svc.Bookings.List(c.UserContext(), a, q)
	if err != nil {
		return err
	}
	data["Rows"] = list
	return s.render(c, "bookings", data)
}

func (s *Server) bookingPage(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	d, err := s.svc.Bookings.Detail(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	return s.render(c, "booking", fiber.Map{"Title": tr(langOf(c), "booking.title") + " " + d.Booking.Number, "B": d.Booking, "Done": c.Query("done"),
		"Report": d.Report, "Slots": d.MoveTo})
}

// bookingAct is the page form for confirm, start and no-show (the API's /actions) and cancel
// (the API's /cancel).
func (s *Server) bookingAct(c *fiber.Ctx) error {
	a := viewerOf(c).Actor
	var in booking.ActInput
	id, err := s.pageID(c)
	switch {
	case err != nil:
	case c.FormValue("action") == string(slots.Cancel) && c.FormValue("confirm") != "yes":
		return s.confirmCancel(c, id) // cancelling cannot be undone: the page asks once more
	case c.FormValue("action") == string(slots.Cancel):
		in.Action = string(slots.Cancel)
		_, err = s.svc.Bookings.Cancel(c.UserContext(), a, id)
	default:
		if err = s.pageForm(c, &in); err == nil {
			_, err = s.svc.Bookings.Act(c.UserContext(), a, id, in)
		}
	}
	return s.bookingDone(c, id, in.Action, err)
}

// confirmCancel is the check step before a booking is cancelled: which booking, when, that the
// time goes back to others, a button that cancels and a way back. No script needed.
func (s *Server) confirmCancel(c *fiber.Ctx, id uint64) error {
	d, err := s.svc.Bookings.Detail(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	if !slices.Contains(d.Booking.Actions, slots.Cancel) {
		return slots.ErrNotAllowed
	}
	return s.render(c, "booking_cancel", fiber.Map{"Title": tr(langOf(c), "forms.cancel.title"), "B": d.Booking})
}

// bookingDone sends the browser back to the booking with what was done, or answers err.
func (s *Server) bookingDone(c *fiber.Ctx, id uint64, done string, err error) error {
	if err != nil {
		return err
	}
	return c.Redirect("/bookings/"+strconv.FormatUint(id, 10)+"?done="+done, fiber.StatusSeeOther)
}

func (s *Server) bookingReschedulePage(c *fiber.Ctx) error {
	var in booking.MoveInput
	id, err := s.idForm(c, &in)
	if err == nil {
		_, err = s.svc.Bookings.Reschedule(c.UserContext(), viewerOf(c).Actor, id, in)
	}
	return s.bookingDone(c, id, "reschedule", err)
}

func (s *Server) bookingCompletePage(c *fiber.Ctx) error {
	var in booking.ReportInput
	id, err := s.idForm(c, &in)
	if err == nil {
		_, err = s.svc.Bookings.Complete(c.UserContext(), viewerOf(c).Actor, id, in)
	}
	return s.bookingDone(c, id, "complete", err)
}

var weekdays = []int{1, 2, 3, 4, 5, 6, 0}

// providerSchedule: a provider's services with their weekly times, one row per weekday.
func (s *Server) providerSchedule(c *fiber.Ctx) error { return s.renderSchedule(c, 0, nil) }

// renderSchedule is the provider's schedule page; after a failed save of service failed, that
// service's week shows what was typed and each field at fault is named <field>-<service>.
func (s *Server) renderSchedule(c *fiber.Ctx, failed uint64, fields map[string]string) error {
	views, err := s.svc.Bookings.Schedules(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	marked := map[string]string{}
	if failed != 0 {
		for i := range views {
			if uint64(views[i].Service.ID) != failed {
				continue
			}
			for _, wd := range weekdays {
				k := strconv.Itoa(wd)
				views[i].Times[wd] = strings.Clone(c.FormValue("times" + k))
				if n, err := strconv.Atoi(c.FormValue("cap" + k)); err == nil {
					views[i].Cap[wd] = n
				}
			}
		}
		for f, m := range fieldMessages(langOf(c), fields) {
			marked[f+"-"+strconv.FormatUint(failed, 10)] = m
		}
	}
	return s.render(c, "provider_schedule", fiber.Map{"Title": tr(langOf(c), "sched.title"), "Views": views, "Weekdays": weekdays, "Saved": c.Query("saved"), "Errors": marked})
}

// scheduleForm reads the page's week, per weekday "times" (HH:MM, comma-separated) and "cap",
// into the API's input; a bad entry is named by its form field.
func scheduleForm(c *fiber.Ctx) (booking.ScheduleInput, error) {
	var in booking.ScheduleInput
	fields := map[string]string{}
	for _, wd := range weekdays {
		k := strconv.Itoa(wd)
		raw := strings.TrimSpace(c.FormValue("times" + k))
		if raw == "" {
			continue
		}
		capacity, err := strconv.Atoi(strings.TrimSpace(c.FormValue("cap" + k)))
		if err != nil || capacity < 1 || capacity > 500 {
			fields["cap"+k] = "err.invalid"
			continue
		}
		for _, t := range strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
			// "14:00×1" gives one time its own capacity.
			each := capacity
			if at, n, ok := strings.Cut(strings.NewReplacer("x", "×", "X", "×", "*", "×").Replace(t), "×"); ok {
				c, err := strconv.Atoi(n)
				if err != nil || c < 1 || c > 500 {
					fields["times"+k] = "err.invalid"
					continue
				}
				t, each = at, c
			}
			if _, _, err := slots.ParseClock(t); err != nil {
				fields["times"+k] = "err.invalid"
				continue
			}
			in.Rules = append(in.Rules, booking.Rule{Weekday: wd, Start: t, Capacity: each})
		}
	}
	if len(fields) > 0 {
		return in, errs.InvalidFields(fields)
	}
	return in, nil
}

func (s *Server) providerScheduleSave(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	in, err := scheduleForm(c)
	if err == nil {
		err = s.svc.Bookings.PublishSchedule(c.UserContext(), viewerOf(c).Actor, uint(id), in)
	}
	return s.scheduleSaved(c, id, err)
}

func (s *Server) providerExceptionSave(c *fiber.Ctx) error {
	var in booking.ExceptionInput
	id, err := s.idForm(c, &in)
	if err == nil {
		err = s.svc.Bookings.SetException(c.UserContext(), viewerOf(c).Actor, uint(id), in)
	}
	return s.scheduleSaved(c, id, err)
}

// scheduleSaved sends the provider back to its schedule, the service saved marked, or shows the
// page again with the fields at fault.
func (s *Server) scheduleSaved(c *fiber.Ctx, id uint64, err error) error {
	if err != nil {
		return s.refill(c, err, func(fields map[string]string) error { return s.renderSchedule(c, id, fields) })
	}
	return c.Redirect("/provider/schedule?saved="+strconv.FormatUint(id, 10), fiber.StatusSeeOther)
}

// --- admin: the catalogue ---

func (s *Server) adminServices(c *fiber.Ctx) error {
	list, err := s.svc.Bookings.AllServices(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "admin_services", fiber.Map{"Title": tr(langOf(c), "admin.services"), "Rows": list, "Saved": c.Query("saved") == "1"})
}

// serviceID is the catalogue entry a form is for; 0 on the routes that add one.
func (s *Server) serviceID(c *fiber.Ctx) (uint, error) {
	if c.Params("id") == "" {
		return 0, nil
	}
	id, err := s.pageID(c)
	return uint(id), err
}

func (s *Server) adminServiceForm(c *fiber.Ctx) error {
	id, err := s.serviceID(c)
	if err != nil {
		return err
	}
	f := booking.NewServiceInput()
	if id != 0 {
		if f, err = s.svc.Bookings.ServiceInputOf(c.UserContext(), viewerOf(c).Actor, id); err != nil {
			return err
		}
	}
	return s.renderServiceForm(c, id, f, nil)
}

func (s *Server) renderServiceForm(c *fiber.Ctx, id uint, f *booking.ServiceInput, fields map[string]string) error {
	lang := langOf(c)
	provs, err := s.svc.Bookings.Providers(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	chosen := map[string]bool{}
	for _, i := range f.Industries {
		chosen[i] = true
	}
	data := fiber.Map{"Title": tr(lang, "admin.services"), "ID": id, "Form": f, "Chosen": chosen, "Industries": account.Industries, "Providers": provs, "Errors": fieldMessages(lang, fields)}
	if len(fields) > 0 {
		data["Error"] = tr(lang, "err.form")
	}
	return s.render(c, "admin_service_form", data)
}

func (s *Server) adminServiceSave(c *fiber.Ctx) error {
	id, err := s.serviceID(c)
	if err != nil {
		return err
	}
	var in booking.ServiceInput
	err = s.pageForm(c, &in)
	if err == nil {
		_, err = s.svc.Bookings.SaveService(c.UserContext(), viewerOf(c).Actor, id, in)
	}
	if fields := errs.FieldsOf(err); len(fields) > 0 {
		c.Status(statusOf(err))
		return s.renderServiceForm(c, id, &in, fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/services?saved=1", fiber.StatusSeeOther)
}

// bookingsNewFeed makes a new private feed link; the old one stops working at once.
func (s *Server) bookingsNewFeed(c *fiber.Ctx) error {
	if _, err := s.svc.Bookings.NewFeedURL(c.UserContext(), viewerOf(c).Actor); err != nil {
		return err
	}
	return c.Redirect("/bookings?done=feed", fiber.StatusSeeOther)
}
