package grievance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"time"

	"qijian/internal/account"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/message"
	"qijian/internal/store"
)

// The supervision ladder's documents (督办, domain §2.10 二): every rung an order climbs, by a
// person or by the system, issues one document in the same transaction: a reminder to the unit
// (催办, level 1), the county justice bureau's supervision letter (督办函, level 2), the city
// level's supervision letter (level 3), and the referral to discipline inspection with a case
// summary (移送纪检监察, level 4), which also goes to the configured contact by SMS through the
// outbox. Each has a number of its series, counted per Wenzhou year: 温司督〔2026〕3号.

// Document kinds, one per rung.
const (
	DocReminder     = "reminder"
	DocCountyLetter = "county_letter"
	DocCityLetter   = "city_letter"
	DocReferral     = "referral"
)

type rungDoc struct {
	Kind, Series     string
	TitleZh, TitleEn string
}

var rungDocs = [lifecycle.MaxLevel + 1]rungDoc{
	{},
	{DocReminder, "温催", "催办通知", "Reminder to the handling unit"},
	{DocCountyLetter, "温司督", "督办函", "Supervision letter"},
	{DocCityLetter, "温市督", "市级督办函", "City-level supervision letter"},
	{DocReferral, "温司移", "问题线索移送函", "Referral to discipline inspection"},
}

// DocTitle is a kind's title in lang.
func DocTitle(kind, lang string) string {
	for _, r := range rungDocs {
		if r.Kind == kind && kind != "" {
			if lang == "en" {
				return r.TitleEn
			}
			return r.TitleZh
		}
	}
	return kind
}

// Document is one issued document as its reader may see it.
type Document struct {
	ID        uint64
	OrderID   uint64 // the order's outside id
	Level     int
	Kind      string
	Number    string
	Issuer    string
	Recipient string
	Reason    string
	BodyZh    string
	BodyEn    string
	CreatedAt time.Time
}

// Body is the text in lang.
func (d Document) Body(lang string) string {
	if lang == "en" {
		return d.BodyEn
	}
	return d.BodyZh
}

// Title is the kind's title in lang.
func (d Document) Title(lang string) string { return DocTitle(d.Kind, lang) }

var typeNames = map[string][2]string{
	"illegal_inspection": {"违法检查", "illegal inspection"},
	"missing_code":       {"未亮码检查", "inspection without a code"},
	"conduct":            {"执法作风", "enforcement conduct"},
	"appeal":             {"诉求", "appeal"},
	"consultation":       {"咨询", "consultation"},
}

// docData is what the templates see.
type docData struct {
	Number, Order, Type, Channel, Filed, Date string
	Recipient, Issuer, Reason, Summary        string
	Level                                     string
}

var docTemplates = map[string]map[string]*template.Template{}

