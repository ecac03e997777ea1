package portal

import (
	"fmt"
	"html/template"
	"time"
)

// plainFuncs are the templates' helpers for saying things in words: a file as "照片 1 · 143 KB"
// rather than "#1 · image/jpeg · 146472 B".
var plainFuncs = template.FuncMap{
	"inc": func(i int) int { return i + 1 },
	"fileKind": func(contentType string) string {
		if contentType == "application/pdf" {
			return "file.pdf"
		}
		return "file.photo"
	},
	"fileSize": func(n int64) string {
		switch {
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		case n >= 1<<10:
			return fmt.Sprintf("%d KB", (n+512)>>10)
		}
		return fmt.Sprintf("%d B", n)
	},
}

// plainDue says a deadline as people say it: "还剩 1 小时 59 分" when it is near, "今天 17:00 前"
// or "明天 17:00 前" within two days, "3月6日 17:00 前（还剩 4 天）" further off, and "已超时 2 小时
// 5 分" once past; in English "1 hour 59 minutes left", "by 17:00 tomorrow", "2 hours 5 minutes
// overdue". The second answer tells whether it is past.
func plainDue(lang string, due, now time.Time) (string, bool) {
	en := lang == "en"
	d := due.Sub(now)
	if d < 0 {
		span := plainSpan(en, -d)
		if en {
			return span + " overdue", true
		}
		return "已超时 " + span, true
	}
	if d < 6*time.Hour {
		if en {
			return plainSpan(en, d) + " left", false
		}
		return "还剩 " + plainSpan(en, d), false
	}
	local, today := due.In(shanghai), now.In(shanghai)
	days := dayNumber(local) - dayNumber(today)
	clock := local.Format("15:04")
	switch {
	case days == 0 && en:
		return "by " + clock + " today", false
	case days == 0:
		return "今天 " + clock + " 前", false
	case days == 1 && en:
		return "by " + clock + " tomorrow", false
	case days == 1:
		return "明天 " + clock + " 前", false
	case en:
		return fmt.Sprintf("by %s %s (%d days left)", local.Format("2 Jan"), clock, days), false
	}
	return fmt.Sprintf("%d月%d日 %s 前（还剩 %d 天）", local.Month(), local.Day(), clock, days), false
}

// dayNumber counts calendar days in Wenzhou, for "today" and "tomorrow".
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// plainSpan is a length of time in words: "3 天", "1 小时 59 分", "25 分钟" (English: "3 days",
// "1 hour 59 minutes", "25 minutes").
func plainSpan(en bool, d time.Duration) string {
	mins := int(d.Minutes())
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	unit := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case days > 0 && en:
		return unit(days, "day", "days")
	case days > 0:
		return fmt.Sprintf("%d 天", days)
	case hours > 0 && en:
		return unit(hours, "hour", "hours") + " " + unit(m, "minute", "minutes")
	case hours > 0:
		return fmt.Sprintf("%d 小时 %d 分", hours, m)
	case en:
		return unit(m, "minute", "minutes")
	}
	return fmt.Sprintf("%d 分钟", m)
}
