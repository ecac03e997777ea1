package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
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

// bookingProblem turns a refusal into its status and message: each reason has its own words.
func bookingProblem(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, booking.ErrNotFound):
		return errNotFound
	case errors.Is(err, booking.ErrForbidden):
		return errForbidden
	case errors.Is(err, slots.ErrFull):
		return errs.New(errs.Conflict, "slot_full", "booking.err.full")
	case errors.Is(err, slots.ErrClosed):
		return errs.New(errs.Conflict, "slot_closed", "booking.err.closed")
	case errors.Is(err, slots.ErrPast):
		return errs.New(errs.Conflict, "slot_past", "booking.err.past")
	case errors.Is(err, slots.ErrTooLate):
		return errs.New(errs.Conflict, "too_late", "booking.err.too_late")
	case errors.Is(err, slots.ErrNotAllowed):
		return errs.New(errs.Conflict, "not_allowed", "booking.err.not_allowed")
	case errors.Is(err, booking.ErrSameSlot):
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"slot_id": "booking.err.same"}}
	case errors.Is(err, booking.ErrMode):
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"mode": "booking.err.mode"}}
	case errors.Is(err, booking.ErrAddress):
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"address": "err.required"}}
	case errors.Is(err, booking.ErrNoReport):
		return errs.New(errs.NotFound, "no_report", "booking.err.no_report")
	}
	return err
}

func serviceOut(sv *store.Service) fiber.Map {
	ind := []string{}
	if sv.Industries != "" {
		ind = strings.Split(sv.Industries, ",")
	}
	return fiber.Map{"id": sv.ID, "code": sv.Code, "kind": sv.Kind, "name_zh": sv.NameZh, "name_en": sv.NameEn, "description_zh": sv.DescZh,
		"description_en": sv.DescEn, "industries": ind, "minutes": sv.Minutes, "mode": sv.Mode, "provider_id": sv.ProviderID, "active": sv.Active}
}

func slotOut(sl *store.Slot) fiber.Map {
	return fiber.Map{"id": sl.ID, "service_id": sl.ServiceID, "starts_at": sl.StartsAt, "ends_at": sl.EndsAt, "capacity": sl.Capacity, "free": sl.Capacity - sl.Booked}
}

func bookingOut(b *store.Booking) fiber.Map {
	return fiber.Map{"id": b.ID, "number": b.Number, "service_id": b.ServiceID, "slot_id": b.SlotID, "starts_at": b.StartsAt, "ends_at": b.EndsAt,
		"mode": b.Mode, "address": b.Address, "topic": b.Topic, "status": b.Status, "created_at": b.CreatedAt}
}

// industryOf is the viewer's enterprise industry, for putting its menu first.
func (s *Server) industryOf(c *fiber.Ctx) string {
	v := viewerOf(c)
	if v.Actor.EnterpriseID == 0 {
		return ""
	}
	e, err := s.Store.Enterprise(c.UserContext(), v.Actor.EnterpriseID)
	if err != nil {
		return ""
	}
	return e.Industry
}

// catalogue lists active services; those that fit industry come first.
func (s *Server) catalogue(c *fiber.Ctx, industry string) ([]store.Service, error) {
	all, err := s.Store.Services(c.UserContext(), false)
	if err != nil || industry == "" {
		return all, err
	}
	var fit, rest []store.Service
	for _, sv := range all {
		if sv.Industries != "" && sv.Fits(industry) {
			fit = append(fit, sv)
		} else if sv.Fits(industry) {
			rest = append(rest, sv)
		}
	}
	return append(fit, rest...), nil
}

func (s *Server) apiServices(c *fiber.Ctx) error {
	industry := c.Query("industry")
	if industry == "" {
		industry = s.industryOf(c)
	} else if !account.ValidIndustry(industry) {
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"industry": "err.industry"}}
	}
	list, err := s.catalogue(c, industry)
	if err != nil {
		return err
	}
	items := make([]fiber.Map, len(list))
	for i := range list {
		items[i] = serviceOut(&list[i])
	}
	return c.JSON(fiber.Map{"items": items, "industry": industry})
}

