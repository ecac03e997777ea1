package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// twoWorkersEvery is the period every periodic job gets while two workers run
// (QIJIAN_PERIODIC_EVERY, a setting for tests and rehearsals only), and twoWorkersFor how long
// they run side by side: a few periods of each job in a few seconds.
const (
	twoWorkersEvery = 3 * time.Second
	twoWorkersFor   = 13 * time.Second
)

// leaseJobs are the periodic jobs whose every period must run once: the outbox sweep, the
// retention prune and the reconcile of deliveries left sending.
var leaseJobs = []string{"outbox:sweep", "outbox:prune", "deliveries:reconcile"}

// faultTwoWorkers runs a second worker beside the first, both with every periodic job on a 3 s
// period, while the steady load goes on. Each job must run once per period however many
// workers tick (a lease per period in periodic_runs), in every period; no request may fail; the
// timers that fall due meanwhile fire once (judged with the other deadlines afterwards).
func (s *suite) faultTwoWorkers(ctx context.Context) (*window, error) {
	env := append(slices.Clone(s.env), "QIJIAN_PERIODIC_EVERY="+twoWorkersEvery.String())
	w := &window{from: time.Now(), expect: "up"}
	// The first worker restarts on the short period too: workers sharing a job's periods must
	// agree on them.
	s.worker.stop()
	s.worker.env = env
	if err := s.worker.start(); err != nil {
		return nil, err
	}
	second := &proc{name: "worker2", bin: s.bin, args: []string{"worker"}, env: env, log: filepath.Join(filepath.Dir(s.worker.log), "worker2.log")}
	if err := second.start(); err != nil {
		return nil, err
	}
	from := time.Now()
	s.logf("two workers (pids %d and %d), every periodic job on a %s period, for %s", s.worker.pid(), second.pid(), twoWorkersEvery, twoWorkersFor)
	s.sleep(ctx, twoWorkersFor)
	to := time.Now()
	second.stop()
	s.worker.stop()
	s.worker.env = s.env
	if err := s.worker.start(); err != nil {
		return nil, err
	}
	w.to = time.Now()
	s.logf("second worker stopped; the first restarted on the jobs' own periods (pid %d)", s.worker.pid())
	if !strings.Contains(second.tail(1<<20), "qijian worker running") {
		s.verdict(false, "two workers", "the second worker did not start: %s", second.tail(2000))
		return w, nil
	}

	// Every run of a periodic job in the window, from both logs: (job, period) → runs, by worker.
	runs := map[string]map[time.Time][]string{}
	for _, p := range []*proc{s.worker, second} {
		for _, r := range periodicRuns(p.log, from, to.Add(time.Second)) {
			if runs[r.job] == nil {
				runs[r.job] = map[time.Time][]string{}
			}
			runs[r.job][r.period] = append(runs[r.job][r.period], p.name)
		}
	}
	var twice []string
	for job, per := range runs {
		for period, by := range per {
			if len(by) > 1 {
				twice = append(twice, fmt.Sprintf("%s %s by %v", job, period.Format("15:04:05"), by))
			}
		}
	}
	sort.Strings(twice)
	// The periods both workers ticked through, whole: their schedulers first tick one period after start.
	first := from.Add(twoWorkersEvery).Truncate(twoWorkersEvery).Add(twoWorkersEvery).UTC()
	var want []time.Time
	for p := first; !p.Add(twoWorkersEvery).After(to); p = p.Add(twoWorkersEvery) {
		want = append(want, p)
	}
	var missed, desc []string
	for _, job := range leaseJobs {
		per := runs[job]
		by := map[string]int{}
		for _, ws := range per {
			for _, w := range ws {
				by[w]++
			}
		}
		n := 0
		for _, p := range want {
			if len(per[p]) == 0 {
				n++
			}
		}
		// One period missed is the schedulers' jitter (a tick late into the next period); more is
		// a job that stopped running.
		if n > 1 {
			missed = append(missed, fmt.Sprintf("%s missed %d of %d periods", job, n, len(want)))
		}
		desc = append(desc, fmt.Sprintf("%s: %d period(s) run of %d watched, by %s", job, len(per), len(want), fmtKinds(by)))
	}
	// The leases themselves: one row per (job, period), each claimed by the run logged for it.
	var leases int
	_ = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM periodic_runs WHERE job = ANY($1) AND period >= $2 AND period < $3", leaseJobs, from.UTC(), to.UTC()).Scan(&leases)
	logged := 0
	for _, job := range leaseJobs {
		for p := range runs[job] {
			if !p.Before(from) && p.Before(to) {
				logged++
			}
		}
	}
	var breaches int
	_ = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM order_deadlines WHERE breached_at BETWEEN $1 AND $2", from, to).Scan(&breaches)
	s.verdict(len(twice) == 0 && len(missed) == 0 && len(runs["outbox:sweep"]) > 0,
		"two workers: each periodic job ran once per period", "%s; run twice: %v; missed: %v; %d lease rows for %d logged runs; %d deadlines breached (timers fired) meanwhile, checked for double firing below",
		strings.Join(desc, "; "), twice, missed, leases, logged, breaches)
	return w, nil
}

type periodicRun struct {
	job    string
	period time.Time
}

var periodicRunRe = regexp.MustCompile(`^time=(\S+) .*msg="periodic job ran" job=(\S+) period=(\S+)`)

// periodicRuns reads the "periodic job ran" lines a worker logged between from and to.
func periodicRuns(log string, from, to time.Time) []periodicRun {
	f, err := os.Open(log)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []periodicRun
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		m := periodicRunRe.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		at, err1 := time.Parse(time.RFC3339Nano, m[1])
		period, err2 := time.Parse(time.RFC3339, m[3])
		if err1 != nil || err2 != nil || at.Before(from) || at.After(to) {
			continue
		}
		out = append(out, periodicRun{job: m[2], period: period.UTC()})
	}
	return out
}
