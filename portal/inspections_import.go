package portal

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/inspection"
	"qijian/internal/store"
)

// importColumns is the CSV header the import expects, in this order.
var importColumns = []string{"external_id", "kind", "enterprise_uscc", "body_ids", "item_ids", "inspector_ids", "scheduled_at", "place", "notice_delivered_at"}

const maxImportRows = 5000

type importRow struct {
	Row    int               `json:"row"`
	OK     bool              `json:"ok"`
	ID     uint64            `json:"id,omitempty"`
	Code   string            `json:"code,omitempty"`
	New    bool              `json:"new,omitempty"`
	Errors map[string]string `json:"errors,omitempty"`
}

func splitIDs(s string) ([]uint, bool) {
	var out []uint
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' || r == ' ' }) {
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil || n == 0 {
			return nil, false
		}
		out = append(out, uint(n))
	}
	return out, true
}

func parseWhen(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	return t, err == nil
}

// apiImportInspections takes a CSV of inspections (UTF-8, header row). Each row is checked and
// registered on its own: a bad row imports nothing and is reported with its fields; good rows
// land. Rows with an external id already known are reported, not duplicated.
func (s *Server) apiImportInspections(c *fiber.Ctx) error {
	v := viewerOf(c)
	if v.User.Role != account.RoleOfficer && v.User.Role != account.RoleAdmin {
		return errForbidden
	}
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), "text/csv") {
		return &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.invalid"}
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(c.Body()), "\ufeff")))
	r.FieldsPerRecord = len(importColumns)
	head, err := r.Read()
	if err != nil || strings.Join(head, ",") != strings.Join(importColumns, ",") {
		return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: map[string]string{"header": "err.invalid"}}
	}
	var report []importRow
	imported := 0
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if len(report) >= maxImportRows {
			return &errs.Error{Kind: errs.TooLarge, Code: "too_large", Key: "err.max"}
		}
		row := importRow{Row: line, Errors: map[string]string{}}
		if err != nil {
			row.Errors["row"] = "err.invalid"
			report = append(report, row)
			continue
		}
		reg, fields := s.importRegistration(c, rec)
		if err := s.check(&reg); err != nil {
			var p *errs.Error
			if !errors.As(err, &p) {
				return err
			}
			for k, key := range p.Fields {
				if k == "enterprise_id" {
					k = "enterprise_uscc" // the CSV names the enterprise by its credit code
				}
				if _, seen := fields[k]; !seen {
					fields[k] = key
				}
			}
		}
		if len(fields) == 0 {
			in, created, err := s.svc.Inspections.Register(c.UserContext(), v.Actor, reg)
			var fe *inspection.FieldError
			switch {
			case errors.As(err, &fe):
				fields = map[string]string{fe.Field: fe.Key}
			case errors.Is(err, inspection.ErrForbidden):
				fields = map[string]string{"body_ids": "err.forbidden"}
			case err != nil:
				return err
			default:
				row.OK, row.ID, row.Code, row.New = true, in.ID, in.Code, created
				if created {
					imported++
				}
			}
		}
		for k, key := range fields {
			row.Errors[k] = tr(langOf(c), key)
		}
		report = append(report, row)
	}
	if imported > 0 {
	}
	return c.JSON(fiber.Map{"imported": imported, "rows": report})
}

func (s *Server) importRegistration(c *fiber.Ctx, rec []string) (inspection.Registration, map[string]string) {
	fields := map[string]string{}
	get := func(name string) string {
		for i, col := range importColumns {
			if col == name {
				return strings.TrimSpace(rec[i])
			}
		}
		return ""
	}
	reg := inspection.Registration{ExternalID: get("external_id"), Kind: get("kind"), Place: get("place")}
	e, err := s.Store.EnterpriseByUSCC(c.UserContext(), account.NormalizeUSCC(get("enterprise_uscc")))
	if err != nil {
		fields["enterprise_uscc"] = "err.uscc"
		if errors.Is(err, store.ErrNotFound) && account.ValidUSCC(account.NormalizeUSCC(get("enterprise_uscc"))) {
			fields["enterprise_uscc"] = "err.invalid"
		}
	} else {
		reg.EnterpriseID = e.ID
	}
	var ok bool
	for _, f := range []struct {
		name string
		dst  *[]uint
	}{{"body_ids", &reg.BodyIDs}, {"item_ids", &reg.ItemIDs}, {"inspector_ids", &reg.InspectorIDs}} {
		if *f.dst, ok = splitIDs(get(f.name)); !ok {
			fields[f.name] = "err.invalid"
		}
	}
	if reg.ScheduledAt, ok = parseWhen(get("scheduled_at")); !ok {
		fields["scheduled_at"] = "err.invalid"
	}
	if n := get("notice_delivered_at"); n != "" {
		t, ok := parseWhen(n)
		if !ok {
			fields["notice_delivered_at"] = "err.invalid"
		}
		reg.NoticeDeliveredAt = &t
	}
	return reg, fields
}
