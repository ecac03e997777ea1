package slots

import (
	"time"

	ics "github.com/arran4/golang-ical"
)

// Event is one booking as a calendar entry.
type Event struct {
	UID               string
	Start, End        time.Time
	Summary, Location string
	Description, URL  string
	Cancelled         bool
	Stamp             time.Time
}

// ICS writes events as an iCalendar file (RFC 5545) named name: one for a single booking, or
// a feed of all of an enterprise's or a provider's bookings.
func ICS(name string, events []Event) string {
	cal := ics.NewCalendarFor("Qijian")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone("Asia/Shanghai")
	for _, e := range events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(e.Stamp.UTC())
		ev.SetStartAt(e.Start.UTC())
		ev.SetEndAt(e.End.UTC())
		ev.SetSummary(e.Summary)
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
		if e.Description != "" {
			ev.SetDescription(e.Description)
		}
		if e.URL != "" {
			ev.SetURL(e.URL)
		}
		if e.Cancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		}
	}
	return cal.Serialize()
}
