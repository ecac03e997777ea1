package portal

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"qijian/internal/grievance"
)

// metrics keeps its own registry so several portals (tests) never collide.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// OutboxStats reports the outbox's backlog for /metrics.
type OutboxStats interface {
	OutboxPending(ctx context.Context) (int64, error)
}

func newMetrics(stats QueueStats, outbox OutboxStats, orders *grievance.Service, queue Pinger) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "qijian_http_requests_total", Help: "HTTP requests by method, route and status."}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "qijian_http_request_duration_seconds", Help: "HTTP request latency by method and route.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}, []string{"method", "route"})
	m.reg.MustRegister(m.requests, m.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reg.MustRegister(&queueCollector{stats: stats, outbox: outbox, queue: queue,
		up:      prometheus.NewDesc("qijian_queue_up", "Whether the queue (Redis) answers a ping: 1 or 0. Not part of a web process's readiness.", nil, nil),
		depth:   prometheus.NewDesc("qijian_queue_tasks", "Tasks in the queue by state.", []string{"state"}, nil),
		pending: prometheus.NewDesc("qijian_outbox_pending", "Outbox rows not yet done.", nil, nil)})
	// Group commit: filings per transaction is filings ÷ batches.
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "qijian_filing_batches_total", Help: "Transactions that wrote new filings (group commit)."},
		func() float64 { b, _ := orders.GroupCommits(); return float64(b) }))
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "qijian_filings_written_total", Help: "Filings those transactions held."},
		func() float64 { _, n := orders.GroupCommits(); return float64(n) }))
	return m
}

// routeOf is the matched route pattern (never the raw path, which holds ids), or "other".
func routeOf(c *fiber.Ctx) string {
	r := c.Route()
	if r == nil || r.Path == "" || (r.Path == "/" && c.Path() != "/") {
		return "other"
	}
	return r.Path
}

// middleware counts and times every request and logs it with ids only: no names, no addresses.
func (m *metrics) middleware(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = statusOf(err)
		}
		// Fiber reuses these buffers after the handler returns: the registry keeps label
		// strings, so they are copied.
		route := strings.Clone(routeOf(c))
		method := strings.Clone(c.Method())
		d := time.Since(start)
		m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(method, route).Observe(d.Seconds())
		if log != nil && route != "/metrics" && route != "/healthz" && route != "/readyz" {
			attrs := []any{"method", method, "route", route, "status", status, "ms", d.Milliseconds()}
			if v := viewerOf(c); v.User != nil {
				attrs = append(attrs, "user_id", v.User.ID)
			}
			log.Info("request", attrs...)
		}
		return err
	}
}

type queueCollector struct {
	stats   QueueStats
	queue   Pinger
	up      *prometheus.Desc
	outbox  OutboxStats
	depth   *prometheus.Desc
	pending *prometheus.Desc
}

func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- q.depth
	ch <- q.pending
	ch <- q.up
}

func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	if q.queue != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		up := 1.0
		if q.queue.Ping(ctx) != nil {
			up = 0
		}
		cancel()
		ch <- prometheus.MustNewConstMetric(q.up, prometheus.GaugeValue, up)
	}
	if q.stats != nil {
		if d, err := q.stats.Depth(); err == nil {
			for state, n := range d {
				ch <- prometheus.MustNewConstMetric(q.depth, prometheus.GaugeValue, float64(n), state)
			}
		}
	}
	if q.outbox != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if n, err := q.outbox.OutboxPending(ctx); err == nil {
			ch <- prometheus.MustNewConstMetric(q.pending, prometheus.GaugeValue, float64(n))
		}
	}
}