func (s *Server) activeService(c *fiber.Ctx) (*store.Service, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 32)
	if err != nil {
		return nil, errNotFound
	}
	sv, err := s.Store.Service(c.UserContext(), uint(id))
	if err != nil || !sv.Active {
		return nil, errNotFound
	}
	return sv, nil
}

// slotWindow reads ?from=YYYY-MM-DD&days=N (default today, 14 days, at most 62).
func (s *Server) slotWindow(c *fiber.Ctx) (time.Time, time.Time, error) {
	now := s.Clock.Now()
	from := now
	if f := c.Query("from"); f != "" {
		d, err := time.ParseInLocation("2006-01-02", f, calendar.Location())
		if err != nil {
			return from, from, &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"from": "err.invalid"}}
		}
		if d.After(now) {
			from = d
		}
	}
	days := c.QueryInt("days", 14)
	if days < 1 || days > 62 {
		return from, from, &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"days": "err.invalid"}}
	}
	return from, from.AddDate(0, 0, days), nil
}

func (s *Server) apiServiceSlots(c *fiber.Ctx) error {
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
	items := make([]fiber.Map, len(slots))
	for i := range slots {
		items[i] = slotOut(&slots[i])
	}
	return c.JSON(fiber.Map{"service": serviceOut(sv), "items": items})
}

// apiSearchSlots finds the earliest free slots of any provider: ?kind=&industry=.
func (s *Server) apiSearchSlots(c *fiber.Ctx) error {
	kind, industry := c.Query("kind"), c.Query("industry")
	if kind != "" && kind != "checkup" && kind != "risk" && kind != "legal" && kind != "menu" {
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"kind": "err.oneof"}}
	}
	if industry != "" && !account.ValidIndustry(industry) {
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{"industry": "err.industry"}}
	}
	from, _, err := s.slotWindow(c)
	if err != nil {
		return err
	}
	hits, err := s.Store.SearchSlots(c.UserContext(), kind, industry, from, 50)
	if err != nil {
		return err
	}
	items := make([]fiber.Map, len(hits))
	for i := range hits {
		m := slotOut(&hits[i].Slot)
		m["name_zh"], m["name_en"], m["mode"] = hits[i].NameZh, hits[i].NameEn, hits[i].Mode
		items[i] = m
	}
	return c.JSON(fiber.Map{"items": items})
}

type bookForm struct {
	SlotID  uint64 `json:"slot_id" form:"slot_id" validate:"required"`
	Mode    string `json:"mode" form:"mode" validate:"required,oneof=online onsite"`
	Address string `json:"address" form:"address" validate:"max=200"`
	Topic   string `json:"topic" form:"topic" validate:"max=2000"`
}

func (s *Server) apiBook(c *fiber.Ctx) error {
	var f bookForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	b, err := s.svc.Bookings.Book(c.UserContext(), viewerOf(c).Actor, booking.Request{SlotID: f.SlotID, Mode: f.Mode, Address: f.Address, Topic: f.Topic})
	if err != nil {
		return bookingProblem(err)
	}
	return c.Status(fiber.StatusCreated).JSON(bookingOut(b))
}

// myBookings: an enterprise's, or a provider's; other roles have none to see.
func (s *Server) myBookings(c *fiber.Ctx, from, to time.Time) ([]store.Booking, error) {
	a := viewerOf(c).Actor
	f := store.BookingFilter{From: from, To: to, Limit: 500}
	switch a.Role {
	case account.RoleEnterprise:
		f.EnterpriseID = a.EnterpriseID
	case account.RoleProvider:
		f.ProviderID = a.UserID
	default:
		return nil, errForbidden
	}
	return s.Store.Bookings(c.UserContext(), f)
}

