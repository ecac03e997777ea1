package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"qijian/internal/calendar"
)

// The stage timers of the hotline steps (sign-for, a paused stage, an extended stage, a
// re-handled stage) through the suite's kills. Their limits are made to fall due inside the run
// as the accept limit is: type rows of the policy, written before the processes start, give
// these stages 0 working hours (timerPolicies). The fault then drives orders of each kind
// through the API as the real roles while the worker is killed, the web process is killed and
// Redis is flushed, and checks that every stage fired exactly once, never while paused nor
// before its (moved) due time: 0 lost, 0 duplicated.

// timerPolicies are the type rows the fault's orders run on; a type row wins over the channel's
// "*" row, and only these orders are ever dispatched, so nothing else meets them.
var timerPolicies = []struct{ channel, typ, stage string }{
	{"12348", "missing_code", "sign"},  // sign-for: due when dispatched
	{"12348", "conduct", "reply"},      // pause: the reply stage is due at once, and waits on the enterprise
	{"12345", "appeal", "reply"},       // extension: the first due time passes; the extended one is pulled in
	{"12345", "consultation", "reply"}, // re-handling: the new round's reply is due at once
}

func (s *suite) installTimerPolicies(ctx context.Context) error {
	for _, p := range timerPolicies {
		if _, err := s.pool.Exec(ctx, "INSERT INTO sla_policies (channel, type, stage, amount, unit) VALUES ($1, $2, $3, 0, 'hours') ON CONFLICT (channel, type, stage, urgent) DO UPDATE SET amount = 0, unit = 'hours'", p.channel, p.typ, p.stage); err != nil {
			return fmt.Errorf("timer policies: %w", err)
		}
	}
	return nil
}

const timerOrders = 5 // orders per kind

type timerRun struct {
	s                     *suite
	ent, liaison, officer string
	failures              []string
}

// file files one order of typ as ent-a and answers its id.
func (r *timerRun) file(ctx context.Context, typ string, n int) uint64 {
	body := map[string]any{"type": typ, "description": fmt.Sprintf("计时器故障测试 %s %d [timers:%s]", typ, n, r.s.load.runID), "body_id": 1}
	if typ == "illegal_inspection" {
		body["reasons"] = []string{"NOTICE-1"}
	}
	a := r.call(ctx, "POST", "/api/v1/complaints", r.ent, body)
	id, _ := a.json()["id"].(float64)
	return uint64(id)
}

// call sends one request, retrying while the web process is away (it may be restarting).
func (r *timerRun) call(ctx context.Context, method, path, token string, body any) answer {
	var a answer
	for i := 0; i < 60; i++ {
		a = r.s.a.do(ctx, nil, method, path, token, body)
		if a.Err == nil && a.Status < 500 {
			break
		}
		r.s.sleep(ctx, 500*time.Millisecond)
	}
	if a.Status/100 != 2 {
		r.failures = append(r.failures, fmt.Sprintf("%s %s: %d %v %.200s", method, path, a.Status, a.Err, a.Body))
	}
	return a
}

func (r *timerRun) act(ctx context.Context, token string, id uint64, m map[string]any) {
	r.call(ctx, "POST", fmt.Sprintf("/api/v1/complaints/%d/actions", id), token, m)
}

func (r *timerRun) acts(ctx context.Context, token string, ids []uint64, m map[string]any) {
	for _, id := range ids {
		r.act(ctx, token, id, m)
	}
}

