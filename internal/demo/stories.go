package demo

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/app"
	"qijian/internal/booking"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/grievance"
	"qijian/internal/inspection"
	"qijian/internal/outreach"
	"qijian/internal/store"
)

// Stories plays the last two weeks through the real use cases, so every role meets something to
// do at once: notices to sign, inspections past and upcoming with their codes, complaints in each
// stage and on each rung of the ladder, system clues, a member's filing by the observation point,
// bookings (one finished with its report), appointments, an alert, the published lists. The
// clock runs from twelve days before now to now; what is due on the way is due in the data
// (some stages are overdue, as in life). It runs once: a database with any work order already
// has its stories. secret must be the serving process's: references and codes are signed with it.
func Stories(ctx context.Context, st *store.Store, secret []byte, now time.Time) error {
	var n int64
	if err := st.Gorm().WithContext(ctx).Table("work_orders").Count(&n).Error; err != nil {
		return fmt.Errorf("demo: stories: %w", err)
	}
	if n > 0 {
		return nil
	}
	clk := clock.NewFake(calendar.New().AddWorkingDays(now, -9).Truncate(time.Hour))
	svc, err := app.Open(ctx, st, clk, secret)
	if err != nil {
		return fmt.Errorf("demo: stories: %w", err)
	}
	p := &play{ctx: ctx, st: st, svc: svc, clk: clk, now: now}
	for _, step := range []func() error{p.bookings, p.orders, p.inspections, p.clues, p.outreach} {
		if err := step(); err != nil {
			return fmt.Errorf("demo: stories: %w", err)
		}
	}
	clk.Set(now)
	return nil
}

type play struct {
	ctx context.Context
	st  *store.Store
	svc *app.Services
	clk *clock.Fake
	now time.Time
}

func (p *play) actor(username string) (account.Actor, error) {
	u, err := p.st.UserByUsername(p.ctx, username)
	if err != nil {
		return account.Actor{}, fmt.Errorf("user %s: %w", username, err)
	}
	return p.st.Actor(p.ctx, u)
}

func (p *play) actors(names ...string) (map[string]account.Actor, error) {
	m := map[string]account.Actor{}
	for _, n := range names {
		a, err := p.actor(n)
		if err != nil {
			return nil, err
		}
		m[n] = a
	}
	return m, nil
}

// until moves the story's clock on to t (never back, never past now).
func (p *play) until(t time.Time) {
	if t.After(p.clk.Now()) {
		p.tick(t.Sub(p.clk.Now()))
	}
}

// tick moves the story's clock on by d, never past now.
func (p *play) tick(d time.Duration) {
	t := p.clk.Now().Add(d)
	if t.After(p.now) {
		t = p.now
	}
	p.clk.Set(t)
}

func (p *play) bodyID(zh string) (uint, error) {
	bs, err := p.st.Bodies(p.ctx)
	if err != nil {
		return 0, err
	}
	for _, b := range bs {
		if b.NameZh == zh {
			return b.ID, nil
		}
	}
	return 0, fmt.Errorf("no body %s", zh)
}

func (p *play) enterpriseID(i int) (uint, error) {
	e, err := p.st.EnterpriseByUSCC(p.ctx, USCC(enterprises[i].county, i+1))
	if err != nil {
		return 0, err
	}
	return e.ID, nil
}