func (s *Server) apiBookings(c *fiber.Ctx) error {
	list, err := s.myBookings(c, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	items := make([]fiber.Map, len(list))
	for i := range list {
		items[i] = bookingOut(&list[i])
	}
	return c.JSON(fiber.Map{"items": items})
}

func bookingID(c *fiber.Ctx) (uint64, error) {
	id, err := strconv.ParseUint(strings.TrimSuffix(c.Params("id"), ".ics"), 10, 64)
	if err != nil {
		return 0, errNotFound
	}
	return id, nil
}

func (s *Server) apiBooking(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	b, err := s.svc.Bookings.Get(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return bookingProblem(err)
	}
	out := bookingOut(b)
	out["actions"] = slots.Allowed(slots.Status(b.Status), sideOf(viewerOf(c).Actor))
	return c.JSON(out)
}

func sideOf(a account.Actor) slots.Side {
	if a.Role == account.RoleProvider {
		return slots.Provider
	}
	return slots.Enterprise
}

type rescheduleForm struct {
	SlotID uint64 `json:"slot_id" form:"slot_id" validate:"required"`
}

func (s *Server) apiReschedule(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	var f rescheduleForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	b, err := s.svc.Bookings.Reschedule(c.UserContext(), viewerOf(c).Actor, id, f.SlotID)
	if err != nil {
		return bookingProblem(err)
	}
	return c.JSON(bookingOut(b))
}

func (s *Server) apiCancelBooking(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	b, err := s.svc.Bookings.Cancel(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return bookingProblem(err)
	}
	return c.JSON(bookingOut(b))
}

type bookingActionForm struct {
	Action string `json:"action" form:"action" validate:"required,oneof=confirm start no_show"`
}

func (s *Server) apiBookingAction(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	var f bookingActionForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	b, err := s.svc.Bookings.Act(c.UserContext(), viewerOf(c).Actor, id, slots.Action(f.Action))
	if err != nil {
		return bookingProblem(err)
	}
	return c.JSON(bookingOut(b))
}

type reportForm struct {
	Findings string `json:"findings" form:"findings" validate:"required,max=10000"`
	Advice   string `json:"advice" form:"advice" validate:"required,max=10000"`
	FollowUp string `json:"follow_up" form:"follow_up" validate:"max=2000"`
}

func (s *Server) apiCompleteBooking(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	var f reportForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	b, err := s.svc.Bookings.Complete(c.UserContext(), viewerOf(c).Actor, id, booking.Report{Findings: f.Findings, Advice: f.Advice, FollowUp: f.FollowUp})
	if err != nil {
		return bookingProblem(err)
	}
	return c.JSON(bookingOut(b))
}

func (s *Server) apiBookingReport(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	r, err := s.svc.Bookings.ReportOf(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return bookingProblem(err)
	}
	return c.JSON(fiber.Map{"booking_id": r.BookingID, "findings": r.Findings, "advice": r.Advice, "follow_up": r.FollowUp, "created_at": r.CreatedAt})
}

type scheduleForm struct {
	Rules []booking.Rule `json:"rules" validate:"max=100,dive"`
}

func (s *Server) apiPublishSchedule(c *fiber.Ctx) error {
	sv, err := s.activeService(c)
	if err != nil {
		return err
	}
	var f scheduleForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	fields := map[string]string{}
	for i, r := range f.Rules {
		if r.Weekday < 0 || r.Weekday > 6 {
			fields["rules["+strconv.Itoa(i)+"].weekday"] = "err.invalid"
		}
		if _, _, err := slots.ParseClock(r.Start); err != nil {
			fields["rules["+strconv.Itoa(i)+"].start"] = "err.invalid"
		}
		if r.Capacity < 1 || r.Capacity > 500 {
			fields["rules["+strconv.Itoa(i)+"].capacity"] = "err.invalid"
		}
	}
	if len(f.Rules) > 100 {
		fields["rules"] = "err.max"
	}
	if len(fields) > 0 {
		return errs.InvalidFields(fields)
	}
	if err := s.svc.Bookings.PublishSchedule(c.UserContext(), viewerOf(c).Actor, sv.ID, f.Rules); err != nil {
		return bookingProblem(err)
	}
	return c.JSON(fiber.Map{"service_id": sv.ID, "rules": f.Rules})
}

type exceptionForm struct {
	Day      string `json:"day" form:"day" validate:"required,datetime=2006-01-02"`
	Closed   bool   `json:"closed" form:"closed"`
	Capacity int    `json:"capacity" form:"capacity" validate:"min=0,max=500"`
}

func (s *Server) saveException(c *fiber.Ctx, serviceID uint, f *exceptionForm) error {
	if err := s.check(f); err != nil {
		return err
	}
	d, _ := time.ParseInLocation("2006-01-02", f.Day, calendar.Location())
	return bookingProblem(s.svc.Bookings.SetException(c.UserContext(), viewerOf(c).Actor, serviceID, calendar.DateOf(d), f.Closed, f.Capacity))
}

func (s *Server) apiException(c *fiber.Ctx) error {
	sv, err := s.activeService(c)
	if err != nil {
		return err
	}
	var f exceptionForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.saveException(c, sv.ID, &f); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"service_id": sv.ID, "day": f.Day, "closed": f.Closed, "capacity": f.Capacity})
}

