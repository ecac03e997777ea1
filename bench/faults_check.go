package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"qijian/internal/grievance"
	"qijian/internal/message"
)

// checkAll runs the consistency checks. Before the final drain (final=false) only what can
// never be right later is judged (duplicates, double firing, lost 2xx answers); after it,
// completeness too (every due deadline fired, every notification delivered).
// refs maps the outside ids the processes answer (an anonymous order's opaque reference) to row
// ids: they derive them from the secret the bench gives them.
var refs = &grievance.Service{Secret: []byte(benchSecret)}

func (s *suite) checkAll(ctx context.Context, final bool) {
	s.checkSubmissions(ctx)
	s.checkDeadlines(ctx, final)
	s.checkNotifications(ctx, final)
}

var keyRe = regexp.MustCompile(`\[bench:([^\]]+)\]`)

func (s *suite) checkSubmissions(ctx context.Context) {
	total, answered, attempts, failedAttempts := s.load.snapshot()
	// An anonymous order is answered by its opaque reference: name each by its row id.
	for key, ids := range answered {
		rows := make(map[uint64]string, len(ids))
		for id, n := range ids {
			rows[refs.RowID(id)] = n
		}
		answered[key] = rows
	}
	type row struct {
		id     uint64
		number string
	}
	inDB := map[string][]row{}
	rows, err := s.pool.Query(ctx, "SELECT id, number, description FROM work_orders WHERE description LIKE '%[bench:%'")
	if err != nil {
		s.verdict(false, "2xx submissions in the database", "query: %v", err)
		return
	}
	for rows.Next() {
		var r row
		var desc string
		if err := rows.Scan(&r.id, &r.number, &desc); err != nil {
			s.verdict(false, "2xx submissions in the database", "scan: %v", err)
			rows.Close()
			return
		}
		if m := keyRe.FindStringSubmatch(desc); m != nil {
			inDB[m[1]] = append(inDB[m[1]], r)
		}
	}
	rows.Close()
	var once, missing, dup, twoIDs, unanswered int
	var examples []string
	for key, ids := range answered {
		if len(ids) > 1 {
			twoIDs++
			examples = append(examples, fmt.Sprintf("%s answered with %d different orders", key, len(ids)))
		}
		got := inDB[key]
		switch {
		case len(got) > 1:
			dup++
			examples = append(examples, fmt.Sprintf("%s stored %d times", key, len(got)))
		case len(got) == 0:
			missing++
			examples = append(examples, fmt.Sprintf("%s answered 2xx but not stored", key))
		default:
			if n, ok := ids[got[0].id]; !ok || n != got[0].number {
				missing++
				examples = append(examples, fmt.Sprintf("%s answered %v but stored as #%d %s", key, ids, got[0].id, got[0].number))
			} else {
				once++
			}
		}
	}
	for key, got := range inDB {
		if _, ok := answered[key]; !ok {
			unanswered++
			if len(got) > 1 {
				dup++
				examples = append(examples, fmt.Sprintf("%s (never answered 2xx) stored %d times", key, len(got)))
			}
		}
	}
	if len(examples) > 3 {
		examples = examples[:3]
	}
	s.verdict(missing == 0 && dup == 0 && twoIDs == 0, "every 2xx submission exists exactly once",
		"%d submissions (%d HTTP attempts, %d failed and retried with the same key); %d answered 2xx, %d of them stored exactly once, %d missing, %d stored more than once, %d keys answered with two orders; %d stored whose answer the client has not got (in flight, or it gave up) %s",
		total, attempts, failedAttempts, len(answered), once, missing, dup, twoIDs, unanswered, strings.Join(examples, "; "))
}

