package portal_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"qijian/internal/store"
	"qijian/internal/testkit"
)

// BenchmarkSubmitHTTP files complaints through a real listener with parallel clients and reports
// p50/p99 latency. Run on PostgreSQL with QIJIAN_TEST_DATABASE_URL set:
//
//	go test -run '^$' -bench SubmitHTTP -benchtime 3000x ./portal/
func BenchmarkSubmitHTTP(b *testing.B) {
	e := newEnvB(b)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go e.srv.App().Listener(ln)
	defer e.srv.App().Shutdown()
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer mln.Close()
	go e.srv.ServeMetrics(mln)
	base, metricsBase := "http://"+ln.Addr().String(), "http://"+mln.Addr().String()
	tok := tokenB(b, base, "ent-a")
	body, _ := json.Marshal(map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1"}, "description": "检查前未送达检查通知书", "body_id": 1})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", base+"/api/v1/complaints", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			start := time.Now()
			res, err := client.Do(req)
			d := time.Since(start)
			if err != nil || res.StatusCode != 201 {
				b.Errorf("submit: %v %v", err, res)
				return
			}
			io.Copy(io.Discard, res.Body) // read to the end, or the connection is not reused
			res.Body.Close()
			mu.Lock()
			lat = append(lat, d)
			mu.Unlock()
		}
	})
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "submits/s")
	}
	if batches, filings := metricValue(b, metricsBase, "qijian_filing_batches_total"), metricValue(b, metricsBase, "qijian_filings_written_total"); batches > 0 {
		b.ReportMetric(filings/batches, "filings/tx")
	}
}

// BenchmarkLiaisonQueue1M times the county liaison's queue (and its late filter) over a million
// orders. PostgreSQL only (the rows are made by generate_series):
//
//	QIJIAN_TEST_DATABASE_URL=… go test -run '^$' -bench LiaisonQueue1M -benchtime 20x ./portal/
func BenchmarkLiaisonQueue1M(b *testing.B) {
	if testkit.PostgresURL() == "" {
		b.Skip("set QIJIAN_TEST_DATABASE_URL: the 1M-order queue benchmark runs on PostgreSQL")
	}
	e := newEnvB(b)
	err := e.st.Gorm().Exec(`INSERT INTO work_orders (number, type, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, anonymous, next_due_at, created_at, updated_at)
		SELECT 'B' || g, 'conduct', 'bench', (ARRAY['submitted','accepted','dispatched','in_progress','replied','closed'])[1 + g % 6], g % 5, '12348',
		       (ARRAY['330302','330303','330304','330305','330382','330381','330324','330326','330327','330328','330329','330383'])[1 + g % 12],
		       1, 1, false, CASE WHEN g % 6 = 5 THEN NULL ELSE now() + ((g % 20000) - 5000) * interval '1 minute' END, now(), now()
		FROM generate_series(1, 1000000) g`).Error
	if err != nil {
		b.Fatal(err)
	}
	e.st.Gorm().Exec("ANALYZE work_orders")
	now := time.Now()
	b.Run("county-queue", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if l, err := e.st.Orders(b.Context(), store.OrderFilter{CountyCode: "330302", Now: now, Limit: 50}); err != nil || len(l) != 50 {
				b.Fatal(err, len(l))
			}
		}
	})
	b.Run("county-late", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := e.st.Orders(b.Context(), store.OrderFilter{CountyCode: "330302", Late: true, Now: now, Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("city-queue", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := e.st.Orders(b.Context(), store.OrderFilter{All: true, Now: now, Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func tokenB(b *testing.B, base, user string) string {
	body, _ := json.Marshal(map[string]string{"username": user, "password": demoPassword})
	res, err := http.Post(base+"/api/v1/auth/token", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	tok, _ := out["token"].(string)
	if tok == "" {
		b.Fatal(fmt.Sprint(out))
	}
	return tok
}

// metricValue reads one unlabelled counter from /metrics.
func metricValue(b *testing.B, base, name string) float64 {
	res, err := http.Get(base + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}