func init() {
	zh := map[string]string{
		DocReminder: `{{.Number}}
催办通知

{{.Recipient}}：
编号为 {{.Order}} 的{{.Type}}工单（{{.Channel}}，{{.Filed}} 提交）已由你单位承办，尚未在时限内办理到位。
催办事由：{{.Reason}}
请你单位即日起抓紧办理，并在系统中签收、办理和答复。逾期仍未办理的，将由县级司法局发函督办。

{{.Issuer}}
{{.Date}}`,
		DocCountyLetter: `{{.Number}}
督办函

{{.Recipient}}：
编号为 {{.Order}} 的{{.Type}}工单（{{.Channel}}，{{.Filed}} 提交）经催办仍未办理到位。根据涉企行政检查监督工作规定，现予督办。
督办事由：{{.Reason}}
请你单位高度重视，自收到本函之日起三个工作日内办结，并将办理情况书面报告我局。逾期未办结的，将提请市级督办。

{{.Issuer}}
{{.Date}}`,
		DocCityLetter: `{{.Number}}
市级督办函

{{.Recipient}}：
编号为 {{.Order}} 的{{.Type}}工单（{{.Channel}}，{{.Filed}} 提交）经县级督办仍未办结，现由市级督办。
督办事由：{{.Reason}}
请你单位主要负责人亲自过问，自收到本函之日起三个工作日内办结，并将办理情况及整改措施书面报告市司法局。仍未办结或办理不实的，将移送纪检监察机关。

{{.Issuer}}
{{.Date}}`,
		DocReferral: `{{.Number}}
问题线索移送函

{{.Recipient}}：
现将编号为 {{.Order}} 的{{.Type}}工单涉及的问题线索移送你单位，请依规依纪处理。
移送事由：{{.Reason}}

案情摘要：
{{.Summary}}

{{.Issuer}}
{{.Date}}`,
	}
	en := map[string]string{
		DocReminder: `{{.Number}}
Reminder to the handling unit

To {{.Recipient}}:
Work order {{.Order}} ({{.Type}}, {{.Channel}}, filed {{.Filed}}) is with your unit and has not been handled within its limit.
Reason: {{.Reason}}
Please handle it at once, and sign for, handle and reply to it in the system. If it is still not handled, the county justice bureau will send a supervision letter.

{{.Issuer}}
{{.Date}}`,
		DocCountyLetter: `{{.Number}}
Supervision letter

To {{.Recipient}}:
Work order {{.Order}} ({{.Type}}, {{.Channel}}, filed {{.Filed}}) has still not been handled after a reminder. Under the rules on supervising administrative inspections of enterprises it is now supervised.
Reason: {{.Reason}}
Please complete it within three working days of receiving this letter and report in writing to this bureau. If it is not completed in time, it goes to city-level supervision.

{{.Issuer}}
{{.Date}}`,
		DocCityLetter: `{{.Number}}
City-level supervision letter

To {{.Recipient}}:
Work order {{.Order}} ({{.Type}}, {{.Channel}}, filed {{.Filed}}) has not been completed under county supervision and is now supervised by the city.
Reason: {{.Reason}}
The head of your unit is asked to see to it personally, complete it within three working days of receiving this letter and report in writing, with the corrective measures, to the city justice bureau. Otherwise it will be referred to discipline inspection.

{{.Issuer}}
{{.Date}}`,
		DocReferral: `{{.Number}}
Referral to discipline inspection

To {{.Recipient}}:
The matter of work order {{.Order}} ({{.Type}}) is referred to you for handling under the rules of discipline.
Reason: {{.Reason}}

Case summary:
{{.Summary}}

{{.Issuer}}
{{.Date}}`,
	}
	for lang, set := range map[string]map[string]string{"zh": zh, "en": en} {
		docTemplates[lang] = map[string]*template.Template{}
		for kind, text := range set {
			docTemplates[lang][kind] = template.Must(template.New(kind).Parse(text))
		}
	}
}

func renderDoc(lang, kind string, v docData) (string, error) {
	var b bytes.Buffer
	if err := docTemplates[lang][kind].Execute(&b, v); err != nil {
		return "", fmt.Errorf("complaint: document %s: %w", kind, err)
	}
	return b.String(), nil
}

