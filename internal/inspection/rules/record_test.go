package rules

import (
	"strings"
	"testing"
)

// RECORD-1 (§2.4 四): a done inspection leaves a notice, a registration form or on-site record,
// and audio/video where its item list asks for it.
func TestRecordsOfADoneInspection(t *testing.T) {
	t.Parallel()
	full := []RecordKind{RecOnSite}
	cases := []struct {
		name    string
		change  func(*Inspection, *Facts)
		want    string
		missing string
	}{
		{"on-site record and a delivered notice pass", func(i *Inspection, f *Facts) { i.Records = full }, "", ""},
		{"a registration form does as well", func(i *Inspection, f *Facts) { i.Records = []RecordKind{RecRegistration} }, "", ""},
		{"neither form nor on-site record", func(i *Inspection, f *Facts) { i.Records = []RecordKind{RecResult, RecOther} }, "RECORD-1", "现场检查笔录"},
		// Without a delivery time NOTICE-1 cannot pass either (it applies to triggered visits too).
		{"no notice delivered and none on file", func(i *Inspection, f *Facts) { i.Records, i.NoticeDeliveredAt, i.Kind = full, nil, Triggered }, "NOTICE-1,RECORD-1", "通知书"},
		{"a notice on file instead of the portal's", func(i *Inspection, f *Facts) {
			i.Records, i.NoticeDeliveredAt, i.Kind = []RecordKind{RecOnSite, RecNotice}, nil, Triggered
		}, "NOTICE-1", ""},
		{"notice withheld by law", func(i *Inspection, f *Facts) {
			i.Records, i.NoticeDeliveredAt, i.NoticeWithheld = full, nil, true
		}, "", ""},
		{"listed item needs audio/video, none on file", func(i *Inspection, f *Facts) {
			it := f.Items[20]
			it.AudioVideo = true
			f.Items[20] = it
			i.Records = full
		}, "RECORD-1", "音像记录"},
		{"listed item needs audio/video, on file", func(i *Inspection, f *Facts) {
			it := f.Items[20]
			it.AudioVideo = true
			f.Items[20] = it
			i.Records = []RecordKind{RecOnSite, RecAudioVideo}
		}, "", ""},
		{"an empty file before the inspection is done is not judged", func(i *Inspection, f *Facts) { i.Status = InProgress }, "", ""},
		{"a cancelled inspection is not judged", func(i *Inspection, f *Facts) { i.Status = Cancelled }, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, f := lawful(), facts(day(2026, 4, 17, 12))
			in.Status = Done
			tc.change(&in, &f)
			v := Check(in, f)
			if got := rules(v); got != tc.want {
				t.Fatalf("violations %q, want %q", got, tc.want)
			}
			if tc.missing != "" && !strings.Contains(v[len(v)-1].Evidence, tc.missing) {
				t.Fatalf("evidence %q should name %q", v[len(v)-1].Evidence, tc.missing)
			}
		})
	}
	if !ValidRecordKind("onsite") || ValidRecordKind("photo") {
		t.Fatal("record kinds")
	}
}
