package portal

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/booking"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/store"
)

// servicesPage is the menu: the viewer's industry first.
func (s *Server) servicesPage(c *fiber.Ctx) error {
	industry := s.industryOf(c)
	list, err := s.catalogue(c, industry)
	if err != nil {
		return err
	}
	return s.render(c, "services", fiber.Map{"Title": tr(langOf(c), "svc.title"), "Services": list, "Industry": industry})
}

type dayGroup struct {
	Day     string
	Weekday int
	Slots   []store.Slot
}

func groupByDay(slots []store.Slot) []dayGroup {
	var out []dayGroup
	for _, sl := range slots {
		local := sl.StartsAt.In(calendar.Location())
		d := local.Format("2006-01-02")
		if len(out) == 0 || out[len(out)-1].Day != d {
			out = append(out, dayGroup{Day: d, Weekday: int(local.Weekday())})
		}
		out[len(out)-1].Slots = append(out[len(out)-1].Slots, sl)
	}
	return out
}

// servicePage shows a service and its free slots for the next two weeks; a slot is one click
// from the booking form.
func (s *Server) servicePage(c *fiber.Ctx) error {
	sv, err := s.activeService(c)
	if err != nil {
		return err
	}
	from, to, err := s.slotWindow(c)
	if err != nil {
		return err
	}
	slots, err := s.Store.OpenSlots(c.UserContext(), sv.ID, from, to)
	if err != nil {
		return err
	}
	lang := langOf(c)
	return s.render(c, "service", fiber.Map{"Title": pickLang(lang, sv.NameZh, sv.NameEn), "Service": sv, "Days": groupByDay(slots),
		"CanBook": viewerOf(c).Actor.Role == account.RoleEnterprise, "Next": to.Format("2006-01-02")})
}

func pickLang(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

func (s *Server) bookFormPage(c *fiber.Ctx) error {
	sv, err := s.activeService(c)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseUint(c.Query("slot"), 10, 64)
	sl, err := s.Store.Slot(c.UserContext(), id)
	if err != nil || sl.ServiceID != sv.ID {
		return errNotFound
	}
	mode := "online"
	if sv.Mode == "onsite" {
		mode = "onsite"
	}
	return s.renderBookForm(c, sv, sl, &bookForm{SlotID: sl.ID, Mode: mode}, nil, "")
}

func (s *Server) renderBookForm(c *fiber.Ctx, sv *store.Service, sl *store.Slot, f *bookForm, fields map[string]string, msg string) error {
	lang := langOf(c)
	data := fiber.Map{"Title": tr(lang, "book.title"), "Service": sv, "Slot": sl, "Form": f, "Errors": fieldMessages(lang, fields)}
	if msg != "" {
		data["Error"] = msg
	} else if len(fields) > 0 {
		data["Error"] = tr(lang, "err.form")
	}
	return s.render(c, "book", data)
}

func (s *Server) bookSubmit(c *fiber.Ctx) error {
	var f bookForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	err := s.check(&f)
	var b *store.Booking
	if err == nil {
		b, err = s.svc.Bookings.Book(c.UserContext(), viewerOf(c).Actor, booking.Request{SlotID: f.SlotID, Mode: f.Mode, Address: f.Address, Topic: f.Topic})
		err = bookingProblem(err)
	}
	var p *errs.Error
	if errors.As(err, &p) && statusOf(p) != fiber.StatusNotFound && statusOf(p) != fiber.StatusForbidden {
		// Show the form again with the reason: full, closed, past, or a field.
		sl, serr := s.Store.Slot(c.UserContext(), f.SlotID)
		if serr != nil {
			return errNotFound
		}
		sv, serr := s.Store.Service(c.UserContext(), sl.ServiceID)
		if serr != nil {
			return serr
		}
		c.Status(statusOf(p))
		msg := ""
		if len(p.Fields) == 0 {
			msg = tr(langOf(c), p.Key)
		}
		return s.renderBookForm(c, sv, sl, &f, p.Fields, msg)
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
	data := fiber.Map{"Title": tr(lang, "booking.title"), "Provider": a.Role == account.RoleProvider, "Feed": s.feedURL(a.UserID)}
	var from, to time.Time
	if a.Role == account.RoleProvider {
		day := calendar.DateOf(s.Clock.Now())
		if q := c.Query("date"); q != "" {
			d, err := time.ParseInLocation("2006-01-02", q, calendar.Location())
			if err != nil {
				return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"date": "err.invalid"}}
			}
			day = calendar.DateOf(d)
		}
		from, to = day.Time(), day.AddDays(1).Time()
		data["Title"] = tr(lang, "bookings.day")
		data["Day"], data["Prev"], data["NextDay"] = day.String(), day.AddDays(-1).String(), day.AddDays(1).String()
		data["Holiday"] = s.Calendar.HolidayName(day.Time())
	}
	list, err := s.myBookings(c, from, to)
	if err != nil {
		return err
	}
	services := map[uint]string{}
	for _, b := range list {
		if _, ok := services[b.ServiceID]; !ok {
			if sv, err := s.Store.Service(c.UserContext(), b.ServiceID); err == nil {
				services[b.ServiceID] = pickLang(lang, sv.NameZh, sv.NameEn)
			}
		}
	}
	data["Rows"], data["Services"] = list, services
	return s.render(c, "bookings", data)
}