func (s *suite) checkDeadlines(ctx context.Context, final bool) {
	// Effects first, then the deadline rows: an effect commits with its deadline's mark, so
	// reading the marks last never shows an effect without its mark.
	audits := map[string]int{} // "order/stage/round" → deadline.breach audit entries
	rows, err := s.pool.Query(ctx, "SELECT object_id, detail FROM audit_events WHERE action = 'deadline.breach'")
	if err != nil {
		s.verdict(false, "deadlines", "query: %v", err)
		return
	}
	detailRe := regexp.MustCompile(`"stage":"([a-z]+)","round":([0-9]+)`)
	for rows.Next() {
		var oid int64
		var detail string
		if rows.Scan(&oid, &detail) == nil {
			if m := detailRe.FindStringSubmatch(detail); m != nil {
				audits[fmt.Sprintf("%d/%s/%s", oid, m[1], m[2])]++
			}
		}
	}
	rows.Close()
	escalations := map[int64]int{}
	// A breach escalates once; the climbs that follow while nobody acts (持续未处理) are their own
	// timers, counted apart below: each rung climbed at most once.
	rows, err = s.pool.Query(ctx, "SELECT order_id, COUNT(*) FROM order_events WHERE action = 'escalate' AND actor_role = 'system' AND note NOT LIKE '%"+climbNote+"' GROUP BY order_id")
	if err != nil {
		s.verdict(false, "deadlines", "query: %v", err)
		return
	}
	for rows.Next() {
		var oid int64
		var n int
		if rows.Scan(&oid, &n) == nil {
			escalations[oid] = n
		}
	}
	rows.Close()
	timerRuns := 0 // deadline timers whose row was done more than once for one kind (re-armed)
	_ = s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT payload FROM outbox WHERE task_type = 'grievance:deadline' AND done_at IS NOT NULL GROUP BY payload HAVING COUNT(*) > 1) x`).Scan(&timerRuns)

	rows, err = s.pool.Query(ctx, `SELECT d.order_id, d.stage, d.round, d.due_at <= now(), d.met_at IS NOT NULL, d.breached_at IS NOT NULL, d.reminded_at IS NOT NULL, o.level
		FROM order_deadlines d JOIN work_orders o ON o.id = d.order_id WHERE d.superseded_at IS NULL`)
	if err != nil {
		s.verdict(false, "deadlines", "query: %v", err)
		return
	}
	var total, due, fired, reminded, remindSkipped, twice, never, notDue int
	breachedPer, mustRaise := map[int64]int{}, map[int64]int{}
	var examples []string
	for rows.Next() {
		var oid int64
		var stage string
		var round, level int
		var isDue, met, breached, rem bool
		if err := rows.Scan(&oid, &stage, &round, &isDue, &met, &breached, &rem, &level); err != nil {
			continue
		}
		total++
		key := fmt.Sprintf("%d/%s/%d", oid, stage, round)
		n := audits[key]
		if breached {
			breachedPer[oid]++
			if stage != "review" && level < 3 {
				mustRaise[oid]++ // a clue's review breach only tells the liaisons; nothing climbs past the city level
			}
		}
		if n > 1 || (n == 1 && !breached) {
			twice++
			examples = append(examples, fmt.Sprintf("order %d %s: %d breach audit entries, breached=%v", oid, stage, n, breached))
		}
		if !isDue || met {
			notDue++
			continue
		}
		due++
		switch {
		case breached && n == 1:
			fired++
		case final:
			never++
			examples = append(examples, fmt.Sprintf("order %d %s due but breached=%v with %d audit entries", oid, stage, breached, n))
		}
		if rem {
			reminded++
		} else if breached {
			remindSkipped++
		}
	}
	rows.Close()
	escTwice := 0
	climbs, climbedTwice := 0, 0
	if err := s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM order_events WHERE action = 'escalate' AND actor_role = 'system' AND note LIKE '%"+climbNote+"'").Scan(&climbs); err != nil {
		s.verdict(false, "deadlines", "query: %v", err)
		return
	}
	if err := s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM (SELECT order_id, level FROM order_events WHERE action = 'escalate' AND actor_role = 'system' AND note LIKE '%"+climbNote+"' GROUP BY order_id, level HAVING COUNT(*) > 1) t").Scan(&climbedTwice); err != nil {
		s.verdict(false, "deadlines", "query: %v", err)
		return
	}
	if climbedTwice > 0 {
		examples = append(examples, fmt.Sprintf("%d rungs climbed twice", climbedTwice))
	}
	for oid, n := range escalations {
		if n > breachedPer[oid] {
			escTwice++
			examples = append(examples, fmt.Sprintf("order %d escalated %d times by the system for %d breaches", oid, n, breachedPer[oid]))
		}
	}
	if final {
		for oid, b := range mustRaise {
			if escalations[oid] < b {
				never++
				examples = append(examples, fmt.Sprintf("order %d breached %d deadlines but escalated %d times", oid, b, escalations[oid]))
			}
		}
	}
	if len(examples) > 3 {
		examples = examples[:3]
	}
	name := "no deadline fired twice"
	if final {
		name = "every deadline due in the window fired exactly once"
	}
	s.verdict(twice == 0 && escTwice == 0 && never == 0 && climbedTwice == 0, name,
		"%d deadline rows, %d due in the window: %d breached exactly once (one audit entry, one system escalation each), %d never fired, %d fired twice, %d double escalations; %d climbs while untouched, %d rungs climbed twice; reminders: %d sent once, %d not sent (the reminder ran at or after its deadline: with 0 working hours, every time); %d other rows not due yet (the resolve stage) or met; %d timer rows re-armed %s",
		total, due, fired, never, twice, escTwice, climbs, climbedTwice, reminded, remindSkipped, notDue, timerRuns, strings.Join(examples, "; "))
}

// checkNotifications compares the inbox with what the orders' history says must have been sent:
// to the filer, "received" and one message per escalation; to every liaison in scope, "new order",
// one reminder per reminded deadline and one message per escalation (the unit's officers too when
// an order has a unit). It also checks SMS and email deliveries.
func (s *suite) checkNotifications(ctx context.Context, final bool) {
	type nkey struct {
		user  int64
		order int64
		class string
	}
	actual := map[nkey]int{}
	type note struct {
		user   int64
		kind   string
		outbox int64
	}
	var notes []note
	var total, other int
	outboxIDs := map[int64]int{}
	literal := map[string]int{} // by (user, kind, order) as stored
	rows, err := s.pool.Query(ctx, `SELECT user_id, kind, link, split_part(title, chr(31), 1), COALESCE(outbox_id, 0) FROM notifications`)
	if err != nil {
		s.verdict(false, "notifications", "query: %v", err)
		return
	}
	for rows.Next() {
		var user, ob int64
		var kind, link, title string
		if rows.Scan(&user, &kind, &link, &title, &ob) != nil {
			continue
		}
		total++
		outboxIDs[ob]++
		notes = append(notes, note{user, kind, ob})
		ref, err := strconv.ParseUint(strings.TrimPrefix(link, "/complaints/"), 10, 64)
		if !strings.HasPrefix(link, "/complaints/") || err != nil {
			other++
			continue
		}
		oid := int64(refs.RowID(ref)) // an anonymous order's link names its opaque reference
		if oid <= s.demoOrders {
			continue // the demo's own stories (merges, co-handling): not the suite's traffic
		}
		class := "other:" + kind
		switch {
		case kind == "order.received":
			class = "received"
		case strings.HasPrefix(title, "新工单待受理"):
			class = "new"
		case strings.Contains(title, "时限将到"):
			class = "remind"
		case strings.HasSuffix(title, "已督办"), strings.Contains(title, " 已升级为"):
			class = "escalate"
		}
		actual[nkey{user, oid, class}]++
		literal[fmt.Sprintf("%d/%s/%d", user, kind, oid)]++
	}
	rows.Close()
	dupOutbox := 0
	for id, n := range outboxIDs {
		if id != 0 && n > 1 {
			dupOutbox++
		}
	}

	// Expected, from the state (read after the inbox: a message exists only after its cause committed).
	type liaison struct {
		id     int64
		county string
	}
	var liaisons []liaison
	officers := map[int64][]int64{}
	rows, err = s.pool.Query(ctx, "SELECT id, role, county_code, COALESCE(body_id, 0) FROM users WHERE NOT disabled AND role IN ('liaison', 'officer')")
	if err != nil {
		s.verdict(false, "notifications", "query: %v", err)
		return
	}
	for rows.Next() {
		var id, body int64
		var role, county string
		if rows.Scan(&id, &role, &county, &body) != nil {
			continue
		}
		if role == "liaison" {
			liaisons = append(liaisons, liaison{id, county})
		} else if body != 0 {
			officers[body] = append(officers[body], id)
		}
	}
	rows.Close()
	remindedPer, escPer := map[int64]int{}, map[int64]int{}
	for _, q := range []struct {
		sql string
		m   map[int64]int
	}{
		{"SELECT order_id, COUNT(*) FROM order_deadlines WHERE reminded_at IS NOT NULL GROUP BY order_id", remindedPer},
		{"SELECT order_id, COUNT(*) FROM order_events WHERE action = 'escalate' GROUP BY order_id", escPer},
	} {
		rows, err := s.pool.Query(ctx, q.sql)
		if err != nil {
			s.verdict(false, "notifications", "query: %v", err)
			return
		}
		for rows.Next() {
			var oid int64
			var n int
			if rows.Scan(&oid, &n) == nil {
				q.m[oid] = n
			}
		}
		rows.Close()
	}
	// The hotline steps (the stage-timer fault's orders): each tells the filer, and some the unit
	// or the liaisons, as grievance's notifyChange does.
	steps := map[int64]map[string]int{}
	rows, err = s.pool.Query(ctx, "SELECT order_id, action, COUNT(*) FROM order_events WHERE action NOT IN ('submit', 'escalate') GROUP BY order_id, action")
	if err != nil {
		s.verdict(false, "notifications", "query: %v", err)
		return
	}
	for rows.Next() {
		var oid int64
		var act string
		var n int
		if rows.Scan(&oid, &act, &n) == nil {
			if steps[oid] == nil {
				steps[oid] = map[string]int{}
			}
			steps[oid][act] = n
		}
	}
	rows.Close()
	expected := map[nkey]int{}
	rows, err = s.pool.Query(ctx, "SELECT id, county_code, filed_by_user_id, COALESCE(unit_body_id, 0) FROM work_orders WHERE id > $1", s.demoOrders)
	if err != nil {
		s.verdict(false, "notifications", "query: %v", err)
		return
	}
	orders := 0
	for rows.Next() {
		var oid, filer, unit int64
		var county string
		if rows.Scan(&oid, &county, &filer, &unit) != nil {
			continue
		}
		orders++
		rem, esc := remindedPer[oid], escPer[oid]
		if filer != 0 {
			expected[nkey{filer, oid, "received"}] = 1
			expected[nkey{filer, oid, "escalate"}] = esc
		}
		for _, l := range liaisons {
			if l.county == "" || l.county == county {
				expected[nkey{l.id, oid, "new"}] = 1
				expected[nkey{l.id, oid, "remind"}] = rem
				expected[nkey{l.id, oid, "escalate"}] = esc
			}
		}
		for _, u := range officers[unit] {
			expected[nkey{u, oid, "remind"}] += rem
			expected[nkey{u, oid, "escalate"}] += esc
		}
		for act, n := range steps[oid] {
			if filer != 0 && act != "rate" && act != "assign" {
				expected[nkey{filer, oid, "other:order." + act}] += n
			}
			switch act {
			case "dispatch", "transfer", "refuse_return", "rehandle", "approve_extension", "refuse_extension":
				for _, u := range officers[unit] {
					expected[nkey{u, oid, "other:order.unit"}] += n
				}
			case "return", "reopen", "rate", "ask_extension", "supply_info":
				for _, l := range liaisons {
					if l.county == "" || l.county == county {
						expected[nkey{l.id, oid, "other:order.staff"}] += n
					}
				}
			}
		}
	}
	rows.Close()
	var twice, missing, want int
	var examples []string
	for k, n := range actual {
		if n > expected[k] {
			twice += n - expected[k]
			examples = append(examples, fmt.Sprintf("user %d order %d %s: %d sent, %d expected", k.user, k.order, k.class, n, expected[k]))
		}
	}
	for k, n := range expected {
		want += n
		if actual[k] < n && final {
			missing += n - actual[k]
			if len(examples) < 6 {
				examples = append(examples, fmt.Sprintf("user %d order %d %s: %d sent, %d expected", k.user, k.order, k.class, actual[k], n))
			}
		}
	}
	if len(examples) > 3 {
		examples = examples[:3]
	}
	name := "no notification went out twice"
	if final {
		name = "every notification went out exactly once"
	}
	multi := 0
	for _, n := range literal {
		if n > 1 {
			multi++
		}
	}
	s.verdict(twice == 0 && missing == 0 && dupOutbox == 0, name,
		"%d orders, %d in-app messages (%d about no order); by (user, kind, order, event): %d expected, %d extra, %d missing; %d outbox ids used twice; "+
			"%d (user, kind, order) groups hold several messages, each one a different event (staff get new-order, reminder and escalation messages all as kind order.staff) %s",
		orders, total, other, want, twice, missing, dupOutbox, multi, strings.Join(examples, "; "))

	// SMS and email: one delivery per message, channel and person who asked for it.
	type dkey struct {
		source  int64
		channel string
	}
	deliveries := map[dkey]int{}
	byBody := map[string]int{}
	status := map[string]int{}
	rows, err = s.pool.Query(ctx, "SELECT source_id, channel, user_id, body, status FROM message_deliveries")
	if err != nil {
		s.verdict(false, "deliveries", "query: %v", err)
		return
	}
	for rows.Next() {
		var src, user int64
		var ch, body, st string
		if rows.Scan(&src, &ch, &user, &body, &st) != nil {
			continue
		}
		deliveries[dkey{src, ch}]++
		byBody[fmt.Sprintf("%d/%s/%s", user, ch, body)]++
		status[st]++
	}
	rows.Close()
	type pref struct {
		sms, email bool
		muted      []string
	}
	prefs := map[int64]pref{}
	rows, err = s.pool.Query(ctx, `SELECT p.user_id, p.sms AND p.mobile <> '', p.email_on AND p.email <> '',
		COALESCE((SELECT string_agg(m.kind_group, ',') FROM notification_mutes m WHERE m.user_id = p.user_id), '')
		FROM notification_prefs p`)
	if err != nil {
		s.verdict(false, "deliveries", "query: %v", err)
		return
	}
	for rows.Next() {
		var u int64
		var p pref
		var muted string
		if rows.Scan(&u, &p.sms, &p.email, &muted) == nil {
			if muted != "" {
				p.muted = strings.Split(muted, ",")
			}
			prefs[u] = p
		}
	}
	rows.Close()
	var dTwice, dMissing, dWant int
	for _, n := range deliveries {
		if n > 1 {
			dTwice += n - 1
		}
	}
	for _, n := range byBody {
		if n > 1 {
			dTwice += n - 1
		}
	}
	for _, nt := range notes {
		p, ok := prefs[nt.user]
		if !ok || slices.Contains(p.muted, message.Group(nt.kind)) {
			continue
		}
		for ch, on := range map[string]bool{"sms": p.sms, "email": p.email} {
			if !on {
				continue
			}
			dWant++
			if deliveries[dkey{nt.outbox, ch}] == 0 && final {
				dMissing++
			}
		}
	}
	name = "no SMS or email went out twice"
	if final {
		name = "every SMS and email queued exactly once"
	}
	s.verdict(dTwice == 0 && dMissing == 0, name,
		"%d deliveries for %d wanted (%s); %d duplicates by (source, channel) or (person, channel, text), %d missing; a delivery left 'sending' was cut off by a kill and is never resent, by design",
		len(deliveries), dWant, fmtKinds(status), dTwice, dMissing)
}

// climbNote ends the note of the system's climb up the supervision ladder while an order stays
// untouched after a breach (the grievance deadline handler writes it).
const climbNote = "持续未处理，自动升级督办"