// orders files complaints and moves each to a different stage: one for every status a person
// meets, some escalated a rung or two, one filed by the observation point for its member, one
// anonymous.
func (p *play) orders() error {
	a, err := p.actors("ent-a", "ent-b", "liaison-lc", "liaison-city", "officer-scj", "obs-chamber")
	if err != nil {
		return err
	}
	scj, err := p.bodyID("温州市市场监督管理局")
	if err != nil {
		return err
	}
	entA, err := p.enterpriseID(0)
	if err != nil {
		return err
	}
	type story struct {
		by    string
		f     grievance.Filing
		moves []grievance.Move
		into  int // a duplicate: merged into the story at this index+1 (合并)
	}
	dispatch := grievance.Move{Action: "dispatch", UnitID: scj, Channel: "12348", Note: "请依法核查并答复企业"}
	accept := grievance.Move{Action: "accept", Note: "已受理"}
	sign := grievance.Move{Action: "sign"}
	start := grievance.Move{Action: "start", Note: "已安排专人核查"}
	reply := grievance.Move{Action: "reply", Note: "经核查，检查人员未按规定提前送达通知书，已责令整改并向企业致歉。"}
	follow := grievance.Move{Action: "follow_up"}
	escalate := grievance.Move{Action: "escalate", Reason: "逾期未办理，发督办函"}
	stories := []story{
		{"ent-a", grievance.Filing{Type: "appeal", Description: "企业厂区门口道路长期积水，影响货车进出，请协调处理。"}, nil, 0},
		{"ent-a", grievance.Filing{Type: "missing_code", Description: "上周来厂检查的人员未出示行政行为码，也未说明检查依据。", BodyID: scj}, []grievance.Move{accept}, 0},
		{"ent-a", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"NOTICE-1"}, Description: "检查前未提前送达行政检查通知书，当天突然上门。", BodyID: scj}, []grievance.Move{accept, dispatch}, 0},
		{"ent-b", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"FREQ-1"}, Description: "同一部门今年已第三次来厂检查，影响正常生产。", BodyID: scj}, []grievance.Move{accept, dispatch, sign}, 0},
		{"ent-a", grievance.Filing{Type: "conduct", Description: "检查人员要求停产配合检查两天，没有书面决定。", BodyID: scj, Anonymous: true}, []grievance.Move{accept, dispatch, sign, start, escalate}, 0},
		{"ent-a", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"LIST-1"}, Description: "检查内容不在公布的检查事项清单里，检查人员说是临时任务。", BodyID: scj}, []grievance.Move{accept, dispatch, {Action: "return", ReturnCode: "not_our_duty", Reason: "该事项属生态环境部门职责"}}, 0},
		{"ent-b", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"DATA-1"}, Description: "检查时要求重复提交营业执照和纳税证明，这些材料政府平台都有。", BodyID: scj}, []grievance.Move{accept, dispatch, sign, start, reply}, 0},
		{"ent-a", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"SUBJ-2"}, Description: "来检查的是网格员，没有出示执法证件。", BodyID: scj}, []grievance.Move{accept, dispatch, sign, start, reply, follow}, 0},
		{"ent-a", grievance.Filing{Type: "appeal", Description: "希望市场监管部门对新出台的标签规定做一次解读。", BodyID: scj}, []grievance.Move{accept, dispatch, sign, start, reply, follow,
			{Action: "record_follow_up", Solved: "yes", Satisfied: "yes", Note: "电话回访，企业表示满意"}, {Action: "close", Note: "已办结"}}, 0},
		{"ent-b", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"NOTICE-1"}, Description: "检查通知书当天才送达，没有留出准备时间。", BodyID: scj}, []grievance.Move{accept, dispatch, escalate, {Action: "escalate", Reason: "督办后仍未签收，报市级督办"}}, 0},
		{"obs-chamber", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"CONDUCT-1"}, Description: "会员企业反映：检查人员在生产高峰期长时间占用车间。", BodyID: scj, EnterpriseID: entA, Consent: true}, []grievance.Move{accept}, 0},
		{"ent-a", grievance.Filing{Type: "illegal_inspection", Reasons: []string{"NOTICE-1"}, Description: "再次反映：那次检查事先没有收到检查通知书。", BodyID: scj}, []grievance.Move{accept}, 3},
	}
	ids := make([]uint64, len(stories))
	for i, s := range stories {
		filed, err := p.svc.Orders.File(p.ctx, a[s.by], s.f, "")
		if err != nil {
			return fmt.Errorf("order %d: file: %w", i, err)
		}
		ids[i] = filed.ID
		if s.into > 0 {
			s.moves = append(s.moves, grievance.Move{Action: "merge", MainID: ids[s.into-1], Reason: "同一检查的重复反映"})
		}
		// Filings reach a liaison of the order's county, or the city's when the county has none.
		liaison := "liaison-lc"
		if s.by == "ent-b" {
			liaison = "liaison-city"
		}
		for _, m := range s.moves {
			p.tick(47 * time.Minute)
			who := liaison
			switch m.Action {
			case "sign", "start", "return":
				who = "officer-scj"
			case "reply":
				who = "officer-scj"
			}
			if _, err := p.svc.Orders.Act(p.ctx, a[who], filed.ID, m); err != nil {
				return fmt.Errorf("order %d (%s): %s by %s: %w", i, s.f.Description[:12], m.Action, who, err)
			}
		}
		p.tick(5 * time.Hour)
	}
	return nil
}