func (s *suite) faultStageTimers(ctx context.Context) (*window, error) {
	r := &timerRun{s: s, ent: s.tokens[0]}
	var err error
	if r.liaison, err = s.a.token(ctx, "liaison-lc", benchPassword); err != nil {
		return nil, err
	}
	if r.officer, err = s.a.token(ctx, "officer-scj", benchPassword); err != nil {
		return nil, err
	}
	kinds := map[string][]uint64{}
	for _, typ := range []string{"missing_code", "conduct", "appeal", "consultation"} {
		for i := 0; i < timerOrders; i++ {
			kinds[typ] = append(kinds[typ], r.file(ctx, typ, i))
		}
	}
	sign, paused, extended, rehandled := kinds["missing_code"], kinds["conduct"], kinds["appeal"], kinds["consultation"]
	all := append(append(append(append([]uint64{}, sign...), paused...), extended...), rehandled...)
	r.acts(ctx, r.liaison, all, map[string]any{"action": "accept"})
	// Pause, with the worker running: the reply stage is due the moment it opens, and its
	// timers come while the order waits on the enterprise, and do nothing.
	r.acts(ctx, r.liaison, paused, map[string]any{"action": "request_info", "note": "请补充检查当日的照片"})
	r.acts(ctx, r.liaison, paused, map[string]any{"action": "dispatch", "unit_id": 1})
	s.sleep(ctx, 3*time.Second)

	w := &window{from: time.Now(), expect: "down"} // the web process is killed inside it
	pid := s.worker.pid()
	s.worker.kill9()
	s.logf("kill -9 worker pid %d; %d orders of each kind filed and accepted, the paused ones dispatched", pid, timerOrders)
	// With the worker away: sign-for due at dispatch; the paused stage resumes; an extension
	// moves a stage whose first due time has come; a dissatisfied follow-up re-handles.
	r.acts(ctx, r.liaison, sign, map[string]any{"action": "dispatch", "unit_id": 1})
	resumed := time.Now()
	r.acts(ctx, r.ent, paused, map[string]any{"action": "supply_info", "note": "照片已上传"})
	pid = s.web.pid()
	s.web.kill9()
	s.logf("kill -9 web pid %d between the steps", pid)
	s.sleep(ctx, time.Second)
	if err := s.web.start(); err != nil {
		return nil, err
	}
	if _, err := s.a.waitReady(ctx, 20*time.Second); err != nil {
		return nil, fmt.Errorf("web did not come back: %v\n%s", err, s.web.tail(3000))
	}
	until := nextWorkingDate(time.Now())
	r.acts(ctx, r.liaison, extended, map[string]any{"action": "dispatch", "unit_id": 1})
	r.acts(ctx, r.officer, extended, map[string]any{"action": "sign"})
	r.acts(ctx, r.officer, extended, map[string]any{"action": "ask_extension", "until": until, "reason": "需现场复核"})
	r.acts(ctx, r.liaison, extended, map[string]any{"action": "approve_extension"})
	// The extended due time is the end of a working day; the bench pulls it (and its reminder)
	// in to 25 s (15 s) from now, as it gives the accept stage 0 hours. The old timer, armed for
	// the first due time, is left where it is: it comes first and must re-arm, not breach.
	for _, id := range extended {
		if _, err := s.pool.Exec(ctx, `UPDATE order_deadlines SET due_at = now() + interval '25 seconds', remind_at = now() + interval '15 seconds'
			WHERE order_id = $1 AND stage = 'reply' AND met_at IS NULL AND superseded_at IS NULL AND original_due_at IS NOT NULL`, refs.RowID(id)); err != nil {
			return nil, err
		}
	}
	r.acts(ctx, r.liaison, rehandled, map[string]any{"action": "dispatch", "unit_id": 1})
	r.acts(ctx, r.officer, rehandled, map[string]any{"action": "sign"})
	r.acts(ctx, r.officer, rehandled, map[string]any{"action": "reply", "note": "已核查并答复"})
	r.acts(ctx, r.liaison, rehandled, map[string]any{"action": "follow_up"})
	r.acts(ctx, r.liaison, rehandled, map[string]any{"action": "record_follow_up", "solved": "no", "satisfied": "no", "note": "企业表示不满意"})
	if err := s.worker.start(); err != nil {
		return nil, err
	}
	s.logf("worker restarted (pid %d); the timers are due or near", s.worker.pid())
	s.sleep(ctx, 1500*time.Millisecond)
	before := s.queueDepth()
	if err := flushRedis(s.redisURL); err != nil {
		return nil, err
	}
	s.logf("flushed redis db %d 1.5 s after the worker came back (queue before: %s)", s.redisDB, before)
	s.sleep(ctx, 2*time.Second)
	pid = s.worker.pid()
	s.worker.kill9()
	s.sleep(ctx, time.Second)
	if err := s.worker.start(); err != nil {
		return nil, err
	}
	w.to = time.Now()
	s.logf("kill -9 worker pid %d again, restarted (pid %d)", pid, s.worker.pid())
	if len(r.failures) > 0 {
		s.verdict(false, "stage-timer steps through the API", "%d failed: %s", len(r.failures), strings.Join(r.failures[:min(3, len(r.failures))], "; "))
	}
	// Wait for every stage the checks expect to fire (the sweep hands back what the flush lost
	// a minute after it was relayed).
	s.waitStageTimers(ctx, all, 150*time.Second)
	s.checkStageTimers(ctx, sign, paused, extended, rehandled, resumed)
	return w, nil
}

