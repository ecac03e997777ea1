package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/booking"
	"qijian/portal/api"
)

// The booking platform's API (seed §2.8 一): thin handlers over internal/booking, whose views they
// turn into the api types. The pages (bookings_pages.go) call the same use cases with the same
// inputs.

func serviceOut(v *booking.ServiceView) api.Service {
	return api.Service{ID: v.ID, Code: v.Code, Kind: v.Kind, NameZh: v.NameZh, NameEn: v.NameEn, DescriptionZh: v.DescZh, DescriptionEn: v.DescEn,
		Industries: nonNil(v.Industries), Minutes: v.Minutes, Mode: v.Mode, ProviderID: v.ProviderID, Active: v.Active}
}

func slotOut(v *booking.SlotView) api.Slot {
	return api.Slot{ID: v.ID, ServiceID: v.ServiceID, StartsAt: v.StartsAt, EndsAt: v.EndsAt, Capacity: v.Capacity, Free: v.Free}
}

func bookingOut(v *booking.BookingView) api.Booking {
	acts := make([]string, len(v.Actions))
	for i, a := range v.Actions {
		acts[i] = string(a)
	}
	return api.Booking{ID: v.ID, Number: v.Number, ServiceID: v.ServiceID, SlotID: v.SlotID, StartsAt: v.StartsAt, EndsAt: v.EndsAt,
		Mode: v.Mode, Address: v.Address, Topic: v.Topic, Status: string(v.Status), CreatedAt: v.CreatedAt, Actions: acts}
}

// nonNil keeps an empty list a list in JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) apiServices(c *fiber.Ctx, q *booking.CatalogueQuery, _ *struct{}) (api.Catalogue, error) {
	cat, err := s.svc.Bookings.Catalogue(c.UserContext(), viewerOf(c).Actor, *q)
	if err != nil {
		return api.Catalogue{}, err
	}
	return api.Catalogue{Items: convert(cat.Services, serviceOut), Industry: cat.Industry}, nil
}

// serviceSlots are a service's id and the days to show its slots for.
type serviceSlots struct {
	api.ID
	booking.WindowQuery
}

func (s *Server) apiServiceSlots(c *fiber.Ctx, p *serviceSlots, _ *struct{}) (api.ServiceSlots, error) {
	o, err := s.svc.Bookings.Offering(c.UserContext(), viewerOf(c).Actor, uint(p.ID.ID), p.WindowQuery)
	if err != nil {
		return api.ServiceSlots{}, err
	}
	return api.ServiceSlots{Service: serviceOut(&o.Service), Items: convert(o.Slots, slotOut)}, nil
}

func (s *Server) apiSearchSlots(c *fiber.Ctx, q *booking.SearchQuery, _ *struct{}) (api.List[api.Slot], error) {
	hits, err := s.svc.Bookings.Search(c.UserContext(), *q)
	return apiList(hits, err, func(h *booking.SlotHit) api.Slot {
		out := slotOut(&h.SlotView)
		out.NameZh, out.NameEn, out.Mode = h.NameZh, h.NameEn, h.Mode
		return out
	})
}

func (s *Server) apiBook(c *fiber.Ctx, _ *struct{}, in *booking.BookInput) (api.Booking, error) {
	return bookingAnswer(s.svc.Bookings.Book(keyed(c), viewerOf(c).Actor, *in))
}

func bookingAnswer(v *booking.BookingView, err error) (api.Booking, error) {
	return apiAnswer(v, err, bookingOut)
}

func (s *Server) apiBookings(c *fiber.Ctx, q *booking.ListQuery, _ *struct{}) (api.List[api.Booking], error) {
	list, err := s.svc.Bookings.List(c.UserContext(), viewerOf(c).Actor, *q)
	return apiList(list, err, bookingOut)
}

func (s *Server) apiBooking(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.Booking, error) {
	return bookingAnswer(s.svc.Bookings.Get(c.UserContext(), viewerOf(c).Actor, p.ID))
}

func (s *Server) apiReschedule(c *fiber.Ctx, p *api.ID, in *booking.MoveInput) (api.Booking, error) {
	return bookingAnswer(s.svc.Bookings.Reschedule(c.UserContext(), viewerOf(c).Actor, p.ID, *in))
}

