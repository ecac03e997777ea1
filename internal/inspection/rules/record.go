package rules

import (
	"slices"
	"strings"
)

// RecordKind is the type of a document in an inspection's case file (RECORD-1, seed §2.4 四:
// 出具行政检查通知书，制作行政检查登记表或现场检查笔录等文书，并按清单范围做好行政执法音像记录).
type RecordKind string

// Record kinds.
const (
	RecNotice       RecordKind = "notice"       // 行政检查通知书
	RecRegistration RecordKind = "registration" // 行政检查登记表
	RecOnSite       RecordKind = "onsite"       // 现场检查笔录
	RecResult       RecordKind = "result"       // 检查结果告知书
	RecAudioVideo   RecordKind = "audio_video"  // 行政执法音像记录
	RecOther        RecordKind = "other"        // 其他文书、证据
)

// RecordKinds lists every kind, in the order forms offer them.
var RecordKinds = []RecordKind{RecNotice, RecRegistration, RecOnSite, RecResult, RecAudioVideo, RecOther}

// ValidRecordKind reports whether k is a known record kind.
func ValidRecordKind(k string) bool { return slices.Contains(RecordKinds, RecordKind(k)) }

// MissingRecords lists what the case file of a done inspection lacks (RECORD-1): a notice
// (delivered through the portal or on file), unless the law forbids disclosure; a registration
// form or an on-site record; and an audio/video record when one of its items is listed as
// needing one. Only a done inspection is judged: its file may still be filling up before.
func MissingRecords(in Inspection, items map[uint]Item) []string {
	if in.Status != Done {
		return nil
	}
	has := func(kinds ...RecordKind) bool {
		for _, k := range kinds {
			if slices.Contains(in.Records, k) {
				return true
			}
		}
		return false
	}
	var out []string
	if !in.NoticeWithheld && in.NoticeDeliveredAt == nil && !has(RecNotice) {
		out = append(out, "行政检查通知书")
	}
	if !has(RecRegistration, RecOnSite) {
		out = append(out, "行政检查登记表或现场检查笔录")
	}
	for _, id := range in.ItemIDs {
		if it, ok := items[id]; ok && it.AudioVideo && !has(RecAudioVideo) {
			out = append(out, "执法音像记录（清单事项“"+it.Name+"”要求）")
			break
		}
	}
	return out
}

func recordEvidence(missing []string) string {
	return "检查已完成，案卷缺少：" + strings.Join(missing, "、")
}
