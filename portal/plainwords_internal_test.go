package portal

import (
	"testing"
	"time"
)

// Deadlines read as people say them, in Chinese and English, never "1h 59m".
func TestPlainDue(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai) // Monday 10:00 in Wenzhou
	for _, c := range []struct {
		due    time.Time
		zh, en string
		late   bool
	}{
		{now.Add(119 * time.Minute), "还剩 1 小时 59 分", "1 hour 59 minutes left", false},
		{now.Add(25 * time.Minute), "还剩 25 分钟", "25 minutes left", false},
		{time.Date(2026, 3, 2, 17, 0, 0, 0, shanghai), "今天 17:00 前", "by 17:00 today", false},
		{time.Date(2026, 3, 3, 17, 0, 0, 0, shanghai), "明天 17:00 前", "by 17:00 tomorrow", false},
		{time.Date(2026, 3, 6, 17, 0, 0, 0, shanghai), "3月6日 17:00 前（还剩 4 天）", "by 6 Mar 17:00 (4 days left)", false},
		{now.Add(-125 * time.Minute), "已超时 2 小时 5 分", "2 hours 5 minutes overdue", true},
		{now.Add(-49 * time.Hour), "已超时 2 天", "2 days overdue", true},
		{now.Add(-61 * time.Minute), "已超时 1 小时 1 分", "1 hour 1 minute overdue", true},
	} {
		zh, late := plainDue("zh", c.due.UTC(), now.UTC())
		en, _ := plainDue("en", c.due.UTC(), now.UTC())
		if zh != c.zh || en != c.en || late != c.late {
			t.Errorf("due %v: %q / %q (late %v), want %q / %q (%v)", c.due, zh, en, late, c.zh, c.en, c.late)
		}
	}
}
