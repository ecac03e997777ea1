package portal

import "testing"

// Every note the system writes reads in English on an English page, and stays as written in
// Chinese; what people wrote is never touched.
func TestSystemNotesReadInEnglish(t *testing.T) {
	t.Parallel()
	s := &Server{}
	for _, tc := range []struct{ action, zh, en string }{
		{"escalate", "超时未签收，自动督办", "The sign-for limit was missed: raised by the system"},
		{"escalate", "超时未答复，持续未处理，自动升级督办", "The reply limit was missed and the order stayed untouched: raised again by the system"},
		{"rehandle", "回访不满意，退回原单位重办", "Dissatisfied at the follow-up: back to the unit to handle again"},
		{"merge", "并入工单 QJ20260000003", "Order QJ20260000003 was merged into this one"},
		{"split", "拆出工单 QJ20260000004", "Order QJ20260000004 was split out of this one"},
		{"merge_clue", "系统线索 QJ20260000009 并入 同一次检查", "Clue QJ20260000009 was merged into this order. 同一次检查"},
		{"submit", "渠道 12345，电话受理，接线员 李静", "Channel 12345; taken by phone by operator 李静"},
		{"message", "超时未签收，自动督办吗？", "超时未签收，自动督办吗？"}, // a person's words, however close
	} {
		if got := s.systemNote("en", tc.action, tc.zh); got != tc.en {
			t.Errorf("%s %q: %q, want %q", tc.action, tc.zh, got, tc.en)
		}
		if got := s.systemNote("zh", tc.action, tc.zh); got != tc.zh {
			t.Errorf("zh %q changed to %q", tc.zh, got)
		}
	}
}
