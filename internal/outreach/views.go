package outreach

import (
	"qijian/internal/inspection/actcode"
	"slices"
	"time"

	"qijian/internal/account"
	"qijian/internal/outreach/appointment"
	"qijian/internal/store"
)

// BodyOption is an enforcement body as a list or a form names it.
type BodyOption struct {
	ID             uint
	NameZh, NameEn string
}

func bodyOption(b *account.Body) BodyOption {
	return BodyOption{ID: b.ID, NameZh: b.NameZh, NameEn: b.NameEn}
}

// AppointmentView is an appointment as its two sides (and admins) see it.
type AppointmentView struct {
	ID             uint64
	EnterpriseID   uint
	BodyID         uint
	BodyZh, BodyEn string // the body's names
	Topic          string
	PreferredAt    *time.Time
	MeetAt         *time.Time
	Place          string
	Status         appointment.Status
	Outcome        string
	Score          int // 0 until rated
	RatingComment  string
	CreatedAt      time.Time
	Actions        []appointment.Action // the viewer's moves now
}

func appointmentView(ap *store.Appointment, b *account.Body, a account.Actor) AppointmentView {
	v := AppointmentView{ID: ap.ID, EnterpriseID: ap.EnterpriseID, BodyID: ap.BodyID, Topic: ap.Topic, PreferredAt: ap.PreferredAt, MeetAt: ap.MeetAt,
		Place: ap.Place, Status: appointment.Status(ap.Status), Outcome: ap.Outcome, Score: ap.Score, RatingComment: ap.RatingComment, CreatedAt: ap.CreatedAt,
		Actions: appointment.Allowed(appointment.Status(ap.Status), sideOf(a), ap.Score != 0)}
	if b != nil {
		v.BodyZh, v.BodyEn = b.NameZh, b.NameEn
	}
	return v
}

// AlertView is a risk alert.
type AlertView struct {
	ID                   uint64
	Title, Body          string
	Industries, Counties []string // empty: all
	Reached              int      // enterprises it reached
	CreatedAt            time.Time
}

func alertView(al *store.RiskAlert) AlertView {
	return AlertView{ID: al.ID, Title: al.Title, Body: al.Body, Industries: slices.Clone(al.Industries), Counties: slices.Clone(al.Counties),
		Reached: al.Reached, CreatedAt: al.CreatedAt}
}

// PenaltyView is one entry of a body's published penalty lists.
type PenaltyView struct {
	ID                        uint
	BodyID                    uint
	Category                  string
	Title, Basis, Description string
	PublishedOn               string // 2006-01-02
}

func penaltyView(p *store.PenaltyEntry) PenaltyView {
	return PenaltyView{ID: p.ID, BodyID: p.BodyID, Category: p.Category, Title: p.Title, Basis: p.Basis, Description: p.Description, PublishedOn: p.PublishedOn}
}

// Attachment is one of the three documents as a file.
type Attachment struct {
	Name  string // decision, advice, credit_repair
	Title string // its official title
	URL   string
}

// BundleView is the three documents delivered together.
type BundleView struct {
	ID                             uint64
	Number                         string
	BodyID, EnterpriseID           uint
	CreatedAt                      time.Time
	ReadAt                         *time.Time // the enterprise's first reading
	Decision, Advice, CreditRepair string
	Attachments                    []Attachment
	// DecisionCode is the penalty decision's behaviour code (行政行为码, §2.6 二), shown on
	// the decision and verifiable at /v/{code}; VerifyURL is that page's path.
	DecisionCode, VerifyURL string
	DecisionCodeShown       string // grouped for reading (QJ-XXXXX-…)
}

func (s *Service) bundleView(b *store.DocumentBundle) BundleView {
	v := BundleView{ID: b.ID, Number: b.Number, BodyID: b.BodyID, EnterpriseID: b.EnterpriseID, CreatedAt: b.CreatedAt, ReadAt: b.ReadAt,
		Decision: b.Decision, Advice: b.Advice, CreditRepair: b.CreditRepair}
	if s.Codes != nil {
		v.DecisionCode = s.Codes.IssueDecision(b.ID, b.CreatedAt)
		v.VerifyURL = "/v/" + v.DecisionCode
		v.DecisionCodeShown = actcode.Format(v.DecisionCode)
	}
	for _, d := range documents {
		v.Attachments = append(v.Attachments, Attachment{Name: d.name, Title: d.title, URL: "/documents/" + itoa(b.ID) + "/" + d.name + ".txt"})
	}
	return v
}