// nextWorkingDate is the first working day after t's date, in Wenzhou: the date an extension
// asks for.
func nextWorkingDate(t time.Time) string {
	cal := calendar.New()
	d := calendar.DateOf(t).AddDays(1)
	for !cal.IsWorkingDate(d) {
		d = d.AddDays(1)
	}
	return d.String()
}

// stageRow is one deadline row of the fault's orders.
type stageRow struct {
	order                             int64
	stage                             string
	round                             int
	due                               time.Time
	original, breached, met, reminded *time.Time
	audits, escalations               int
}

func (s *suite) stageRows(ctx context.Context, ids []uint64, stage string) ([]stageRow, error) {
	rows := make([]int64, len(ids))
	for i, id := range ids {
		rows[i] = int64(refs.RowID(id))
	}
	q, err := s.pool.Query(ctx, `SELECT d.order_id, d.stage, d.round, d.due_at, d.original_due_at, d.breached_at, d.met_at, d.reminded_at,
		(SELECT COUNT(*) FROM audit_events a WHERE a.action = 'deadline.breach' AND a.object_id = d.order_id AND a.detail LIKE '%"stage":"' || d.stage || '","round":' || d.round || '}%'),
		(SELECT COUNT(*) FROM order_events e WHERE e.order_id = d.order_id AND e.action = 'escalate' AND e.actor_role = 'system' AND e.note LIKE $3 AND e.note NOT LIKE $4)
		FROM order_deadlines d WHERE d.order_id = ANY($1) AND d.stage = $2 AND d.superseded_at IS NULL ORDER BY d.order_id, d.round`, rows, stage, "%超时未"+stageZhBench[stage]+"%", "%"+climbNote) // the breach's own escalation; the climbs after it are checked with every deadline
	if err != nil {
		return nil, err
	}
	defer q.Close()
	var out []stageRow
	for q.Next() {
		var r stageRow
		if err := q.Scan(&r.order, &r.stage, &r.round, &r.due, &r.original, &r.breached, &r.met, &r.reminded, &r.audits, &r.escalations); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, q.Err()
}

var stageZhBench = map[string]string{"sign": "签收", "reply": "答复"}

// waitStageTimers waits until the fault's orders have no sign-for or reply stage due (or due
// within a minute, as the pulled-in extensions) and not fired.
func (s *suite) waitStageTimers(ctx context.Context, ids []uint64, limit time.Duration) {
	rows := make([]int64, len(ids))
	for i, id := range ids {
		rows[i] = int64(refs.RowID(id))
	}
	start, last := time.Now(), time.Time{}
	for time.Since(start) < limit && ctx.Err() == nil {
		var n int64
		err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM order_deadlines d WHERE d.order_id = ANY($1) AND d.stage IN ('sign', 'reply')
			AND d.superseded_at IS NULL AND d.met_at IS NULL AND d.breached_at IS NULL AND d.due_at <= now() + interval '1 minute'`, rows).Scan(&n)
		if err == nil && n == 0 {
			s.logf("every due sign-for and reply stage of the fault's orders fired, %.0fs after the last kill", time.Since(start).Seconds())
			s.sleep(ctx, 3*time.Second) // a duplicate would come now
			return
		}
		if time.Since(last) > 10*time.Second {
			s.logf("waiting for the stage timers: %d due and not fired; %s", n, s.queueDepth())
			last = time.Now()
		}
		s.sleep(ctx, time.Second)
	}
}

// checkStageTimers judges each kind: every expected breach exactly once (lost: none; duplicated:
// none), never before its due time, never while paused; the stages that must not fire did not.
func (s *suite) checkStageTimers(ctx context.Context, sign, paused, extended, rehandled []uint64, resumed time.Time) {
	type tally struct{ rows, once, lost, dup, early, wrong int }
	judge := func(name, detail string, ids []uint64, stage string, want func(stageRow) bool, extra func(stageRow) string) {
		rows, err := s.stageRows(ctx, ids, stage)
		if err != nil {
			s.verdict(false, name, "query: %v", err)
			return
		}
		var t tally
		var ex []string
		for _, r := range rows {
			t.rows++
			fire := want(r)
			switch {
			case r.audits > 1 || (r.breached != nil && r.escalations > 1):
				t.dup++
				ex = append(ex, fmt.Sprintf("order %d %s/%d: %d breach entries, %d escalations", r.order, r.stage, r.round, r.audits, r.escalations))
			case fire && (r.breached == nil || r.audits != 1):
				t.lost++
				ex = append(ex, fmt.Sprintf("order %d %s/%d due %s never fired", r.order, r.stage, r.round, r.due.Format(time.TimeOnly)))
			case !fire && r.breached != nil:
				t.wrong++
				ex = append(ex, fmt.Sprintf("order %d %s/%d fired though it should not", r.order, r.stage, r.round))
			case fire:
				t.once++
			}
			if r.breached != nil && r.breached.Before(r.due) {
				t.early++
				ex = append(ex, fmt.Sprintf("order %d %s/%d breached %s before its due time %s", r.order, r.stage, r.round, r.breached.Format(time.TimeOnly), r.due.Format(time.TimeOnly)))
			}
			if m := extra(r); m != "" {
				t.wrong++
				ex = append(ex, m)
			}
		}
		s.verdict(t.lost == 0 && t.dup == 0 && t.early == 0 && t.wrong == 0 && t.once > 0, name,
			"%s: %d stage rows, %d fired exactly once, %d lost, %d duplicated, %d early, %d wrong %s", detail, t.rows, t.once, t.lost, t.dup, t.early, t.wrong, strings.Join(ex[:min(3, len(ex))], "; "))
	}
	none := func(stageRow) string { return "" }
	judge("sign-for timers through the kills", "dispatched with the worker killed, web killed, Redis flushed after the restart", sign, "sign",
		func(stageRow) bool { return true }, none)
	judge("paused stage fires after the answer, once", "reply due at dispatch while waiting on the enterprise, answered with the worker killed", paused, "reply",
		func(stageRow) bool { return true }, func(r stageRow) string {
			if r.breached != nil && r.breached.Before(resumed) {
				return fmt.Sprintf("order %d breached %s while paused", r.order, r.breached.Format(time.TimeOnly))
			}
			return ""
		})
	judge("extended stage: the first due time never breaches, the extended one once", "first due time at dispatch, extension approved with the worker killed, extended due pulled in to 25 s", extended, "reply",
		func(stageRow) bool { return true }, func(r stageRow) string {
			if r.original == nil {
				return fmt.Sprintf("order %d: the first due time is not kept", r.order)
			}
			if r.breached != nil && !r.breached.After(r.original.Add(10*time.Second)) {
				return fmt.Sprintf("order %d breached at its first due time", r.order)
			}
			return ""
		})
	judge("re-handled stage: the met round never fires, the new round once", "replied, dissatisfied follow-up with the worker killed", rehandled, "reply",
		func(r stageRow) bool { return r.round > 1 }, func(r stageRow) string {
			if r.round == 1 && r.met == nil {
				return fmt.Sprintf("order %d: the first round's reply is not met", r.order)
			}
			return ""
		})
}