func (s *Server) bookingPage(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	a := viewerOf(c).Actor
	ctx := c.UserContext()
	b, err := s.svc.Bookings.Get(ctx, a, id)
	if err != nil {
		return bookingProblem(err)
	}
	sv, err := s.Store.Service(ctx, b.ServiceID)
	if err != nil {
		return err
	}
	lang := langOf(c)
	data := fiber.Map{"Title": tr(lang, "booking.title") + " " + b.Number, "B": b, "Service": sv, "Done": c.Query("done"),
		"Actions": slots.Allowed(slots.Status(b.Status), sideOf(a)), "Provider": a.Role == account.RoleProvider}
	if r, err := s.Store.Report(ctx, b.ID); err == nil {
		data["Report"] = r
	}
	if a.Role == account.RoleEnterprise && slots.CanReschedule(s.Clock.Now(), b.StartsAt) == nil && slots.Status(b.Status).Active() {
		now := s.Clock.Now()
		slots, err := s.Store.OpenSlots(ctx, sv.ID, now.Add(slots.ChangeNotice), now.AddDate(0, 0, 28))
		if err != nil {
			return err
		}
		data["Slots"] = slots
	}
	if b.Status == string(slots.Completed) || b.Status == string(slots.Cancelled) || b.Status == string(slots.NoShow) {
		delete(data, "Slots")
	}
	return s.render(c, "booking", data)
}

// bookingAct is the page form for confirm, start, no-show and cancel.
func (s *Server) bookingAct(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	a := viewerOf(c).Actor
	act := slots.Action(c.FormValue("action"))
	switch act {
	case slots.Cancel:
		_, err = s.svc.Bookings.Cancel(c.UserContext(), a, id)
	case slots.Confirm, slots.Start, slots.MarkNoShow:
		_, err = s.svc.Bookings.Act(c.UserContext(), a, id, act)
	default:
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"action": "err.oneof"}}
	}
	if err != nil {
		return bookingProblem(err)
	}
	return c.Redirect("/bookings/"+strconv.FormatUint(id, 10)+"?done="+string(act), fiber.StatusSeeOther)
}

func (s *Server) bookingReschedulePage(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	slot, err := strconv.ParseUint(c.FormValue("slot_id"), 10, 64)
	if err != nil {
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"slot_id": "err.required"}}
	}
	if _, err := s.svc.Bookings.Reschedule(c.UserContext(), viewerOf(c).Actor, id, slot); err != nil {
		return bookingProblem(err)
	}
	return c.Redirect("/bookings/"+strconv.FormatUint(id, 10)+"?done=reschedule", fiber.StatusSeeOther)
}

func (s *Server) bookingCompletePage(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	var f reportForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	if _, err := s.svc.Bookings.Complete(c.UserContext(), viewerOf(c).Actor, id, booking.Report{Findings: f.Findings, Advice: f.Advice, FollowUp: f.FollowUp}); err != nil {
		return bookingProblem(err)
	}
	return c.Redirect("/bookings/"+strconv.FormatUint(id, 10)+"?done=complete", fiber.StatusSeeOther)
}

