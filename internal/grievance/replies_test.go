package grievance_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/idem"
)

// dispatched files an order as ent-a (named or anonymous) and dispatches it to the market
// regulator (officer-scj's unit), which starts handling it; it answers the order's outside id.
func (f *fx) dispatched(anonymous bool) uint64 {
	f.t.Helper()
	fl := illegal
	fl.Anonymous = anonymous
	ref := f.svc.Ref(f.file("ent-a", fl, ""))
	f.act("liaison-lc", ref, grievance.Move{Action: "accept"})
	f.act("liaison-lc", ref, grievance.Move{Action: "dispatch", UnitID: 1})
	f.act("officer-scj", ref, grievance.Move{Action: "start"})
	return ref
}

// Internal notes are the handlers' own: the liaison, the handling unit's officers and admins
// write and read them; they are stored apart from the timeline, and the enterprise's view of the
// order, and its inbox, show nothing of them — not the text, not that one was written.
func TestInternalNotesReachHandlersOnly(t *testing.T) {
	t.Parallel()
	for _, anonymous := range []bool{false, true} {
		f := newFx(t)
		ctx := context.Background()
		ref := f.dispatched(anonymous)
		inbox := f.count("SELECT COUNT(*) FROM notifications") + f.count("SELECT COUNT(*) FROM outbox")
		events := f.count("SELECT COUNT(*) FROM order_events")
		before := f.order(f.svc.RowID(ref))
		f.act("liaison-lc", ref, grievance.Move{Action: "note", Note: "企业负责人电话 138… 已核实，勿外传"})
		f.act("officer-scj", ref, grievance.Move{Action: "note", Note: "现场复核安排在周三"})
		f.act("admin", ref, grievance.Move{Action: "note", Note: "管理员备注"})
		if n := f.count("SELECT COUNT(*) FROM order_notes"); n != 3 {
			t.Fatalf("%d notes stored, want 3", n)
		}
		if n := f.count("SELECT COUNT(*) FROM order_events"); n != events {
			t.Fatalf("a note wrote %d timeline events", n-events)
		}
		if n := f.count("SELECT COUNT(*) FROM notifications") + f.count("SELECT COUNT(*) FROM outbox"); n != inbox {
			t.Fatalf("a note told someone: %d messages or tasks more", n-inbox)
		}
		after := f.order(f.svc.RowID(ref))
		if after.Status != before.Status || after.Level != before.Level || !after.UpdatedAt.Equal(before.UpdatedAt) || after.NextDueAt.Compare(*before.NextDueAt) != 0 {
			t.Fatalf("a note changed the order: %+v → %+v", before, after)
		}
		for _, user := range []string{"liaison-lc", "liaison-city", "officer-scj", "admin"} {
			d := mustDetail(t, f, user, ref)
			if !d.Handler || len(d.Notes) != 3 || d.Notes[0].Text != "企业负责人电话 138… 已核实，勿外传" || d.Notes[1].By != "officer" {
				t.Fatalf("%s reads notes %+v (handler %v), want all three", user, d.Notes, d.Handler)
			}
			if !slices.Contains(d.Allowed, "note") {
				t.Fatalf("%s is not offered a note: %v", user, d.Allowed)
			}
		}
		d := mustDetail(t, f, "ent-a", ref)
		if d.Handler || d.Notes != nil || slices.Contains(d.Allowed, "note") {
			t.Fatalf("the enterprise reads notes: %+v, allowed %v", d.Notes, d.Allowed)
		}
		for _, e := range d.Timeline {
			if strings.Contains(e.Note, "勿外传") || strings.Contains(e.Note, "复核") || e.Action == "note" {
				t.Fatalf("the enterprise's timeline holds a note: %+v", e)
			}
		}
		// Writing one: the enterprise, the observation point and another county's liaison may not.
		for _, user := range []string{"ent-a"} {
			if _, err := f.svc.Act(ctx, f.Actor(user), ref, grievance.Move{Action: "note", Note: "x"}); !errors.Is(err, errs.Conflict) {
				t.Fatalf("%s wrote a note: %v", user, err)
			}
		}
		if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), ref, grievance.Move{Action: "note", Note: "   "}); !errors.Is(err, errs.Invalid) {
			t.Fatalf("an empty note: %v", err)
		}
	}
}