// inspections registers the market regulator's visits: two past (one done and rated, one with
// its notice signed), two upcoming (one notice waiting to be signed), and one whose notice came
// too late, so the automatic checks raise a clue.
func (p *play) inspections() error {
	a, err := p.actors("officer-scj", "ent-a", "ent-b")
	if err != nil {
		return err
	}
	scj, err := p.bodyID("温州市市场监督管理局")
	if err != nil {
		return err
	}
	entA, err := p.enterpriseID(0)
	if err != nil {
		return err
	}
	entB, err := p.enterpriseID(1)
	if err != nil {
		return err
	}
	var items, people []uint
	if err := p.st.Gorm().WithContext(p.ctx).Table("inspection_items").Where("body_id = ?", scj).Order("id").Limit(2).Pluck("id", &items).Error; err != nil {
		return err
	}
	if err := p.st.Gorm().WithContext(p.ctx).Table("inspectors").Where("body_id = ? AND staff = ?", scj, "on_post").Order("id").Pluck("id", &people).Error; err != nil {
		return err
	}
	cal := p.svc.Calendar
	at := func(days, hour int) time.Time {
		d := cal.AddWorkingDays(p.now, days)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, calendar.Location())
	}
	reg := func(ent uint, when time.Time, notice *time.Time, kind string) (*inspection.Registered, error) {
		r, _, err := p.svc.Inspections.Register(p.ctx, a["officer-scj"], inspection.Registration{Kind: kind, EnterpriseID: ent, BodyIDs: []uint{scj},
			ItemIDs: items, InspectorIDs: people, ScheduledAt: when, Place: "企业生产车间", NoticeDeliveredAt: notice})
		return r, err
	}
	noticeFor := func(when time.Time) *time.Time {
		n := cal.AddWorkingDays(when, -4)
		if n.After(p.clk.Now()) {
			n = p.clk.Now()
		}
		return &n
	}
	// A past visit: done and rated by the enterprise.
	past := at(-3, 10)
	done, err := reg(entA, past, noticeFor(past), "planned")
	if err != nil {
		return fmt.Errorf("past inspection: %w", err)
	}
	// An upcoming visit whose notice waits for ent-a's signature, and one ent-b has signed.
	soon := at(5, 9)
	if _, err := reg(entA, soon, noticeFor(soon), "planned"); err != nil {
		return fmt.Errorf("upcoming inspection: %w", err)
	}
	later := at(6, 14)
	signed, err := reg(entB, later, noticeFor(later), "planned")
	if err != nil {
		return fmt.Errorf("upcoming inspection: %w", err)
	}
	// A triggered visit tomorrow with no notice in time: NOTICE-1 raises a system clue.
	if _, err := reg(entB, at(1, 15), nil, "triggered"); err != nil {
		return fmt.Errorf("late-notice inspection: %w", err)
	}
	p.until(past.Add(3 * time.Hour))
	for _, s := range []string{"in_progress", "done"} {
		if err := p.svc.Inspections.SetStatus(p.ctx, a["officer-scj"], done.ID, s); err != nil {
			return fmt.Errorf("inspection %s: %w", s, err)
		}
	}
	p.tick(2 * time.Hour)
	yes := true
	if err := p.svc.Inspections.Rate(p.ctx, a["ent-a"], done.ID, inspection.RatingInput{Score: 5, Comment: "检查人员亮码、出示证件，流程规范。", CodeShown: &yes, CredentialShown: &yes}); err != nil {
		return fmt.Errorf("inspection rating: %w", err)
	}
	p.tick(time.Hour)
	if err := p.svc.Inspections.Acknowledge(p.ctx, a["ent-b"], signed.ID); err != nil {
		return fmt.Errorf("notice receipt: %w", err)
	}
	return nil
}

