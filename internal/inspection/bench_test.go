package inspection_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"qijian/internal/testkit"
)

// BenchmarkHistory1M loads a synthetic history of 1,000,000 inspections of 100,000 enterprises
// (ent-b among them, with 10 a year across 2025–2026), then times registering one inspection
// with every automatic check (SUBJ-1 … AREA-1, FREQ counts over the enterprise's history) and
// opening an enterprise's history. PostgreSQL only (rows come from generate_series):
//
//	QIJIAN_TEST_DATABASE_URL=… go test -run '^$' -bench History1M -benchtime 200x ./internal/inspections/
func BenchmarkHistory1M(b *testing.B) {
	if testkit.PostgresURL() == "" {
		b.Skip("set QIJIAN_TEST_DATABASE_URL: the 1M-inspection benchmark runs on PostgreSQL")
	}
	ctx := context.Background()
	f := testkit.NewFixture(b, time.Date(2026, 4, 1, 9, 0, 0, 0, sh))
	st, svc := f.St, f.App.Inspections
	start := time.Now()
	for _, q := range []string{
		`INSERT INTO enterprises (uscc, name, county_code, industry, contact_name, mobile, credit_grade, created_at, updated_at)
		 SELECT 'B' || lpad(g::text, 17, '0'), '基准企业' || g, (ARRAY['330302','330303','330304','330305','330381','330382'])[1 + g % 6],
		        'apparel', '', '', 'B', now(), now()
		 FROM generate_series(1, 100000) g`,
		`INSERT INTO inspections (kind, status, enterprise_id, scheduled_at, place, county_code, cross_area_approval,
		        notice_withheld, code, created_by, created_at, updated_at)
		 SELECT (ARRAY['planned','triggered','special','requested'])[1 + g % 4], 'done',
		        CASE WHEN g % 100000 = 0 THEN 2 ELSE (SELECT max(id) FROM enterprises) - (g % 100000) END,
		        timestamptz '2025-01-01' + (g % 700) * interval '1 day', '', '330302', '',
		        false, 'BENCH' || g, 1, now(), now()
		 FROM generate_series(1, 1000000) g`,
		// Each inspection by one of bodies 1–5 (by its number), with item 1 and inspector 1.
		`INSERT INTO inspection_bodies (inspection_id, body_id, seq)
		 SELECT id, 1 + substring(code from 6)::int % 5, 0 FROM inspections WHERE code LIKE 'BENCH%'`,
		`INSERT INTO inspection_covered_items (inspection_id, item_id, seq) SELECT id, 1, 0 FROM inspections WHERE code LIKE 'BENCH%'`,
		`INSERT INTO inspection_inspectors (inspection_id, inspector_id, seq) SELECT id, 1, 0 FROM inspections WHERE code LIKE 'BENCH%'`,
		"ANALYZE enterprises",
		"ANALYZE inspections",
		"ANALYZE inspection_bodies",
	} {
		if err := st.Gorm().Exec(q).Error; err != nil {
			b.Fatal(err)
		}
	}
	var n int64
	st.Gorm().Table("inspections").Count(&n)
	b.Logf("loaded %d inspections in %s", n, time.Since(start).Round(time.Millisecond))

	officer := f.Actor("officer-scj")
	b.Run("register-with-checks", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			at := time.Date(2026, 5, 4, 10, 0, 0, 0, sh).Add(time.Duration(i) * time.Minute)
			r := lawful(fmt.Sprintf("bench-%d-%d", b.N, i), at)
			if _, _, err := svc.Register(ctx, officer, r); err != nil {
				b.Fatal(err)
			}
		}
	})
	ent := f.Actor("ent-b")
	b.Run("enterprise-history", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			// What the history page reads: the list with its references, one query per table.
			l, err := svc.List(ctx, ent)
			if err != nil || len(l.Rows) == 0 {
				b.Fatal(err)
			}
		}
	})
}