// A reply's files are checked like evidence (the same keep: content type by content, metadata
// gone, quota, idempotency key), wait for the reply seen by the handlers only, go out with the
// reply, and are then the enterprise's to open; another enterprise, or another order's id,
// opens nothing.
func TestReplyFilesGoOutWithTheReply(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	files := grievance.Files{Dir: t.TempDir()}
	ref := f.dispatched(false)
	off, ent := f.Actor("officer-scj"), f.Actor("ent-a")
	if _, err := f.svc.AttachToReply(ctx, files, ent, ref, pngFile(t)); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("the enterprise attaches to the unit's reply: %v", err)
	}
	if _, err := f.svc.AttachToReply(ctx, files, off, ref, []byte("<script>alert(1)</script>")); !errors.Is(err, grievance.ErrFileType) {
		t.Fatalf("text as a reply file: %v", err)
	}
	if _, err := f.svc.AttachToReply(ctx, files, off, ref, make([]byte, grievance.MaxEvidenceSize+1)); !errors.Is(err, grievance.ErrTooLarge) {
		t.Fatalf("10 MB + 1 as a reply file: %v", err)
	}
	keyed := idem.WithKey(ctx, "reply-file-1")
	pdf, err := f.svc.AttachToReply(keyed, files, off, ref, pdfFile())
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.AttachToReply(keyed, files, off, ref, pdfFile())
	if err != nil || again.ID != pdf.ID {
		t.Fatalf("a repeat with the same key: %+v %v, want file %d", again, err, pdf.ID)
	}
	if n := f.count("SELECT COUNT(*) FROM reply_files"); n != 1 {
		t.Fatalf("%d reply files after a repeat, want 1", n)
	}
	photo, err := f.svc.AttachToReply(ctx, files, off, ref, pngFile(t))
	if err != nil {
		t.Fatal(err)
	}
	// Waiting: the handlers see them, the enterprise neither sees nor opens them.
	if d := mustDetail(t, f, "liaison-lc", ref); len(d.PendingFiles) != 2 {
		t.Fatalf("the liaison sees %d waiting files, want 2", len(d.PendingFiles))
	}
	if d := mustDetail(t, f, "ent-a", ref); d.PendingFiles != nil {
		t.Fatalf("the enterprise sees waiting files: %+v", d.PendingFiles)
	}
	if _, _, err := f.svc.OpenReplyFile(ctx, files, ent, ref, photo.ID); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("the enterprise opens a waiting file: %v", err)
	}
	f.act("officer-scj", ref, grievance.Move{Action: "reply", Note: "经核查，已责令整改。"})
	d := mustDetail(t, f, "ent-a", ref)
	var reply *grievance.Event
	for i := range d.Timeline {
		if d.Timeline[i].Action == "reply" {
			reply = &d.Timeline[i]
		}
	}
	if reply == nil || len(reply.Files) != 2 || reply.Files[0].ID != pdf.ID || reply.Files[1].ContentType != "image/png" {
		t.Fatalf("the reply as the enterprise sees it: %+v", reply)
	}
	got, b, err := f.svc.OpenReplyFile(ctx, files, ent, ref, pdf.ID)
	if err != nil || got.ContentType != "application/pdf" || strings.Contains(string(b), "FEFF9648") || strings.Contains(string(b), "陈晓东") {
		t.Fatalf("the enterprise opens the reply's PDF: %+v %v (metadata kept: %v)", got, err, strings.Contains(string(b), "陈晓东"))
	}
	if _, _, err := f.svc.OpenReplyFile(ctx, files, f.Actor("ent-b"), ref, pdf.ID); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("another enterprise opens the reply's file: %v", err)
	}
	other := f.svc.Ref(f.file("ent-b", illegal, ""))
	if _, _, err := f.svc.OpenReplyFile(ctx, files, f.Actor("ent-b"), other, pdf.ID); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("another enterprise opens the file through its own order: %v", err)
	}
	// Once replied, the unit may not attach more (it replies no more).
	if _, err := f.svc.AttachToReply(ctx, files, off, ref, pngFile(t)); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("a file after the reply: %v", err)
	}
}

// On an anonymous order a reply's file is named by reference, like the order: its row id opens
// nothing, and the handling unit's view of it is the enterprise's.
func TestReplyFilesOfAnAnonymousOrderByReference(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	files := grievance.Files{Dir: t.TempDir()}
	ref := f.dispatched(true)
	photo, err := f.svc.AttachToReply(ctx, files, f.Actor("officer-scj"), ref, pngFile(t))
	if err != nil {
		t.Fatal(err)
	}
	f.act("officer-scj", ref, grievance.Move{Action: "reply", Note: "已处理"})
	var row uint64
	f.St.Gorm().Raw("SELECT id FROM reply_files").Scan(&row)
	if photo.ID == row {
		t.Fatal("an anonymous order's reply file is named by its row id")
	}
	if _, _, err := f.svc.OpenReplyFile(ctx, files, f.Actor("ent-a"), ref, row); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("opened by row id: %v", err)
	}
	if _, _, err := f.svc.OpenReplyFile(ctx, files, f.Actor("ent-a"), ref, photo.ID); err != nil {
		t.Fatalf("the enterprise opens it by reference: %v", err)
	}
}