// bookings: a check-up finished with its report a week ago, one confirmed for later this week,
// one just asked for (the provider has to confirm it).
func (p *play) bookings() error {
	a, err := p.actors("ent-a", "ent-b", "provider-1")
	if err != nil {
		return err
	}
	if err := p.svc.Bookings.RefreshAll(p.ctx); err != nil {
		return err
	}
	slot := func(code string, after time.Time) (uint64, time.Time, error) {
		var row struct {
			ID       uint64
			StartsAt time.Time
		}
		err := p.st.Gorm().WithContext(p.ctx).Table("slots").Select("slots.id, slots.starts_at").Joins("JOIN services ON services.id = slots.service_id").
			Where("services.code = ? AND slots.starts_at > ?", code, after).Order("slots.starts_at").Limit(1).Scan(&row).Error
		if err == nil && row.ID == 0 {
			err = fmt.Errorf("no %s slot after %s", code, after)
		}
		return row.ID, row.StartsAt, err
	}
	id, starts, err := slot("checkup", p.clk.Now().Add(2*time.Hour))
	if err != nil {
		return err
	}
	finished, err := p.svc.Bookings.Book(p.ctx, a["ent-a"], booking.BookInput{SlotID: id, Mode: "onsite", Address: "鹿城区工业园 8 号", Topic: "消防安全和产品标签"})
	if err != nil {
		return fmt.Errorf("book: %w", err)
	}
	if _, err := p.svc.Bookings.Act(p.ctx, a["provider-1"], finished.ID, booking.ActInput{Action: "confirm"}); err != nil {
		return fmt.Errorf("confirm: %w", err)
	}
	p.until(starts.Add(5 * time.Minute))
	if _, err := p.svc.Bookings.Act(p.ctx, a["provider-1"], finished.ID, booking.ActInput{Action: "start"}); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	p.tick(80 * time.Minute)
	if _, err := p.svc.Bookings.Complete(p.ctx, a["provider-1"], finished.ID, booking.ReportInput{
		Findings: "消防通道有杂物堆放；两款产品标签缺少执行标准编号。", Advice: "一周内清理消防通道；补印标签并留存整改照片。", FollowUp: "两周后线上复查"}); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	p.tick(time.Hour)
	for _, b := range []struct {
		who, code string
		confirm   bool
	}{{"ent-a", "legal", true}, {"ent-b", "menu-auto", false}} {
		id, _, err := slot(b.code, p.now.Add(24*time.Hour))
		if err != nil {
			return err
		}
		mode := "online"
		if b.code == "menu-auto" {
			mode = "onsite"
		}
		got, err := p.svc.Bookings.Book(p.ctx, a[b.who], booking.BookInput{SlotID: id, Mode: mode, Address: "瑞安市塘下镇工业区", Topic: "合同和用工合规"})
		if err != nil {
			return fmt.Errorf("book %s: %w", b.code, err)
		}
		if b.confirm {
			if _, err := p.svc.Bookings.Act(p.ctx, a["provider-1"], got.ID, booking.ActInput{Action: "confirm"}); err != nil {
				return fmt.Errorf("confirm %s: %w", b.code, err)
			}
		}
	}
	return nil
}