// issueDocuments writes the document of every rung o climbed from from to to, in ctx's
// transaction; a referral also goes to the discipline inspection contact.
func (s *Service) issueDocuments(ctx context.Context, o *store.WorkOrder, from, to int, by lifecycle.Actor, reason string, now time.Time) error {
	for level := from + 1; level <= min(to, lifecycle.MaxLevel); level++ {
		if level < 1 {
			continue
		}
		if err := s.issueDocument(ctx, o, level, by, reason, now); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) issueDocument(ctx context.Context, o *store.WorkOrder, level int, by lifecycle.Actor, reason string, now time.Time) error {
	rd := rungDocs[level]
	local := now.In(shanghai)
	seq, err := s.St.NextDocumentNumber(ctx, rd.Series, local.Year())
	if err != nil {
		return err
	}
	number := fmt.Sprintf("%s〔%d〕%d号", rd.Series, local.Year(), seq)
	unitZh, unitEn := "承办单位", "the handling unit"
	if o.UnitBodyID != nil {
		if b, err := s.St.Body(ctx, *o.UnitBodyID); err == nil {
			unitZh, unitEn = b.NameZh, b.NameEn
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	} else if o.ReturnedUnitID != nil {
		if b, err := s.St.Body(ctx, *o.ReturnedUnitID); err == nil {
			unitZh, unitEn = b.NameZh, b.NameEn
		}
	}
	countyZh, countyEn := "", ""
	if cs, err := s.St.Counties(ctx); err == nil {
		for _, c := range cs {
			if c.Code == o.CountyCode {
				countyZh, countyEn = c.NameZh, c.NameEn
			}
		}
	} else {
		return err
	}
	if o.Anonymous {
		// An anonymous reporter's county is kept from the unit (account.RedactOrder): the
		// documents, which the unit reads, do not name it.
		countyZh, countyEn = "县级", "County"
	}
	issuerZh, issuerEn := countyZh+"涉企行政检查监督联络员办公室", "Enterprise inspection supervision liaison office, "+countyEn
	switch level {
	case 2:
		issuerZh, issuerEn = countyZh+"司法局", countyEn+" Justice Bureau"
	case 3, 4:
		issuerZh, issuerEn = "温州市司法局", "Wenzhou Municipal Justice Bureau"
	}
	recipientZh, recipientEn := unitZh, unitEn
	var settings *store.SupervisionSettings
	if level == lifecycle.MaxLevel {
		if settings, err = s.St.SupervisionSettings(ctx); err != nil {
			return err
		}
		recipientZh, recipientEn = "纪检监察机关", "the discipline inspection authority"
		if settings.ReferralContactName != "" {
			recipientZh, recipientEn = settings.ReferralContactName, settings.ReferralContactName
		}
	}
	if strings.TrimSpace(reason) == "" {
		reason = "超时未办理"
	}
	tn := typeNames[o.Type]
	zhData := docData{Number: number, Order: o.Number, Type: tn[0], Channel: o.Channel, Filed: o.CreatedAt.In(shanghai).Format("2006年01月02日"),
		Date: local.Format("2006年01月02日"), Recipient: recipientZh, Issuer: issuerZh, Reason: reason}
	enData := docData{Number: number, Order: o.Number, Type: tn[1], Channel: o.Channel, Filed: o.CreatedAt.In(shanghai).Format("2 January 2006"),
		Date: local.Format("2 January 2006"), Recipient: recipientEn, Issuer: issuerEn, Reason: reason}
	if level == lifecycle.MaxLevel {
		zhData.Summary, enData.Summary, err = s.caseSummary(ctx, o, unitZh, unitEn)
		if err != nil {
			return err
		}
	}
	zh, err := renderDoc("zh", rd.Kind, zhData)
	if err != nil {
		return err
	}
	en, err := renderDoc("en", rd.Kind, enData)
	if err != nil {
		return err
	}
	d := &store.OrderDocument{OrderID: o.ID, Level: level, Kind: rd.Kind, Series: rd.Series, Year: local.Year(), Seq: seq, Number: number,
		Issuer: issuerZh, Recipient: recipientZh, Reason: reason, BodyZh: zh, BodyEn: en, ActorID: by.UserID, ActorRole: string(by.Role), CreatedAt: now}
	if err := s.St.CreateOrderDocument(ctx, d); err != nil {
		return err
	}
	if level == lifecycle.MaxLevel {
		return s.referToContact(ctx, o, d, settings, now)
	}
	return nil
}

// caseSummary is the referral's account of the order: what it is about, which unit holds it,
// the deadlines it missed and every rung it climbed with its reason and document. It names no
// enterprise: the referral leaves the portal.
func (s *Service) caseSummary(ctx context.Context, o *store.WorkOrder, unitZh, unitEn string) (string, string, error) {
	var zh, en strings.Builder
	tn := typeNames[o.Type]
	filed := o.CreatedAt.In(shanghai).Format("2006-01-02 15:04")
	if o.Anonymous {
		filed = o.CreatedAt.In(shanghai).Format("2006-01-02")
	}
	fmt.Fprintf(&zh, "工单 %s，类型：%s，渠道：%s，提交于 %s，承办单位：%s，当前状态：%s。\n", o.Number, tn[0], o.Channel, filed, unitZh, statusZh[o.Status])
	fmt.Fprintf(&en, "Work order %s, %s, channel %s, filed %s, handling unit: %s, status: %s.\n", o.Number, tn[1], o.Channel, filed, unitEn, o.Status)
	if o.Description != "" && !o.Anonymous {
		fmt.Fprintf(&zh, "反映内容：%s\n", o.Description)
		fmt.Fprintf(&en, "As reported: %s\n", o.Description)
	}
	dls, err := s.St.OrderDeadlines(ctx, o.ID)
	if err != nil {
		return "", "", err
	}
	for _, d := range dls {
		if d.BreachedAt != nil {
			fmt.Fprintf(&zh, "超时：%s 环节，应于 %s 前完成。\n", stageZh[d.Stage], d.DueAt.In(shanghai).Format("2006-01-02 15:04"))
			fmt.Fprintf(&en, "Missed: the %s stage, due %s.\n", d.Stage, d.DueAt.In(shanghai).Format("2006-01-02 15:04"))
		}
	}
	docs, err := s.St.OrderDocuments(ctx, o.ID)
	if err != nil {
		return "", "", err
	}
	for _, d := range docs {
		fmt.Fprintf(&zh, "%s 发出%s %s，事由：%s\n", d.CreatedAt.In(shanghai).Format("2006-01-02"), DocTitle(d.Kind, "zh"), d.Number, d.Reason)
		fmt.Fprintf(&en, "%s: %s %s, reason: %s\n", d.CreatedAt.In(shanghai).Format("2006-01-02"), DocTitle(d.Kind, "en"), d.Number, d.Reason)
	}
	return strings.TrimSpace(zh.String()), strings.TrimSpace(en.String()), nil
}

var statusZh = map[string]string{"submitted": "待受理", "accepted": "已受理", "dispatched": "已派单", "signed": "已签收", "in_progress": "办理中",
	"replied": "已答复", "follow_up": "回访中", "closed": "已办结", "returned": "已退单"}

// referToContact sends the referral to the discipline inspection contact: an SMS to the
// configured number through the outbox (its delivery is recorded like every other), and a note
// in the city liaisons' inboxes. Without a configured number the liaisons are told so.
func (s *Service) referToContact(ctx context.Context, o *store.WorkOrder, d *store.OrderDocument, set *store.SupervisionSettings, now time.Time) error {
	link := s.orderLink(o) + "/documents/" + itoa(d.ID)
	if set.ReferralMobile != "" {
		if err := message.Send(ctx, s.St, now, message.Message{Kind: "order.referral", To: set.ReferralMobile,
			TitleZh: "涉企行政检查问题线索移送：" + d.Number + "（工单 " + o.Number + "）", TitleEn: "Referral to discipline inspection: " + d.Number + " (work order " + o.Number + ")",
			Body: d.BodyZh}); err != nil {
			return err
		}
	}
	users, err := s.St.Liaisons(ctx)
	if err != nil {
		return err
	}
	// Titles stay short (an inbox title is at most 200 characters in both languages together).
	zh, en := "工单 "+o.Number+" 已移送纪检监察："+d.Number, "Order "+o.Number+" referred: "+d.Number
	body := "已送达纪检监察联系人。"
	if set.ReferralMobile == "" {
		body = "未设置纪检监察联系人手机号：请管理员在督办设置中设置，并另行送达。"
	}
	for _, u := range users {
		if u.Disabled || u.CountyCode != "" {
			continue
		}
		if err := message.Send(ctx, s.St, staffTime(o, now), message.Message{UserID: u.ID, Kind: "order.referral", TitleZh: zh, TitleEn: en, Body: body, Link: link}); err != nil {
			return err
		}
	}
	return nil
}

// mayReadDocuments tells whether by may read o's documents: liaisons and admins who may see
// the order, and the handling unit's officers (a referral excepted). Enterprises do not: the
// documents are between supervisors and the units.
func mayReadDocument(by account.Actor, d *store.OrderDocument) bool {
	switch by.Role {
	case account.RoleLiaison, account.RoleAdmin:
		return true
	case account.RoleOfficer:
		return d.Kind != DocReferral
	}
	return false
}

func (s *Service) documentView(by account.Actor, o *store.WorkOrder, d *store.OrderDocument) Document {
	return Document{ID: d.ID, OrderID: s.extID(o), Level: d.Level, Kind: d.Kind, Number: d.Number, Issuer: d.Issuer, Recipient: d.Recipient,
		Reason: d.Reason, BodyZh: d.BodyZh, BodyEn: d.BodyEn, CreatedAt: coarse(redaction(by, o), d.CreatedAt)}
}

// documents lists o's documents by may read.
func (s *Service) documents(ctx context.Context, by account.Actor, o *store.WorkOrder) ([]Document, error) {
	rows, err := s.St.OrderDocuments(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	out := []Document{}
	for i := range rows {
		if mayReadDocument(by, &rows[i]) {
			out = append(out, s.documentView(by, o, &rows[i]))
		}
	}
	return out, nil
}

// Document is one document of an order the caller may see, or ErrNotFound.
func (s *Service) Document(ctx context.Context, by account.Actor, orderID, docID uint64) (*Document, error) {
	o, err := s.visible(ctx, by, orderID)
	if err != nil {
		return nil, err
	}
	d, err := s.St.OrderDocument(ctx, o.ID, docID)
	if err != nil {
		return nil, fmt.Errorf("complaint: document %d: %w", docID, err)
	}
	if !mayReadDocument(by, d) {
		return nil, fmt.Errorf("complaint: document %d: %w", docID, ErrNotFound)
	}
	v := s.documentView(by, o, d)
	return &v, nil
}