// feedToken is the secret part of a person's private calendar feed address.
func (s *Server) feedToken(userID uint) string {
	m := hmac.New(sha256.New, s.Secret)
	m.Write([]byte("ical-feed:" + strconv.FormatUint(uint64(userID), 10)))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

func (s *Server) feedURL(userID uint) string {
	return "/ical/" + strconv.FormatUint(uint64(userID), 10) + "/" + s.feedToken(userID) + ".ics"
}

func (s *Server) icsEvents(c *fiber.Ctx, list []store.Booking) []slots.Event {
	names := map[uint]*store.Service{}
	out := make([]slots.Event, 0, len(list))
	for _, b := range list {
		sv, ok := names[b.ServiceID]
		if !ok {
			sv, _ = s.Store.Service(c.UserContext(), b.ServiceID)
			names[b.ServiceID] = sv
		}
		summary := b.Number
		if sv != nil {
			summary = sv.NameZh + " " + b.Number
		}
		loc := "线上 online"
		if b.Mode == "onsite" {
			loc = b.Address
		}
		out = append(out, slots.Event{UID: "booking-" + strconv.FormatUint(b.ID, 10) + "@qijian", Start: b.StartsAt, End: b.EndsAt, Summary: summary,
			Location: loc, Description: b.Topic, URL: c.BaseURL() + "/bookings/" + strconv.FormatUint(b.ID, 10), Cancelled: b.Status == string(slots.Cancelled), Stamp: b.UpdatedAt})
	}
	return out
}

func sendICS(c *fiber.Ctx, name, body string) error {
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(body)
}

// bookingICS is one booking as a calendar file.
func (s *Server) bookingICS(c *fiber.Ctx) error {
	id, err := bookingID(c)
	if err != nil {
		return err
	}
	b, err := s.svc.Bookings.Get(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return bookingProblem(err)
	}
	return sendICS(c, b.Number+".ics", slots.ICS("企检预约 "+b.Number, s.icsEvents(c, []store.Booking{*b})))
}

// icalFeed is a person's private feed: calendar apps fetch it without a session, so the address
// carries an unguessable token tied to the user.
func (s *Server) icalFeed(c *fiber.Ctx) error {
	uid, err := strconv.ParseUint(c.Params("uid"), 10, 32)
	token := strings.TrimSuffix(c.Params("token"), ".ics")
	if err != nil || !hmac.Equal([]byte(token), []byte(s.feedToken(uint(uid)))) {
		return errNotFound
	}
	u, err := s.Store.User(c.UserContext(), uint(uid))
	if err != nil || u.Disabled {
		return errNotFound
	}
	f := store.BookingFilter{From: s.Clock.Now().AddDate(0, -3, 0), Limit: 1000}
	switch {
	case u.Role == account.RoleEnterprise && u.EnterpriseID != nil:
		f.EnterpriseID = *u.EnterpriseID
	case u.Role == account.RoleProvider:
		f.ProviderID = u.ID
	default:
		return errNotFound
	}
	list, err := s.Store.Bookings(c.UserContext(), f)
	if err != nil {
		return err
	}
	return sendICS(c, "qijian.ics", slots.ICS("企检预约", s.icsEvents(c, list)))
}
