package migrations_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"qijian/internal/testkit"
	"qijian/migrations"
)

// 0023 moves the comma-joined industries of services and the industries and counties of risk
// alerts into join tables, each entry once, and drops the old columns; empty lists stay "all".
func TestTargetListsMoveToJoinTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.RawStore(t)
	db := st.Gorm()
	step := slices.IndexFunc(migrations.All, func(m migrations.Migration) bool { return m.ID == "0023_service_alert_targets" })
	if step < 0 {
		t.Fatal("0023 is not in the history")
	}
	if _, err := migrations.ApplyUpTo(ctx, db, step); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, sv := range []map[string]any{
		{"id": 1, "code": "smart", "industries": "smart_mfg,digital"},
		{"id": 2, "code": "all", "industries": ""},
		{"id": 3, "code": "food", "industries": " food ,food,"},
	} {
		sv["kind"], sv["name_zh"], sv["name_en"], sv["minutes"], sv["mode"], sv["provider_id"], sv["active"], sv["created_at"], sv["updated_at"] =
			"menu", "服务", "Service", 60, "both", 7, true, now, now
		if err := db.Table("services").Create(sv).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, al := range []map[string]any{
		{"id": 1, "industries": "footwear,apparel", "counties": "330302"},
		{"id": 2, "industries": "", "counties": ""},
		{"id": 3, "industries": "", "counties": "330302,330304"},
	} {
		al["author_id"], al["title"], al["body"], al["reached"], al["created_at"] = 1, "风险提示", "正文", 0, now
		if err := db.Table("risk_alerts").Create(al).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := migrations.Apply(ctx, db); err != nil {
		t.Fatal(err)
	}
	rows := func(table, key, value string) map[uint64][]string {
		var got []struct {
			Key   uint64
			Value string
		}
		if err := db.Table(table).Select(key + " AS key, " + value + " AS value").Order(key + ", " + value).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		out := map[uint64][]string{}
		for _, r := range got {
			out[r.Key] = append(out[r.Key], r.Value)
		}
		return out
	}
	for _, c := range []struct {
		table, key, value string
		want              map[uint64][]string
	}{
		{"service_industries", "service_id", "industry", map[uint64][]string{1: {"digital", "smart_mfg"}, 3: {"food"}}},
		{"risk_alert_industries", "alert_id", "industry", map[uint64][]string{1: {"apparel", "footwear"}}},
		{"risk_alert_counties", "alert_id", "county_code", map[uint64][]string{1: {"330302"}, 3: {"330302", "330304"}}},
	} {
		got := rows(c.table, c.key, c.value)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.table, got, c.want)
		}
		for k, v := range c.want {
			if !slices.Equal(got[k], v) {
				t.Errorf("%s[%d]: %v, want %v", c.table, k, got[k], v)
			}
		}
	}
	for _, c := range [][2]string{{"services", "industries"}, {"risk_alerts", "industries"}, {"risk_alerts", "counties"}} {
		if db.Migrator().HasColumn(c[0], c[1]) {
			t.Errorf("%s.%s is still there", c[0], c[1])
		}
	}
	// The store reads the moved lists.
	sv, err := st.Service(ctx, 1)
	if err != nil || !slices.Equal(sv.Industries, []string{"digital", "smart_mfg"}) {
		t.Errorf("service 1: %+v %v", sv, err)
	}
	al, err := st.Alert(ctx, 3)
	if err != nil || len(al.Industries) != 0 || !slices.Equal(al.Counties, []string{"330302", "330304"}) {
		t.Errorf("alert 3: %+v %v", al, err)
	}
	for _, c := range []struct {
		industry, county string
		want             []uint64
	}{{"footwear", "330302", []uint64{3, 2, 1}}, {"footwear", "330381", []uint64{2}}, {"food", "330304", []uint64{3, 2}}} {
		list, err := st.AlertsTargeting(ctx, c.industry, c.county, 10)
		var ids []uint64
		for _, a := range list {
			ids = append(ids, a.ID)
		}
		if err != nil || !slices.Equal(ids, c.want) {
			t.Errorf("alerts for %s in %s: %v %v, want %v", c.industry, c.county, ids, err, c.want)
		}
	}
}