var weekdays = []int{1, 2, 3, 4, 5, 6, 0}

type scheduleView struct {
	Service store.Service
	Times   map[int]string // weekday → "09:00, 14:00"
	Cap     map[int]int
}

// providerSchedule: a provider's services with their weekly times, one row per weekday.
func (s *Server) providerSchedule(c *fiber.Ctx) error {
	a := viewerOf(c).Actor
	ctx := c.UserContext()
	var list []store.Service
	var err error
	if a.Role == account.RoleProvider {
		list, err = s.Store.ServicesOf(ctx, a.UserID)
	} else {
		return errForbidden
	}
	if err != nil {
		return err
	}
	views := make([]scheduleView, len(list))
	for i, sv := range list {
		rules, err := s.Store.Rules(ctx, sv.ID)
		if err != nil {
			return err
		}
		v := scheduleView{Service: sv, Times: map[int]string{}, Cap: map[int]int{}}
		for _, r := range rules {
			if v.Times[r.Weekday] != "" {
				v.Times[r.Weekday] += ", "
			}
			v.Times[r.Weekday] += r.Start
			v.Cap[r.Weekday] = max(v.Cap[r.Weekday], r.Capacity)
		}
		views[i] = v
	}
	return s.render(c, "provider_schedule", fiber.Map{"Title": tr(langOf(c), "sched.title"), "Views": views, "Weekdays": weekdays, "Saved": c.Query("saved")})
}

// providerScheduleSave reads, per weekday, "times" (HH:MM, comma-separated) and "cap".
func (s *Server) providerScheduleSave(c *fiber.Ctx) error {
	sv, err := s.activeService(c)
	if err != nil {
		return err
	}
	var rules []booking.Rule
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
			if _, _, err := slots.ParseClock(t); err != nil {
				fields["times"+k] = "err.invalid"
				continue
			}
			rules = append(rules, booking.Rule{Weekday: wd, Start: t, Capacity: capacity})
		}
	}
	if len(fields) > 0 {
		return errs.InvalidFields(fields)
	}
	if err := s.svc.Bookings.PublishSchedule(c.UserContext(), viewerOf(c).Actor, sv.ID, rules); err != nil {
		return bookingProblem(err)
	}
	return c.Redirect("/provider/schedule?saved="+strconv.FormatUint(uint64(sv.ID), 10), fiber.StatusSeeOther)
}

func (s *Server) providerExceptionSave(c *fiber.Ctx) error {
	sv, err := s.activeService(c)
	if err != nil {
		return err
	}
	var f exceptionForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.saveException(c, sv.ID, &f); err != nil {
		return err
	}
	return c.Redirect("/provider/schedule?saved="+strconv.FormatUint(uint64(sv.ID), 10), fiber.StatusSeeOther)
}

// --- admin: the catalogue ---

type serviceForm struct {
	Code       string   `json:"code" form:"code" validate:"required,max=40,username"`
	Kind       string   `json:"kind" form:"kind" validate:"required,oneof=checkup risk legal menu"`
	NameZh     string   `json:"name_zh" form:"name_zh" validate:"required,max=120"`
	NameEn     string   `json:"name_en" form:"name_en" validate:"required,max=120"`
	DescZh     string   `json:"description_zh" form:"description_zh" validate:"max=4000"`
	DescEn     string   `json:"description_en" form:"description_en" validate:"max=4000"`
	Industries []string `json:"industries" form:"industries" validate:"max=20,dive,industry"`
	Minutes    int      `json:"minutes" form:"minutes" validate:"required,min=15,max=480"`
	Mode       string   `json:"mode" form:"mode" validate:"required,oneof=online onsite both"`
	ProviderID uint     `json:"provider_id" form:"provider_id" validate:"required"`
	Active     bool     `json:"active" form:"active"`
}

