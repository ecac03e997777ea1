package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// api calls the portal's JSON API. With several source addresses it spreads requests over
// 127.0.1.x, so per-address rate limits of a process the bench cannot configure (the built
// binary's 30 submissions a minute per address) do not cap the load.
type api struct {
	base    string
	clients []*http.Client
	next    atomic.Uint64
	fast    *fasthttp.HostClient // set by useFastClient: the load's own requests go through it
	timeout time.Duration
	metrics string // the base URL of the metrics listener (QIJIAN_METRICS_ADDR)
}

func newAPI(base string, sources int, timeout time.Duration) *api {
	a := &api{base: base, timeout: timeout}
	if sources < 1 {
		sources = 1
	}
	for i := 0; i < sources; i++ {
		d := &net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}
		if sources > 1 {
			d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(1+i%254))}
		}
		tr := &http.Transport{DialContext: d.DialContext, MaxIdleConns: 1024, MaxIdleConnsPerHost: 512, IdleConnTimeout: 90 * time.Second}
		a.clients = append(a.clients, &http.Client{Transport: tr, Timeout: timeout})
	}
	return a
}

// useFastClient sends the requests that name no client through fasthttp (fiber's own HTTP engine)
// instead of net/http: the load clients run on the machine they measure, as pgbench does, and
// net/http's client took a quarter of the bench process's CPU, which the portal then lacked.
// The fault suite keeps net/http, whose errors it tells apart (refused, reset, timeout).
func (a *api) useFastClient() {
	a.fast = &fasthttp.HostClient{Addr: strings.TrimPrefix(a.base, "http://"), MaxConns: 4096,
		ReadTimeout: a.timeout, WriteTimeout: a.timeout, MaxIdleConnDuration: 90 * time.Second}
}

// fastDo is do through a.fast.
func (a *api) fastDo(method, path, token string, body any, hdr ...string) answer {
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.SetRequestURI(a.base + path)
	req.Header.SetMethod(method)
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{Err: err}
		}
		req.SetBodyRaw(b)
		req.Header.SetContentType("application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	// Do, bounded by the client's read and write timeouts, as fasthttp's maintainers advise:
	// DoDeadline failed many requests here with a timeout well inside their deadline.
	start := time.Now()
	err := a.fast.Do(req, res)
	took := time.Since(start)
	if err != nil {
		return answer{Err: err, Took: took}
	}
	return answer{Status: res.StatusCode(), Body: append([]byte(nil), res.Body()...), Took: took, RetryAfter: string(res.Header.Peek("Retry-After"))}
}

// client picks the next source address's client.
func (a *api) client() *http.Client {
	return a.clients[int(a.next.Add(1)%uint64(len(a.clients)))]
}

// clientFor pins a source address (the idempotency test fires from 50 different addresses).
func (a *api) clientFor(i int) *http.Client { return a.clients[i%len(a.clients)] }

type answer struct {
	Status int
	Body   []byte
	Err    error
	Took   time.Duration
	// RetryAfter is the answer's Retry-After header
	RetryAfter string
}

func (r answer) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// kind classifies an answer for error counts: "" for a 2xx.
func (r answer) kind() string {
	switch {
	case r.Err != nil:
		return errKind(r.Err)
	case r.Status >= 200 && r.Status < 300:
		return ""
	default:
		return fmt.Sprintf("http%d", r.Status)
	}
}

func errKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, fasthttp.ErrConnectionClosed):
		return "reset"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, fasthttp.ErrTimeout), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "neterr"
}

func (a *api) do(ctx context.Context, c *http.Client, method, path, token string, body any, hdr ...string) answer {
	if c == nil && a.fast != nil {
		return a.fastDo(method, path, token, body, hdr...)
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{Err: err}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return answer{Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if c == nil {
		c = a.client()
	}
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return answer{Err: err, Took: time.Since(start)}
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	return answer{Status: res.StatusCode, Body: b, Err: err, Took: time.Since(start), RetryAfter: res.Header.Get("Retry-After")}
}

// token logs in through POST /api/v1/auth/token and returns the bearer token.
func (a *api) token(ctx context.Context, user, password string) (string, error) {
	var last answer
	for attempt := 0; attempt < 5; attempt++ {
		last = a.do(ctx, nil, "POST", "/api/v1/auth/token", "", map[string]string{"username": user, "password": password})
		if last.Status == 200 {
			if t, _ := last.json()["token"].(string); t != "" {
				return t, nil
			}
		}
		if last.Status == 401 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return "", fmt.Errorf("token for %s: %d %v %s", user, last.Status, last.Err, last.Body)
}

// waitReady polls /readyz until 200 or the timeout; it returns how long that took.
func (a *api) waitReady(ctx context.Context, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	c := &http.Client{Timeout: 2 * time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", a.base+"/readyz", nil)
		res, err := c.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == 200 {
				return time.Since(start), nil
			}
		}
		if time.Since(start) > timeout {
			return time.Since(start), fmt.Errorf("%s/readyz not ready after %s (last: %v)", a.base, timeout, err)
		}
		select {
		case <-ctx.Done():
			return time.Since(start), ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// counter reads one unlabelled counter from the portal's /metrics (0 if absent).
func (a *api) counter(ctx context.Context, name string) float64 {
	r := a.metricsPage(ctx)
	if r.Err != nil || r.Status != 200 {
		return 0
	}
	for _, l := range strings.Split(string(r.Body), "\n") {
		if v, ok := strings.CutPrefix(l, name+" "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f
		}
	}
	return 0
}

// metricsPage fetches /metrics from the metrics listener (it is not on the public one).
func (a *api) metricsPage(ctx context.Context) answer {
	req, err := http.NewRequestWithContext(ctx, "GET", a.metrics+"/metrics", nil)
	if err != nil {
		return answer{Err: err}
	}
	res, err := a.clients[0].Do(req)
	if err != nil {
		return answer{Err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return answer{Status: res.StatusCode, Body: body, Err: err}
}
