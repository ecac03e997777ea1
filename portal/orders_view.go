package portal

import (
	"time"

	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/portal/api"
)

// The API's order answers, built from the views the use case returns (redaction already done:
// a reporter the caller may not know is absent from the view, and so from the answer). Times are
// given in UTC.

func complaintOf(v *grievance.OrderView, lang string) api.Complaint {
	c := api.Complaint{ID: v.ID, Number: v.Number, Type: string(v.Type), Status: string(v.Status), Level: v.Level, LevelName: levelName(v.Level, lang),
		Channel: string(v.Channel), Source: string(v.Source), County: v.County, Anonymous: v.Anonymous, CreatedAt: v.CreatedAt.UTC(), NextDueAt: utcPtr(v.NextDueAt),
		ClosedAt: utcPtr(v.ClosedAt), UnitID: v.UnitID, BodyID: v.BodyID, Urgent: v.Urgent}
	if v.Reporter != nil {
		c.Enterprise = &api.ComplaintEnterprise{ID: v.Reporter.ID, Name: v.Reporter.Name}
	}
	return c
}

func complaintDetailOf(d *grievance.OrderDetail, lang string) api.ComplaintDetail {
	c := complaintOf(&d.OrderView, lang)
	out := api.ComplaintDetail{ID: c.ID, Number: c.Number, Type: c.Type, Status: c.Status, Level: c.Level, LevelName: c.LevelName, Channel: c.Channel,
		Source: c.Source, County: c.County, Anonymous: c.Anonymous, CreatedAt: c.CreatedAt, NextDueAt: c.NextDueAt, ClosedAt: c.ClosedAt, UnitID: c.UnitID, BodyID: c.BodyID,
		Enterprise: c.Enterprise, Description: d.Description, InspectionCode: d.InspectionCode, Rating: d.Rating, ReopenCount: d.ReopenCount,
		Reasons: d.Reasons, CanAttach: d.CanAttach, ReturnCount: d.ReturnCount, Urgent: c.Urgent}
	out.ExtensionCount, out.PausedSince = d.ExtensionCount, utcPtr(d.PausedAt)
	out.FollowUp = api.ComplaintFollowUp{Solved: d.FollowSolved, Satisfied: d.FollowSatisfied, Failures: d.FollowFailures}
	if d.ExtensionUntil != nil {
		out.Extension = &api.ComplaintExtension{Until: d.ExtensionUntil.UTC(), Reason: d.ExtensionReason}
	}
	if d.ReturnCode != "" {
		out.Return = &api.ComplaintReturn{Code: d.ReturnCode, Name: lifecycle.ReturnCodeNames[d.ReturnCode][langIdx(lang)], Reason: d.ReturnReason}
	}
	if out.Reasons == nil {
		out.Reasons = []string{}
	}
	out.Timeline = make([]api.ComplaintEvent, len(d.Timeline))
	for i, e := range d.Timeline {
		out.Timeline[i] = api.ComplaintEvent{At: e.At.UTC(), Action: e.Action, From: e.From, To: e.To, Level: e.Level, Note: e.Note, By: e.By, Who: e.Who, Files: complaintFiles(e.Files)}
	}
	for _, n := range d.Notes { // the handlers' only: the view left them out for anyone else
		out.Notes = append(out.Notes, api.ComplaintNote{ID: n.ID, At: n.At.UTC(), By: n.By, Text: n.Text})
	}
	out.PendingFiles = complaintFiles(d.PendingFiles)
	out.Deadlines = make([]api.ComplaintDeadline, len(d.Deadlines))
	for i, dl := range d.Deadlines {
		out.Deadlines[i] = api.ComplaintDeadline{Stage: dl.Stage, Round: dl.Round, DueAt: dl.DueAt.UTC(), RemindAt: dl.RemindAt.UTC(), State: dl.State,
			OriginalDueAt: utcPtr(dl.OriginalDueAt), PausedMinutes: int(dl.Paused / time.Minute), UnitID: dl.UnitID}
	}
	out.Parts = partsOf(&d.Parts)
	out.Evidence = make([]api.ComplaintFile, len(d.Evidence))
	for i, f := range d.Evidence {
		out.Evidence[i] = api.ComplaintFile{ID: f.ID, ContentType: f.ContentType, Size: f.Size, CreatedAt: f.CreatedAt.UTC()}
	}
	out.Documents = documentsOf(d.Documents, lang)
	out.AllowedActions = make([]string, len(d.Allowed))
	for i, a := range d.Allowed {
		out.AllowedActions[i] = string(a)
	}
	return out
}

// complaintFiles is files as the API names them; nil stays nil (left out of the answer).
func complaintFiles(files []grievance.EvidenceFile) []api.ComplaintFile {
	var out []api.ComplaintFile
	for _, f := range files {
		out = append(out, api.ComplaintFile{ID: f.ID, ContentType: f.ContentType, Size: f.Size, CreatedAt: f.CreatedAt.UTC()})
	}
	return out
}

// levelName is a supervision level's name in lang.
func levelName(level int, lang string) string {
	if level < 0 || level > lifecycle.MaxLevel {
		return ""
	}
	return lifecycle.LevelNames[level][langIdx(lang)]
}

func langIdx(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
