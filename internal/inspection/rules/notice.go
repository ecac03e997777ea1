package rules

import (
	"time"

	"qijian/internal/calendar"
)

// NOTICE-1 (seed §2.8 二: 除法定不予公开情形外，检查前3个工作日向企业送达《行政检查通知书》), read as
// docs/rules.md states it: count back NoticeDays working days from the inspection day; the day
// reached is the latest delivery day, and a notice delivered on or before it (any clock time) is
// on time. Delivery is the earlier of the delivery the body records and the enterprise's own
// signing for the notice in the portal (签收).

// NoticeState is the verdict NOTICE-1 gives an inspection's notice.
type NoticeState string

// The verdicts.
const (
	NoticeOnTime    NoticeState = "on_time"
	NoticeLate      NoticeState = "late"          // delivered after the latest delivery day
	NoticeNotYetDue NoticeState = "not_yet_due"   // nothing delivered, the latest delivery day has not ended
	NoticeMissing   NoticeState = "not_delivered" // nothing delivered, the latest delivery day has ended
	NoticeWithheld  NoticeState = "withheld"      // a law forbids prior notice; Basis says which
	NoticeNone      NoticeState = ""              // cancelled, or merged into the visit that carried it out
)

// NoticeVerdict is NOTICE-1's verdict with what it rests on.
type NoticeVerdict struct {
	State     NoticeState
	Latest    calendar.Date // the latest delivery day
	Delivered *time.Time    // the delivery that counts (the earlier of the two), if any
	Basis     string        // the legal basis of a lawful withholding
}

// Delivery is the notice's delivery that counts: the earlier of the recorded delivery and the
// enterprise's own acknowledgement in the portal.
func Delivery(in Inspection) *time.Time {
	d, a := in.NoticeDeliveredAt, in.NoticeAckAt
	switch {
	case d == nil:
		return a
	case a == nil || !a.Before(*d):
		return d
	}
	return a
}

// Notice gives NOTICE-1's verdict at now. It is the one place the rule is decided: the checks
// raise a clue for late and not_delivered, and the public verify page says the same.
func Notice(in Inspection, cal *calendar.Calendar, now time.Time) NoticeVerdict {
	if in.Status == Cancelled || in.Status == Merged {
		return NoticeVerdict{State: NoticeNone}
	}
	if in.NoticeWithheld {
		return NoticeVerdict{State: NoticeWithheld, Basis: in.NoticeBasis}
	}
	v := NoticeVerdict{Latest: cal.LatestNoticeDate(in.ScheduledAt, NoticeDays), Delivered: Delivery(in)}
	switch {
	case v.Delivered != nil && cal.NoticeInTime(*v.Delivered, in.ScheduledAt, NoticeDays):
		v.State = NoticeOnTime
	case v.Delivered != nil:
		v.State = NoticeLate
	case now.Before(v.Latest.AddDays(1).Time()):
		v.State = NoticeNotYetDue
	default:
		v.State = NoticeMissing
	}
	return v
}
