package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"qijian/internal/account"
	"qijian/internal/grievance/lifecycle"
)

// sizes is how much data the load bench puts in.
type sizes struct {
	Enterprises int // every enterprise also gets one login
	Inspections int
	Orders      int
}

var (
	sizeQuick = sizes{Enterprises: 3000, Inspections: 100000, Orders: 10000}
	sizeFull  = sizes{Enterprises: 300000, Inspections: 10000000, Orders: 1000000}
)

// loaded is what the workload needs to know about the data.
type loaded struct {
	firstEnt, lastEnt uint // enterprise ids of the bulk rows
	entUser           func(ent uint) string
	liaisons          []string // county liaisons' logins
	password          string
}

// copyRows streams n generated rows into table through COPY, in parallel chunks.
func copyRows(ctx context.Context, pool *pgxpool.Pool, table string, cols []string, n, parallel int, gen func(r *rand.Rand, i int, row []any)) error {
	if n == 0 {
		return nil
	}
	if parallel < 1 {
		parallel = 1
	}
	chunk := (n + parallel - 1) / parallel
	var wg sync.WaitGroup
	errs := make(chan error, parallel)
	for p := 0; p < parallel; p++ {
		from, to := p*chunk, min((p+1)*chunk, n)
		if from >= to {
			break
		}
		wg.Add(1)
		go func(p, from, to int) {
			defer wg.Done()
			src := &genSource{r: rand.New(rand.NewPCG(uint64(p+1), uint64(len(table)))), i: from - 1, end: to, row: make([]any, len(cols)), gen: gen}
			_, err := pool.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
			if err != nil {
				errs <- fmt.Errorf("copy %s: %w", table, err)
			}
		}(p, from, to)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

type genSource struct {
	r      *rand.Rand
	i, end int
	row    []any
	gen    func(r *rand.Rand, i int, row []any)
}

func (s *genSource) Next() bool {
	s.i++
	return s.i < s.end
}

func (s *genSource) Values() ([]any, error) {
	s.gen(s.r, s.i, s.row)
	return s.row, nil
}

func (s *genSource) Err() error { return nil }

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// benchUSCC is a valid, unique credit code for the i-th bulk enterprise.
func benchUSCC(county string, i int) string {
	var b [7]byte
	for k := 6; k >= 0; k-- {
		b[k] = usccChars[i%31]
		i /= 31
	}
	first := "91" + county + "MB" + string(b[:])
	c, _ := account.USCCCheckChar(first)
	return first + string(c)
}

var (
	namePlaces = []string{"鹿城", "龙湾", "瓯海", "洞头", "乐清", "瑞安", "永嘉", "平阳", "苍南", "文成", "泰顺", "龙港", "温州", "瓯江", "雁荡", "楠溪"}
	nameWords  = []string{"新锐", "恒泰", "明辉", "海润", "云帆", "智造", "精工", "华信", "宏达", "永盛", "东方", "金鹰", "天力", "博远", "正泰", "瑞丰", "嘉禾", "聚力", "星河", "盛世"}
	nameTrades = map[string]string{"new_energy": "新能源科技", "smart_mfg": "智能装备", "footwear": "鞋业", "electrical": "电气", "apparel": "服饰", "auto_parts": "汽摩配件",
		"pumps_valves": "泵阀", "digital": "数字科技", "food": "食品", "chemicals": "化工", "other": "贸易"}
	surnames = []string{"陈", "林", "黄", "王", "张", "李", "周", "吴", "徐", "郑", "刘", "杨", "赵", "潘", "叶"}
	given    = []string{"晓东", "海燕", "伟", "丽", "杰", "敏", "芳", "强", "建国", "秀英", "志明", "静", "磊", "婷", "涛"}
	// Counties weighted roughly by their number of enterprises.
	countyWeights = []int{16, 10, 11, 2, 18, 16, 7, 6, 5, 1, 1, 7}
	descriptions  = []string{"检查人员未出示行政执法证件，也未告知检查依据。", "同一事项一个月内被不同部门重复检查三次。", "检查前未送达检查通知书，直接进入生产车间。",
		"检查人员要求提供与检查事项无关的经营数据。", "执法人员未出示行政行为码，无法核验身份。", "检查持续半天，影响正常生产经营。", "咨询年度检查计划的公开情况。"}
)

func weightedCounty(r *rand.Rand) string {
	total := 0
	for _, w := range countyWeights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range countyWeights {
		if x < w {
			return account.CountyCodes[i]
		}
		x -= w
	}
	return account.CountyCodes[0]
}

// bulkLoad adds bodies, inspectors, items, enterprises with logins, liaisons, inspections and
// work orders (with their deadlines and timelines) on top of the demo data.
func bulkLoad(ctx context.Context, dbURL string, sz sizes, password string, out io.Writer) (*loaded, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	hash, err := account.HashPassword(password)
	if err != nil {
		return nil, err
	}
	maxID := func(table string) (int64, error) {
		var n int64
		err := pool.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&n)
		return n, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	step := func(what string, n int, f func() error) error {
		t := time.Now()
		if err := f(); err != nil {
			return err
		}
		d := time.Since(t)
		fmt.Fprintf(out, "  %-34s %10d rows  %6.1fs  %8.0f rows/s\n", what, n, d.Seconds(), float64(n)/max(d.Seconds(), 1e-3))
		return nil
	}

	// Bodies: four per county plus more municipal ones, each with inspectors and a published item list.
	bodyBase, err := maxID("bodies")
	if err != nil {
		return nil, err
	}
	type body struct {
		id     int64
		county string
	}
	var bodies []body
	var bodyRows [][]any
	announced := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	county := map[string]string{}
	{
		rows, err := pool.Query(ctx, "SELECT code, name_zh FROM counties")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c, n string
			if err := rows.Scan(&c, &n); err != nil {
				return nil, err
			}
			county[c] = n
		}
		rows.Close()
	}
	taken := map[string]bool{}
	{
		rows, err := pool.Query(ctx, "SELECT name_zh FROM bodies")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return nil, err
			}
			taken[n] = true
		}
		rows.Close()
	}
	add := func(zh, en, short, c string) {
		if taken[zh] {
			return // a demo body already has this name
		}
		id := bodyBase + int64(len(bodies)) + 1
		bodies = append(bodies, body{id, c})
		bodyRows = append(bodyRows, []any{id, zh, en, short, c, true, announced, now, now})
	}
	for _, m := range []string{"温州市交通运输局", "温州市卫生健康委员会", "温州市消防救援支队", "温州市人力资源和社会保障局", "温州市自然资源和规划局", "温州市税务局稽查局"} {
		add(m, "Wenzhou municipal bureau "+m, strings.TrimPrefix(m, "温州市"), "")
	}
	for _, c := range account.CountyCodes {
		for _, kind := range []string{"市场监督管理局", "综合行政执法局", "生态环境分局", "应急管理局"} {
			n := county[c] + kind
			add(n, "County bureau "+c+" "+kind, n, c)
		}
	}
	if err := step("bodies", len(bodyRows), func() error {
		_, err := pool.CopyFrom(ctx, pgx.Identifier{"bodies"}, []string{"id", "name_zh", "name_en", "short", "county_code", "qualified", "announced_on", "created_at", "updated_at"}, pgx.CopyFromRows(bodyRows))
		return err
	}); err != nil {
		return nil, err
	}
	// Demo bodies join the pool inspections draw from.
	{
		rows, err := pool.Query(ctx, "SELECT id, county_code FROM bodies WHERE id <= $1", bodyBase)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var b body
			if err := rows.Scan(&b.id, &b.county); err != nil {
				return nil, err
			}
			bodies = append(bodies, b)
		}
		rows.Close()
	}
	byCounty := map[string][]int64{}
	var municipal []int64
	for _, b := range bodies {
		if b.county == "" {
			municipal = append(municipal, b.id)
		} else {
			byCounty[b.county] = append(byCounty[b.county], b.id)
		}
	}
	const perBodyInspectors, perBodyItems = 8, 6
	inspBase, err := maxID("inspectors")
	if err != nil {
		return nil, err
	}
	itemBase, err := maxID("inspection_items")
	if err != nil {
		return nil, err
	}
	// Bulk bodies' inspectors and items have predictable ids: body k (0-based among bulk bodies)
	// owns inspectors inspBase+k*8+1.. and items itemBase+k*6+1..
	bulkBodies := bodies[:len(bodyRows)]
	bodyIndex := map[int64]int{}
	for k, b := range bulkBodies {
		bodyIndex[b.id] = k
	}
	var inspRows, itemRows [][]any
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	for k, b := range bulkBodies {
		for j := 0; j < perBodyInspectors; j++ {
			staff := "on_post"
			if j == perBodyInspectors-1 {
				staff = "auxiliary"
			}
			inspRows = append(inspRows, []any{inspBase + int64(k*perBodyInspectors+j) + 1, b.id, surnames[(k+j)%len(surnames)] + given[(k*3+j)%len(given)],
				fmt.Sprintf("浙A%08d", b.id*100+int64(j)), from, to, true, staff})
		}
		for j := 0; j < perBodyItems; j++ {
			itemRows = append(itemRows, []any{itemBase + int64(k*perBodyItems+j) + 1, b.id, fmt.Sprintf("随机抽查事项 %d-%d", b.id, j+1), "《浙江省行政检查规定》", "现场检查", "符合相关规定", announced})
		}
	}
	if err := step("inspectors + items", len(inspRows)+len(itemRows), func() error {
		if _, err := pool.CopyFrom(ctx, pgx.Identifier{"inspectors"}, []string{"id", "body_id", "name", "credential_no", "valid_from", "valid_to", "active", "staff"}, pgx.CopyFromRows(inspRows)); err != nil {
			return err
		}
		_, err := pool.CopyFrom(ctx, pgx.Identifier{"inspection_items"}, []string{"id", "body_id", "name", "legal_basis", "method", "standard", "published_on"}, pgx.CopyFromRows(itemRows))
		return err
	}); err != nil {
		return nil, err
	}

	// Enterprises, each with one login.
	entBase, err := maxID("enterprises")
	if err != nil {
		return nil, err
	}
	entCounty := make([]string, sz.Enterprises)
	r0 := rand.New(rand.NewPCG(7, 7))
	for i := range entCounty {
		entCounty[i] = weightedCounty(r0)
	}
	industries := account.Industries
	if err := step("enterprises", sz.Enterprises, func() error {
		return copyRows(ctx, pool, "enterprises", []string{"id", "uscc", "name", "county_code", "industry", "contact_name", "mobile", "credit_grade", "created_at", "updated_at"}, sz.Enterprises, 2,
			func(r *rand.Rand, i int, row []any) {
				ind := industries[i%len(industries)].Code
				row[0] = entBase + int64(i) + 1
				row[1] = benchUSCC(entCounty[i], i)
				row[2] = fmt.Sprintf("温州%s%s%s有限公司%d", namePlaces[r.IntN(len(namePlaces))], nameWords[r.IntN(len(nameWords))], nameTrades[ind], i)
				row[3] = entCounty[i]
				row[4] = ind
				row[5] = surnames[r.IntN(len(surnames))] + given[r.IntN(len(given))]
				row[6] = fmt.Sprintf("13%09d", i)
				row[7] = []string{"A", "B", "B", "C"}[r.IntN(4)]
				row[8], row[9] = now, now
			})
	}); err != nil {
		return nil, err
	}
	userBase, err := maxID("users")
	if err != nil {
		return nil, err
	}
	if err := step("enterprise logins", sz.Enterprises, func() error {
		// Bulk logins were made by staff: they act for their enterprise (enterprise_verified).
		return copyRows(ctx, pool, "users", []string{"id", "username", "password_hash", "role", "display_name", "enterprise_id", "created_at", "updated_at", "enterprise_verified"}, sz.Enterprises, 2,
			func(r *rand.Rand, i int, row []any) {
				row[0] = userBase + int64(i) + 1
				row[1] = fmt.Sprintf("bench-ent-%d", entBase+int64(i)+1)
				row[2] = hash
				row[3] = "enterprise"
				row[4] = surnames[i%len(surnames)] + given[(i/7)%len(given)]
				row[5] = entBase + int64(i) + 1
				row[6], row[7] = now, now
				row[8] = true
			})
	}); err != nil {
		return nil, err
	}
	// One liaison per county and one officer per bulk body.
	var staffRows [][]any
	var liaisons []string
	next := userBase + int64(sz.Enterprises)
	for _, c := range account.CountyCodes {
		next++
		name := "bench-liaison-" + c
		liaisons = append(liaisons, name)
		staffRows = append(staffRows, []any{next, name, hash, "liaison", county[c] + "司法局 监督联络员", nil, c, now, now})
	}
	officerOf := map[int64]int64{}
	for _, b := range bulkBodies {
		next++
		officerOf[b.id] = next
		staffRows = append(staffRows, []any{next, fmt.Sprintf("bench-officer-%d", b.id), hash, "officer", "执法人员", b.id, "", now, now})
	}
	if err := step("liaisons + officers", len(staffRows), func() error {
		_, err := pool.CopyFrom(ctx, pgx.Identifier{"users"}, []string{"id", "username", "password_hash", "role", "display_name", "body_id", "county_code", "created_at", "updated_at"}, pgx.CopyFromRows(staffRows))
		return err
	}); err != nil {
		return nil, err
	}

	// The big tables are loaded without their secondary indexes, which are then built again
	// from the same definitions (a sort per index instead of ten million random inserts).
	var indexDefs []string
	for _, t := range []string{"inspections", "work_orders", "order_deadlines", "order_events", "outbox"} {
		defs, err := dropIndexes(ctx, pool, t)
		if err != nil {
			return nil, err
		}
		indexDefs = append(indexDefs, defs...)
	}

	// Inspections: about 33 per enterprise over 2024–2026, by the enterprise's county bodies
	// mostly, municipal ones sometimes, a few joint.
	inspIDBase, err := maxID("inspections")
	if err != nil {
		return nil, err
	}
	kinds := []string{"planned", "planned", "planned", "special", "triggered", "requested", "joint"}
	span := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC).Sub(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	pickBody := func(r *rand.Rand, c string) int64 {
		if r.IntN(5) == 0 || len(byCounty[c]) == 0 {
			return municipal[r.IntN(len(municipal))]
		}
		return byCounty[c][r.IntN(len(byCounty[c]))]
	}
	idsOf := func(base int64, k, per int, r *rand.Rand, n int) string {
		var parts []string
		first := r.IntN(per)
		for j := 0; j < n; j++ {
			parts = append(parts, fmt.Sprint(base+int64(k*per+(first+j)%per)+1))
		}
		return strings.Join(parts, ",")
	}
	// The lists go to their join tables (migration 0022): rows are copied with them as text into
	// an unlogged staging table, then split into inspections and the three join tables in SQL.
	if _, err := pool.Exec(ctx, `CREATE UNLOGGED TABLE bench_inspections (LIKE inspections INCLUDING DEFAULTS);
		ALTER TABLE bench_inspections ADD COLUMN body_ids text, ADD COLUMN item_ids text, ADD COLUMN inspector_ids text`); err != nil {
		return nil, err
	}
	if err := step("inspections", sz.Inspections, func() error {
		return copyRows(ctx, pool, "bench_inspections", []string{"id", "external_id", "kind", "status", "enterprise_id", "body_ids", "item_ids", "inspector_ids", "scheduled_at", "place",
			"county_code", "notice_delivered_at", "notice_withheld", "code", "created_by", "created_at", "updated_at", "notice_ack_at"}, sz.Inspections, 2,
			func(r *rand.Rand, i int, row []any) {
				e := r.IntN(sz.Enterprises)
				c := entCounty[e]
				b := pickBody(r, c)
				kind := kinds[r.IntN(len(kinds))]
				bodyIDs := fmt.Sprint(b)
				k := bodyIndex[b]
				if _, ok := bodyIndex[b]; !ok {
					k = 0
				}
				if kind == "joint" {
					b2 := pickBody(r, c)
					if b2 != b {
						bodyIDs += "," + fmt.Sprint(b2)
					}
				}
				at := start.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Minute)
				status := "done"
				switch {
				case at.After(now.Add(14 * 24 * time.Hour)):
					status = "scheduled"
				case at.After(now):
					status = "notified"
				case r.IntN(20) == 0:
					status = "cancelled"
				}
				var ext any
				if r.IntN(2) == 0 {
					ext = fmt.Sprintf("zj-xzjc-%d", inspIDBase+int64(i)+1)
				}
				row[0] = inspIDBase + int64(i) + 1
				row[1] = ext
				row[2] = kind
				row[3] = status
				row[4] = entBase + int64(e) + 1
				row[5] = bodyIDs
				row[6] = idsOf(itemBase, k, perBodyItems, r, 1+r.IntN(2))
				row[7] = idsOf(inspBase, k, perBodyInspectors, r, 2)
				row[8] = at
				row[9] = "企业生产经营场所"
				row[10] = c
				var notice, ack any
				if status != "scheduled" && r.IntN(10) != 0 {
					n := at.Add(-time.Duration(3+r.IntN(8)) * 24 * time.Hour)
					notice = n
					if r.IntN(3) != 0 {
						ack = n.Add(time.Duration(r.IntN(48)) * time.Hour)
					}
				}
				row[11] = notice
				row[12] = false
				row[13] = fmt.Sprintf("WZ%010d", inspIDBase+int64(i)+1)
				row[14] = officerOf[b]
				if row[14] == int64(0) {
					row[14] = int64(1)
				}
				row[15] = at.Add(-20 * 24 * time.Hour)
				row[16] = at.Add(-20 * 24 * time.Hour)
				row[17] = ack
			})
	}); err != nil {
		return nil, err
	}
	if err := step("inspection lists", sz.Inspections, func() error {
		cols := "id, external_id, kind, status, enterprise_id, scheduled_at, place, county_code, notice_delivered_at, notice_withheld, code, created_by, created_at, updated_at, notice_ack_at"
		for _, q := range []string{
			"INSERT INTO inspections (" + cols + ") SELECT " + cols + " FROM bench_inspections",
			`INSERT INTO inspection_bodies (inspection_id, body_id, seq)
			 SELECT id, x::bigint, (n - 1)::int FROM bench_inspections, unnest(string_to_array(body_ids, ',')) WITH ORDINALITY AS u(x, n)`,
			`INSERT INTO inspection_covered_items (inspection_id, item_id, seq)
			 SELECT DISTINCT ON (id, x) id, x::bigint, (n - 1)::int FROM bench_inspections, unnest(string_to_array(item_ids, ',')) WITH ORDINALITY AS u(x, n) ORDER BY id, x, n`,
			`INSERT INTO inspection_inspectors (inspection_id, inspector_id, seq)
			 SELECT DISTINCT ON (id, x) id, x::bigint, (n - 1)::int FROM bench_inspections, unnest(string_to_array(inspector_ids, ',')) WITH ORDINALITY AS u(x, n) ORDER BY id, x, n`,
			"DROP TABLE bench_inspections",
		} {
			if _, err := pool.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}

	// Work orders over the last two years, most closed; open ones have their deadlines, and
	// every order its timeline.
	woBase, err := maxID("work_orders")
	if err != nil {
		return nil, err
	}
	type woShape struct {
		typ, status string
		level       int
		created     time.Time
	}
	shape := func(i int) woShape {
		r := rand.New(rand.NewPCG(uint64(i), 99))
		types := lifecycle.Types
		t := string(types[r.IntN(len(types))])
		statuses := []string{"closed", "closed", "closed", "closed", "closed", "closed", "submitted", "accepted", "dispatched", "dispatched", "in_progress", "in_progress", "replied", "follow_up"}
		s := statuses[r.IntN(len(statuses))]
		lvl := 0
		if r.IntN(10) == 0 {
			lvl = 1 + r.IntN(3)
		}
		created := now.Add(-time.Duration(r.Int64N(int64(730 * 24 * time.Hour)))).Truncate(time.Second)
		if s != "closed" {
			// Open orders are recent: the last 60 days.
			created = now.Add(-time.Duration(r.Int64N(int64(60 * 24 * time.Hour)))).Truncate(time.Second)
		}
		return woShape{t, s, lvl, created}
	}
	channelOf := func(t string) string {
		if t == "appeal" || t == "consultation" {
			return "12345"
		}
		return "12348"
	}
	if err := step("work orders", sz.Orders, func() error {
		return copyRows(ctx, pool, "work_orders", []string{"id", "number", "type", "description", "status", "level", "channel", "unit_body_id", "county_code",
			"enterprise_id", "filed_by_user_id", "anonymous", "inspection_code", "body_id", "rating", "reopen_count", "next_due_at", "closed_at", "created_at", "updated_at"}, sz.Orders, 2,
			func(r *rand.Rand, i int, row []any) {
				sh := shape(i)
				e := r.IntN(sz.Enterprises)
				c := entCounty[e]
				id := woBase + int64(i) + 1
				var unit, due, closed any
				if sh.status != "submitted" && sh.status != "accepted" && len(byCounty[c]) > 0 {
					unit = byCounty[c][r.IntN(len(byCounty[c]))]
				}
				if sh.status == "closed" {
					closed = sh.created.Add(time.Duration(2+r.IntN(15)) * 24 * time.Hour)
				} else {
					// Due between 20 days ago (late) and 20 days ahead.
					due = now.Add(time.Duration(r.Int64N(int64(40*24*time.Hour))) - 20*24*time.Hour).Truncate(time.Second)
				}
				var body any
				if r.IntN(2) == 0 {
					body = pickBody(r, c)
				}
				rating := 0
				if sh.status == "closed" {
					rating = 3 + r.IntN(3)
				}
				row[0] = id
				row[1] = fmt.Sprintf("QJ%d%07d", sh.created.Year(), id)
				row[2] = sh.typ
				row[3] = descriptions[r.IntN(len(descriptions))]
				row[4] = sh.status
				row[5] = sh.level
				row[6] = channelOf(sh.typ)
				row[7] = unit
				row[8] = c
				row[9] = entBase + int64(e) + 1
				row[10] = userBase + int64(e) + 1
				row[11] = r.IntN(5) == 0
				row[12] = ""
				row[13] = body
				row[14] = rating
				row[15] = 0
				row[16] = due
				row[17] = closed
				row[18] = sh.created
				row[19] = sh.created.Add(24 * time.Hour)
			})
	}); err != nil {
		return nil, err
	}
	// An illegal inspection names one reason (a rule id, never "other"), as order_reasons holds it.
	if err := step("order reasons (illegal inspections)", 0, func() error {
		rules := make([]string, len(lifecycle.Reasons)-1)
		for i, r := range lifecycle.Reasons[:len(rules)] {
			rules[i] = "'" + r + "'"
		}
		_, err := pool.Exec(ctx, fmt.Sprintf(`INSERT INTO order_reasons (order_id, reason)
			SELECT id, (ARRAY[%s])[1 + id %% %d] FROM work_orders WHERE type = 'illegal_inspection' AND id > $1`, strings.Join(rules, ","), len(rules)), woBase)
		return err
	}); err != nil {
		return nil, err
	}
	dlBase, err := maxID("order_deadlines")
	if err != nil {
		return nil, err
	}
	if err := step("order deadlines (2 per order)", 2*sz.Orders, func() error {
		return copyRows(ctx, pool, "order_deadlines", []string{"id", "order_id", "stage", "round", "started_at", "due_at", "remind_at", "reminded_at", "breached_at", "met_at"}, 2*sz.Orders, 2,
			func(r *rand.Rand, i int, row []any) {
				o := i / 2
				sh := shape(o)
				stage, allow := "accept", 24*time.Hour
				if i%2 == 1 {
					stage, allow = "resolve", 14*24*time.Hour
				}
				due := sh.created.Add(allow)
				var met, breached, reminded any
				done := sh.status == "closed" || (stage == "accept" && sh.status != "submitted")
				switch {
				case done:
					met = sh.created.Add(allow / 2)
				case due.Before(now):
					breached, reminded = due, due.Add(-allow/4)
				case due.Add(-allow / 4).Before(now):
					reminded = due.Add(-allow / 4)
				}
				row[0] = dlBase + int64(i) + 1
				row[1] = woBase + int64(o) + 1
				row[2] = stage
				row[3] = 1
				row[4] = sh.created
				row[5] = due
				row[6] = due.Add(-allow / 4)
				row[7] = reminded
				row[8] = breached
				row[9] = met
			})
	}); err != nil {
		return nil, err
	}
	// Each deadline's two timers, as the outbox holds them: those already due were relayed and
	// done when they fell due; the rest wait. (Without them the outbox starts empty, and its
	// statistics say so while the run fills it.) The portal arms a breach only when its reminder
	// runs; the few deadlines of the data whose reminder is still ahead get theirs here already.
	obBase, err := maxID("outbox")
	if err != nil {
		return nil, err
	}
	if err := step("deadline timers (2 per deadline)", 4*sz.Orders, func() error {
		return copyRows(ctx, pool, "outbox", []string{"id", "task_type", "payload", "created_at", "run_at", "relayed_at", "done_at", "attempts", "last_error"}, 4*sz.Orders, 2,
			func(r *rand.Rand, i int, row []any) {
				d := i / 2
				sh := shape(d / 2)
				allow := 24 * time.Hour
				if d%2 == 1 {
					allow = 14 * 24 * time.Hour
				}
				kind, run := "breach", sh.created.Add(allow)
				if i%2 == 0 {
					kind, run = "remind", run.Add(-allow/4)
				}
				var relayed, done any
				attempts := 0
				if run.Before(now) {
					relayed, done, attempts = run, run, 1
				}
				row[0] = obBase + int64(i) + 1
				row[1] = "grievance:deadline"
				row[2] = fmt.Sprintf(`{"deadline_id":%d,"kind":"%s"}`, dlBase+int64(d)+1, kind)
				row[3] = sh.created
				row[4] = run
				row[5] = relayed
				row[6] = done
				row[7] = attempts
				row[8] = ""
			})
	}); err != nil {
		return nil, err
	}
	evBase, err := maxID("order_events")
	if err != nil {
		return nil, err
	}
	if err := step("order events (2 per order)", 2*sz.Orders, func() error {
		return copyRows(ctx, pool, "order_events", []string{"id", "order_id", "at", "actor_id", "actor_role", "action", "from_status", "to_status", "level", "note"}, 2*sz.Orders, 2,
			func(r *rand.Rand, i int, row []any) {
				o := i / 2
				sh := shape(o)
				row[0] = evBase + int64(i) + 1
				row[1] = woBase + int64(o) + 1
				if i%2 == 0 {
					row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9] = sh.created, int64(0), "enterprise", "submit", "", "submitted", 0, "渠道 "+channelOf(sh.typ)
				} else {
					row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9] = sh.created.Add(time.Hour), int64(0), "liaison", "accept", "submitted", sh.status, sh.level, ""
				}
			})
	}); err != nil {
		return nil, err
	}
	if err := step(fmt.Sprintf("rebuild %d indexes", len(indexDefs)), 0, func() error { return runParallel(ctx, pool, indexDefs, 2) }); err != nil {
		return nil, err
	}
	if err := step("sequences + ANALYZE", 0, func() error {
		for _, t := range []string{"bodies", "inspectors", "inspection_items", "enterprises", "users", "inspections", "work_orders", "order_deadlines", "order_events", "outbox"} {
			if _, err := pool.Exec(ctx, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t)); err != nil {
				return fmt.Errorf("setval %s: %w", t, err)
			}
		}
		_, err := pool.Exec(ctx, "ANALYZE")
		return err
	}); err != nil {
		return nil, err
	}
	return &loaded{firstEnt: uint(entBase) + 1, lastEnt: uint(entBase) + uint(sz.Enterprises),
		entUser: func(ent uint) string { return fmt.Sprintf("bench-ent-%d", ent) }, liaisons: liaisons, password: password}, nil
}

// dropIndexes drops table's indexes that back no constraint and returns their definitions.
func dropIndexes(ctx context.Context, pool *pgxpool.Pool, table string) ([]string, error) {
	rows, err := pool.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = $1
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`, table)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var n, d string
		if err := rows.Scan(&n, &d); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, n), append(defs, d)
	}
	rows.Close()
	for _, n := range names {
		if _, err := pool.Exec(ctx, "DROP INDEX "+pgx.Identifier{n}.Sanitize()); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", n, err)
		}
	}
	return defs, nil
}

// runParallel runs statements on n connections at a time.
func runParallel(ctx context.Context, pool *pgxpool.Pool, stmts []string, n int) error {
	work := make(chan string)
	errs := make(chan error, len(stmts))
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range work {
				if _, err := pool.Exec(ctx, q); err != nil {
					errs <- fmt.Errorf("%s: %w", q, err)
				}
			}
		}()
	}
	for _, q := range stmts {
		work <- q
	}
	close(work)
	wg.Wait()
	close(errs)
	return <-errs
}