func (s *Server) saveService(c *fiber.Ctx, id uint, f *serviceForm) (*store.Service, error) {
	ctx := c.UserContext()
	if err := s.check(f); err != nil {
		return nil, err
	}
	u, err := s.Store.User(ctx, f.ProviderID)
	if err != nil || u.Role != account.RoleProvider {
		return nil, errs.InvalidFields(map[string]string{"provider_id": "err.invalid"})
	}
	now := s.Clock.Now()
	sv := &store.Service{CreatedAt: now}
	if id != 0 {
		if sv, err = s.Store.Service(ctx, id); err != nil {
			return nil, err
		}
	}
	sv.Code, sv.Kind, sv.NameZh, sv.NameEn, sv.DescZh, sv.DescEn = strings.ToLower(strings.TrimSpace(f.Code)), f.Kind, strings.TrimSpace(f.NameZh), strings.TrimSpace(f.NameEn), f.DescZh, f.DescEn
	sv.Industries, sv.Minutes, sv.Mode, sv.ProviderID, sv.Active, sv.UpdatedAt = strings.Join(f.Industries, ","), f.Minutes, f.Mode, f.ProviderID, f.Active, now
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.SaveService(ctx, sv); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errs.InvalidFields(map[string]string{"code": "err.taken"})
			}
			return err
		}
		return s.audit(ctx, c, "service.save", "service", uint64(sv.ID), `{"code":"`+sv.Code+`"}`)
	})
	return sv, err
}

func (s *Server) providers(ctx context.Context) ([]account.User, error) {
	return s.Store.UsersByRole(ctx, account.RoleProvider)
}

func (s *Server) adminServices(c *fiber.Ctx) error {
	list, err := s.Store.Services(c.UserContext(), true)
	if err != nil {
		return err
	}
	return s.render(c, "admin_services", fiber.Map{"Title": tr(langOf(c), "admin.services"), "Rows": list, "Saved": c.Query("saved") == "1"})
}

func (s *Server) adminServiceForm(c *fiber.Ctx) error {
	f := &serviceForm{Kind: "menu", Minutes: 60, Mode: "both", Active: true}
	var id uint
	if c.Params("id") != "" {
		n, err := strconv.ParseUint(c.Params("id"), 10, 32)
		if err != nil {
			return errNotFound
		}
		sv, err := s.Store.Service(c.UserContext(), uint(n))
		if err != nil {
			return err
		}
		id = sv.ID
		f = &serviceForm{Code: sv.Code, Kind: sv.Kind, NameZh: sv.NameZh, NameEn: sv.NameEn, DescZh: sv.DescZh, DescEn: sv.DescEn,
			Minutes: sv.Minutes, Mode: sv.Mode, ProviderID: sv.ProviderID, Active: sv.Active}
		if sv.Industries != "" {
			f.Industries = strings.Split(sv.Industries, ",")
		}
	}
	return s.renderServiceForm(c, id, f, nil)
}

func (s *Server) renderServiceForm(c *fiber.Ctx, id uint, f *serviceForm, fields map[string]string) error {
	lang := langOf(c)
	provs, err := s.providers(c.UserContext())
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
	var id uint
	if c.Params("id") != "" {
		n, err := strconv.ParseUint(c.Params("id"), 10, 32)
		if err != nil {
			return errNotFound
		}
		id = uint(n)
	}
	var f serviceForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	_, err := s.saveService(c, id, &f)
	var p *errs.Error
	if errors.As(err, &p) && len(p.Fields) > 0 {
		c.Status(statusOf(p))
		return s.renderServiceForm(c, id, &f, p.Fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/services?saved=1", fiber.StatusSeeOther)
}

func (s *Server) apiSaveService(c *fiber.Ctx) error {
	var id uint
	if c.Params("id") != "" {
		n, err := strconv.ParseUint(c.Params("id"), 10, 32)
		if err != nil {
			return errNotFound
		}
		if _, err := s.Store.Service(c.UserContext(), uint(n)); err != nil {
			return err
		}
		id = uint(n)
	}
	var f serviceForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	sv, err := s.saveService(c, id, &f)
	if err != nil {
		return err
	}
	if id == 0 {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(serviceOut(sv))
}