func (s *Server) apiCancelBooking(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.Booking, error) {
	return bookingAnswer(s.svc.Bookings.Cancel(c.UserContext(), viewerOf(c).Actor, p.ID))
}

func (s *Server) apiBookingAction(c *fiber.Ctx, p *api.ID, in *booking.ActInput) (api.Booking, error) {
	return bookingAnswer(s.svc.Bookings.Act(c.UserContext(), viewerOf(c).Actor, p.ID, *in))
}

func (s *Server) apiCompleteBooking(c *fiber.Ctx, p *api.ID, in *booking.ReportInput) (api.Booking, error) {
	return bookingAnswer(s.svc.Bookings.Complete(c.UserContext(), viewerOf(c).Actor, p.ID, *in))
}

func (s *Server) apiBookingReport(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.Report, error) {
	r, err := s.svc.Bookings.ReportOf(c.UserContext(), viewerOf(c).Actor, p.ID)
	return apiAnswer(r, err, func(r *booking.ReportView) api.Report {
		return api.Report{BookingID: r.BookingID, Findings: r.Findings, Advice: r.Advice, FollowUp: r.FollowUp, CreatedAt: r.CreatedAt}
	})
}

func (s *Server) apiPublishSchedule(c *fiber.Ctx, p *api.ID, in *booking.ScheduleInput) (api.Schedule, error) {
	if err := s.svc.Bookings.PublishSchedule(c.UserContext(), viewerOf(c).Actor, uint(p.ID), *in); err != nil {
		return api.Schedule{}, err
	}
	out := api.Schedule{ServiceID: uint(p.ID), Rules: make([]api.ScheduleRule, len(in.Rules))}
	for i, r := range in.Rules {
		out.Rules[i] = api.ScheduleRule{Weekday: r.Weekday, Start: r.Start, Capacity: r.Capacity}
	}
	return out, nil
}

func (s *Server) apiException(c *fiber.Ctx, p *api.ID, in *booking.ExceptionInput) (api.Exception, error) {
	if err := s.svc.Bookings.SetException(c.UserContext(), viewerOf(c).Actor, uint(p.ID), *in); err != nil {
		return api.Exception{}, err
	}
	return api.Exception{ServiceID: uint(p.ID), Day: in.Day, Closed: in.Closed, Capacity: in.Capacity}, nil
}

func (s *Server) apiAddService(c *fiber.Ctx, _ *struct{}, in *booking.ServiceInput) (api.Service, error) {
	return s.saveService(c, 0, in)
}

func (s *Server) apiChangeService(c *fiber.Ctx, p *api.ID, in *booking.ServiceInput) (api.Service, error) {
	return s.saveService(c, uint(p.ID), in)
}

func (s *Server) saveService(c *fiber.Ctx, id uint, in *booking.ServiceInput) (api.Service, error) {
	v, err := s.svc.Bookings.SaveService(c.UserContext(), viewerOf(c).Actor, id, *in)
	return apiAnswer(v, err, serviceOut)
}

func sendICS(c *fiber.Ctx, name, body string) error {
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(body)
}

// bookingRef names a booking in a path.
type bookingRef = api.ID

// bookingICS is one booking as a calendar file, for the API and the page alike.
func (s *Server) bookingICS(c *fiber.Ctx) error {
	var p bookingRef
	if err := bindParams(c, &p); err != nil {
		return err
	}
	name, body, err := s.svc.Bookings.CalendarFile(c.UserContext(), viewerOf(c).Actor, p.ID, s.PublicURL)
	if err != nil {
		return err
	}
	return sendICS(c, name, body)
}

// feedParams are a feed address's parts: /ical/{uid}/{token}.ics.
type feedParams struct {
	UserID uint   `param:"uid"`
	Token  string `param:"token"`
}

// icalFeed is a person's private feed: calendar apps fetch it without a session, so the address
// carries an unguessable token tied to the user and the feed's generation (the use case checks it).
func (s *Server) icalFeed(c *fiber.Ctx) error {
	var p feedParams
	if err := bindParams(c, &p); err != nil {
		return err
	}
	body, err := s.svc.Bookings.Feed(c.UserContext(), p.UserID, p.Token, s.PublicURL)
	if err != nil {
		return err
	}
	return sendICS(c, "qijian.ics", body)
}