// Reply templates: admins keep them per matter type in both languages; a field left empty or a
// type not on the list is refused naming the field; a retired one is offered no more; the reply
// form offers the templates of the order's type only, and only to the handling side.
func TestReplyTemplatesPerMatterType(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	admin := f.Actor("admin")
	in := grievance.TemplateInput{Type: "illegal_inspection", TitleZh: "已立案核查", TitleEn: "Under review", BodyZh: "您反映的问题已收悉，我单位已立案核查。", BodyEn: "We have opened a review of your report."}
	if _, err := f.svc.SaveTemplate(ctx, f.Actor("liaison-city"), 0, in); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("a liaison keeps templates: %v", err)
	}
	for field, bad := range map[string]grievance.TemplateInput{
		"type":     {Type: "gossip", TitleZh: "a", TitleEn: "a", BodyZh: "a", BodyEn: "a"},
		"title_en": {Type: "conduct", TitleZh: "a", TitleEn: "  ", BodyZh: "a", BodyEn: "a"},
		"body_zh":  {Type: "conduct", TitleZh: "a", TitleEn: "a", BodyZh: "", BodyEn: "a"},
	} {
		if _, err := f.svc.SaveTemplate(ctx, admin, 0, bad); errs.FieldsOf(err)[field] == "" {
			t.Fatalf("a template without a good %s: %v", field, err)
		}
	}
	a, err := f.svc.SaveTemplate(ctx, admin, 0, in)
	if err != nil {
		t.Fatal(err)
	}
	in2 := in
	in2.Type, in2.TitleZh = "conduct", "作风问题答复"
	b, err := f.svc.SaveTemplate(ctx, admin, 0, in2)
	if err != nil {
		t.Fatal(err)
	}
	in.BodyZh = "您反映的问题已收悉，正在核查。"
	if got, err := f.svc.SaveTemplate(ctx, admin, a.ID, in); err != nil || got.BodyZh != in.BodyZh || got.ID != a.ID {
		t.Fatalf("edited: %+v %v", got, err)
	}
	offered, err := f.svc.TemplatesFor(ctx, f.Actor("officer-scj"), "illegal_inspection")
	if err != nil || len(offered) != 1 || offered[0].ID != a.ID || offered[0].BodyZh != in.BodyZh {
		t.Fatalf("offered for illegal inspections: %+v %v", offered, err)
	}
	if none, _ := f.svc.TemplatesFor(ctx, f.Actor("ent-a"), "illegal_inspection"); len(none) != 0 {
		t.Fatalf("the enterprise is offered templates: %+v", none)
	}
	if _, err := f.svc.RetireTemplate(ctx, admin, a.ID); err != nil {
		t.Fatal(err)
	}
	if offered, _ := f.svc.TemplatesFor(ctx, f.Actor("officer-scj"), "illegal_inspection"); len(offered) != 0 {
		t.Fatalf("a retired template is offered: %+v", offered)
	}
	all, err := f.svc.AllTemplates(ctx, admin)
	if err != nil || len(all) != 2 || !slices.ContainsFunc(all, func(t grievance.Template) bool { return t.ID == a.ID && t.Retired }) || !slices.ContainsFunc(all, func(t grievance.Template) bool { return t.ID == b.ID && !t.Retired }) {
		t.Fatalf("the admin's list: %+v %v", all, err)
	}
	if _, err := f.svc.RetireTemplate(ctx, admin, 999); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("retiring a template that does not exist: %v", err)
	}
}

// An order an observation point filed for a member: the point reads the order, never its notes,
// and may not write one.
func TestInternalNotesKeptFromTheObservationPoint(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	obs := f.Actor("obs-chamber")
	filed, err := f.svc.File(ctx, obs, grievance.Filing{Type: "conduct", Description: "检查人员干扰正常生产", EnterpriseID: obs.Members[0], Consent: true, BodyID: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.act("liaison-lc", filed.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", filed.ID, grievance.Move{Action: "note", Note: "观测点代报，核实会员同意书"})
	d := mustDetail(t, f, "obs-chamber", filed.ID)
	if d.Handler || d.Notes != nil || slices.Contains(d.Allowed, "note") {
		t.Fatalf("the observation point reads notes: %+v", d.Notes)
	}
	for _, e := range d.Timeline {
		if strings.Contains(e.Note, "同意书") {
			t.Fatalf("the observation point's timeline holds the note: %+v", e)
		}
	}
	if _, err := f.svc.Act(ctx, obs, filed.ID, grievance.Move{Action: "note", Note: "x"}); !errors.Is(err, errs.Conflict) {
		t.Fatalf("the observation point writes a note: %v", err)
	}
	if d := mustDetail(t, f, "liaison-lc", filed.ID); len(d.Notes) != 1 {
		t.Fatalf("the liaison reads %d notes", len(d.Notes))
	}
}
