package portal

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/inspection"
	"qijian/portal/api"
)

// importColumns is the CSV header the import expects, in this order; importMore may follow it
// (all of them): a withheld notice with its legal basis, and the approval record that allows an
// inspection beyond the yearly cap (approver, document number, date YYYY-MM-DD).
var importColumns = []string{"external_id", "kind", "enterprise_uscc", "body_ids", "item_ids", "inspector_ids", "scheduled_at", "place", "notice_delivered_at"}

var importMore = []string{"notice_withheld", "notice_withheld_basis", "frequency_approver", "frequency_approval_no", "frequency_approved_on"}

const maxImportRows = 5000

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
func (s *Server) apiImportInspections(c *fiber.Ctx, _, _ *struct{}) (api.ImportReport, error) {
	v := viewerOf(c)
	if !inspection.CanRegister(v.Actor) {
		return api.ImportReport{}, errForbidden
	}
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), "text/csv") {
		return api.ImportReport{}, &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.invalid"}
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(c.Body()), "\ufeff")))
	head, err := r.Read()
	cols := importColumns
	if len(head) > len(importColumns) {
		cols = append(slices.Clone(importColumns), importMore...)
	}
	r.FieldsPerRecord = len(cols)
	if err != nil || strings.Join(head, ",") != strings.Join(cols, ",") {
		return api.ImportReport{}, &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: map[string]string{"header": "err.invalid"}}
	}
	out := api.ImportReport{Rows: []api.ImportRow{}}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if len(out.Rows) >= maxImportRows {
			return api.ImportReport{}, &errs.Error{Kind: errs.TooLarge, Code: "too_large", Key: "err.max"}
		}
		row := api.ImportRow{Row: line, Errors: map[string]string{}}
		if err != nil {
			row.Errors["row"] = "err.invalid"
			out.Rows = append(out.Rows, row)
			continue
		}
		fields, err := s.importRow(c, rec, &row)
		if err != nil {
			return api.ImportReport{}, err
		}
		if row.New {
			out.Imported++
		}
		for k, key := range fields {
			row.Errors[k] = tr(langOf(c), key)
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// importRow checks one row and registers it, filling row; it returns the fields at fault, and
// an error only for a fault that is no row's (the import stops).
func (s *Server) importRow(c *fiber.Ctx, rec []string, row *api.ImportRow) (map[string]string, error) {
	reg, fields, err := s.importRegistration(c, rec)
	if err != nil {
		return nil, err
	}
	if err := s.check(&reg); err != nil {
		p := formProblem(err)
		if p == nil {
			return nil, err
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
	if len(fields) > 0 {
		return fields, nil
	}
	in, created, err := s.svc.Inspections.Register(c.UserContext(), viewerOf(c).Actor, reg)
	if fe := errs.FieldsOf(err); fe != nil {
		return fe, nil
	} else if err != nil {
		return nil, err
	}
	row.OK, row.ID, row.Code, row.New = true, in.ID, in.Code, created
	return nil, nil
}

func (s *Server) importRegistration(c *fiber.Ctx, rec []string) (inspection.Registration, map[string]string, error) {
	fields := map[string]string{}
	get := func(name string) string {
		for i, col := range append(slices.Clone(importColumns), importMore...) {
			if col == name && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
		}
		return ""
	}
	reg := inspection.Registration{ExternalID: get("external_id"), Kind: get("kind"), Place: get("place")}
	id, err := s.svc.Inspections.EnterpriseByUSCC(c.UserContext(), get("enterprise_uscc"))
	if fe := errs.FieldsOf(err); fe != nil {
		fields["enterprise_uscc"] = fe["enterprise_uscc"]
	} else if err != nil {
		return reg, nil, err
	}
	reg.EnterpriseID = id
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
	switch strings.ToLower(get("notice_withheld")) {
	case "", "false", "0", "否":
	case "true", "1", "是":
		reg.NoticeWithheld = true
	default:
		fields["notice_withheld"] = "err.invalid"
	}
	reg.NoticeWithheldBasis, reg.FrequencyApprover, reg.FrequencyApprovalNo = get("notice_withheld_basis"), get("frequency_approver"), get("frequency_approval_no")
	if d := get("frequency_approved_on"); d != "" {
		t, err := time.ParseInLocation(time.DateOnly, d, shanghai)
		if err != nil {
			fields["frequency_approved_on"] = "err.invalid"
		}
		reg.FrequencyApprovedOn = &t
	}
	return reg, fields, nil
}