// outreach: an alert for the footwear trade, the market regulator's published penalty lists, the
// three documents delivered together, and two appointments (one asked for, one agreed).
func (p *play) outreach() error {
	a, err := p.actors("officer-scj", "ent-a", "ent-b")
	if err != nil {
		return err
	}
	scj, err := p.bodyID("温州市市场监督管理局")
	if err != nil {
		return err
	}
	p.tick(time.Hour)
	if _, err := p.svc.Outreach.PublishAlert(p.ctx, a["officer-scj"], outreach.AlertInput{Title: "鞋类产品标签标识风险提示",
		Body: "近期抽查发现部分鞋类产品未标注执行标准和材质成分，请对照 GB/T 15107 自查，发现问题及时整改。", Industries: []string{"footwear"}}); err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	day := p.now.In(calendar.Location()).AddDate(0, 0, -20).Format("2006-01-02")
	for _, pe := range []outreach.PenaltyInput{
		{Category: "none", Title: "初次未按规定公示年度报告且及时改正", Basis: "《企业信息公示暂行条例》第十条", PublishedOn: day},
		{Category: "mitigated", Title: "主动消除违法行为危害后果", Basis: "《中华人民共和国行政处罚法》第三十二条", PublishedOn: day},
		{Category: "heavier", Title: "生产销售不合格产品拒不整改", Basis: "《中华人民共和国产品质量法》第四十九条", PublishedOn: day},
	} {
		if _, err := p.svc.Outreach.AddPenalty(p.ctx, a["officer-scj"], scj, pe); err != nil {
			return fmt.Errorf("penalty list: %w", err)
		}
	}
	if _, err := p.svc.Outreach.SendDocuments(p.ctx, a["officer-scj"], outreach.DocumentsInput{EnterpriseUSCC: USCC(enterprises[1].county, 2),
		Decision: "温市监罚〔2026〕12 号：产品标签不符合规定，警告。", Advice: "建立标签审核制度，出厂前逐批核对。", CreditRepair: "整改完成后可通过信用中国（浙江）申请信用修复。"}); err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	p.tick(time.Hour)
	if _, err := p.svc.Outreach.RequestAppointment(p.ctx, a["ent-a"], outreach.AppointmentRequest{BodyID: scj, Topic: "希望当面沟通出口鞋类产品检验的流程和时限。"}); err != nil {
		return fmt.Errorf("appointment: %w", err)
	}
	ap, err := p.svc.Outreach.RequestAppointment(p.ctx, a["ent-b"], outreach.AppointmentRequest{BodyID: scj, Topic: "汽摩配产品召回备案的办理方式。"})
	if err != nil {
		return fmt.Errorf("appointment: %w", err)
	}
	meet := calendar.New().AddWorkingDays(p.now, 3)
	meet = time.Date(meet.Year(), meet.Month(), meet.Day(), 10, 0, 0, 0, calendar.Location())
	if _, err := p.svc.Outreach.ActOnAppointment(p.ctx, a["officer-scj"], ap.ID, outreach.AppointmentStep{Action: "accept", MeetAt: meet.Format(time.RFC3339), Place: "市场监管局 3 楼会议室"}); err != nil {
		return fmt.Errorf("appointment accept: %w", err)
	}
	return nil
}

// clues has the county liaison dismiss one clue the checks raised, with its reason, so the clue
// list shows one reviewed beside those waiting.
func (p *play) clues() error {
	li, err := p.actor("liaison-lc")
	if err != nil {
		return err
	}
	waiting, err := p.svc.Orders.Clues(p.ctx, li, grievance.ClueQuery{})
	if err != nil || len(waiting) < 2 {
		return err // one clue alone stays waiting
	}
	p.tick(2 * time.Hour)
	_, err = p.svc.Orders.ReviewClue(p.ctx, li, waiting[len(waiting)-1].ID, grievance.ClueMove{Action: "dismiss", Reason: "核实为同一次检查的重复登记"})
	return err
}
