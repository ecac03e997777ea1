package migrations

import (
	"slices"
	"strings"

	"gorm.io/gorm"
)

// up0023 moves the comma-joined lists of 0015 into join tables: the industries a service is meant
// for, and the industries and counties a risk alert targets. A service or alert without rows is
// for everyone, as an empty list was. The old columns are dropped, so nothing can read them by
// mistake (SQLite has had DROP COLUMN since 3.35).
func up0023(tx *gorm.DB) error {
	if err := execAll(tx,
		`CREATE TABLE service_industries (
			service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
			industry VARCHAR(20) NOT NULL,
			PRIMARY KEY (service_id, industry))`,
		// Searching slots by industry starts from the industry.
		`CREATE INDEX idx_service_industries_industry ON service_industries (industry, service_id)`,
		`CREATE TABLE risk_alert_industries (
			alert_id BIGINT NOT NULL REFERENCES risk_alerts (id) ON DELETE CASCADE,
			industry VARCHAR(20) NOT NULL,
			PRIMARY KEY (alert_id, industry))`,
		`CREATE TABLE risk_alert_counties (
			alert_id BIGINT NOT NULL REFERENCES risk_alerts (id) ON DELETE CASCADE,
			county_code VARCHAR(6) NOT NULL,
			PRIMARY KEY (alert_id, county_code))`,
	); err != nil {
		return err
	}
	for _, m := range []struct{ from, column, to, key, value string }{
		{"services", "industries", "service_industries", "service_id", "industry"},
		{"risk_alerts", "industries", "risk_alert_industries", "alert_id", "industry"},
		{"risk_alerts", "counties", "risk_alert_counties", "alert_id", "county_code"},
	} {
		if err := m0023Split(tx, m.from, m.column, m.to, m.key, m.value); err != nil {
			return err
		}
	}
	return execAll(tx,
		"ALTER TABLE services DROP COLUMN industries",
		"ALTER TABLE risk_alerts DROP COLUMN industries",
		"ALTER TABLE risk_alerts DROP COLUMN counties")
}

// m0023Split writes one row of table to for each entry of each row's comma-joined column.
func m0023Split(tx *gorm.DB, from, column, to, key, value string) error {
	var rows []struct {
		ID   uint64
		List string
	}
	if err := tx.Table(from).Select("id, " + column + " AS list").Where(column + " <> ''").Order("id").Scan(&rows).Error; err != nil {
		return err
	}
	var out []map[string]any
	for _, r := range rows {
		var seen []string
		for _, v := range strings.Split(r.List, ",") {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(seen, v) {
				seen = append(seen, v)
				out = append(out, map[string]any{key: r.ID, value: v})
			}
		}
	}
	for len(out) > 0 {
		n := min(len(out), 500)
		if err := tx.Table(to).Create(out[:n]).Error; err != nil {
			return err
		}
		out = out[n:]
	}
	return nil
}
