package booking

import (
	"slices"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/store"
)

// ServiceView is a catalogue entry as shown.
type ServiceView struct {
	ID             uint
	Code, Kind     string
	NameZh, NameEn string
	DescZh, DescEn string
	Industries     []string // empty: every industry
	Minutes        int
	Mode           string // online, onsite, both
	ProviderID     uint
	Active         bool
}

// Fits tells whether the service is for an enterprise of industry.
func (v ServiceView) Fits(industry string) bool {
	return len(v.Industries) == 0 || slices.Contains(v.Industries, industry)
}

func serviceView(sv *store.Service) ServiceView {
	return ServiceView{ID: sv.ID, Code: sv.Code, Kind: sv.Kind, NameZh: sv.NameZh, NameEn: sv.NameEn, DescZh: sv.DescZh, DescEn: sv.DescEn,
		Industries: slices.Clone(sv.Industries), Minutes: sv.Minutes, Mode: sv.Mode, ProviderID: sv.ProviderID, Active: sv.Active}
}

// SlotView is one bookable time with its free seats.
type SlotView struct {
	ID               uint64
	ServiceID        uint
	StartsAt, EndsAt time.Time
	Capacity, Free   int
}

func slotView(sl *store.Slot) SlotView {
	return SlotView{ID: sl.ID, ServiceID: sl.ServiceID, StartsAt: sl.StartsAt, EndsAt: sl.EndsAt, Capacity: sl.Capacity, Free: max(sl.Capacity-sl.Booked, 0)}
}

func slotViews(list []store.Slot) []SlotView {
	out := make([]SlotView, len(list))
	for i := range list {
		out[i] = slotView(&list[i])
	}
	return out
}

// DaySlots are the slots of one Wenzhou day.
type DaySlots struct {
	Day     string // 2006-01-02
	Weekday int    // 0 Sunday … 6 Saturday
	Slots   []SlotView
}

// ByDay groups slots in time order by their Wenzhou day.
func ByDay(list []SlotView) []DaySlots {
	var out []DaySlots
	for _, sl := range list {
		local := sl.StartsAt.In(calendar.Location())
		d := local.Format("2006-01-02")
		if len(out) == 0 || out[len(out)-1].Day != d {
			out = append(out, DaySlots{Day: d, Weekday: int(local.Weekday())})
		}
		out[len(out)-1].Slots = append(out[len(out)-1].Slots, sl)
	}
	return out
}

// SlotHit is a search result: a free slot with its service's names and mode.
type SlotHit struct {
	SlotView
	NameZh, NameEn, Mode string
}

// BookingView is a booking as its enterprise or provider sees it.
type BookingView struct {
	ID                   uint64
	Number               string
	ServiceID            uint
	ServiceZh, ServiceEn string // the service's names
	SlotID               uint64
	StartsAt, EndsAt     time.Time
	Mode                 string // online or onsite
	Address, Topic       string
	Status               slots.Status
	CreatedAt, UpdatedAt time.Time
	Actions              []slots.Action // what the viewer may do now
	Reminders            []string       // the reminders still to come: "day", "2h" (Get only)
}

// bookingView offers a only the actions open to it now.
func bookingView(b *store.Booking, sv *store.Service, a account.Actor, now time.Time) *BookingView {
	v := &BookingView{ID: b.ID, Number: b.Number, ServiceID: b.ServiceID, SlotID: b.SlotID, StartsAt: b.StartsAt, EndsAt: b.EndsAt,
		Mode: b.Mode, Address: b.Address, Topic: b.Topic, Status: slots.Status(b.Status), CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt,
		Actions: slots.AllowedAt(slots.Status(b.Status), side(a), b.StartsAt, now)}
	if sv != nil {
		v.ServiceZh, v.ServiceEn = sv.NameZh, sv.NameEn
	}
	return v
}

// ReportView is the provider's check-up report; only the enterprise and the provider read it.
type ReportView struct {
	BookingID                  uint64
	Findings, Advice, FollowUp string
	CreatedAt                  time.Time
}

func reportView(r *store.CheckupReport) *ReportView {
	return &ReportView{BookingID: r.BookingID, Findings: r.Findings, Advice: r.Advice, FollowUp: r.FollowUp, CreatedAt: r.CreatedAt}
}
