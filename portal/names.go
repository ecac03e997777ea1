package portal

import (
	"context"
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"sync"
	"time"

	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
)

// filedByKey names, for the enterprise's own lists, who raised an order about it: the
// enterprise itself, an observation point on its behalf, or the automatic checks (a clue). An
// unknown source (hidden from the viewer) names nothing.
func filedByKey(src lifecycle.Source) string {
	switch src {
	case lifecycle.SourceEnterprise:
		return "orders.source.own"
	case lifecycle.SourceObserver:
		return "orders.source.obs"
	case lifecycle.SourceSystem:
		return "orders.source.sys"
	}
	return ""
}

// restFuncs are the template helpers of this file.
var restFuncs = template.FuncMap{
	"filedBy": func(lang string, src lifecycle.Source) string {
		if k := filedByKey(src); k != "" {
			return tr(lang, k)
		}
		return ""
	},
}

// nameBook holds every enforcement body's and county's name in Chinese and English, read again
// when older than nameTTL: pages name a body or county by its id or code in the viewer's
// language through it, wherever they show one (nameFuncs), instead of each use case choosing a
// language.
type nameBook struct {
	mu       sync.Mutex
	at       time.Time
	bodies   map[uint][2]string
	counties map[string][2]string
}

const nameTTL = 5 * time.Second

func (s *Server) nameMaps() (map[uint][2]string, map[string][2]string) {
	n := &s.names
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.bodies != nil && time.Since(n.at) < nameTTL {
		return n.bodies, n.counties
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	bs, err := s.svc.Store.Bodies(ctx)
	if err != nil {
		return n.bodies, n.counties // the last names read, if any
	}
	cs, err := s.svc.Store.Counties(ctx)
	if err != nil {
		return n.bodies, n.counties
	}
	bodies, counties := make(map[uint][2]string, len(bs)), make(map[string][2]string, len(cs))
	for _, b := range bs {
		bodies[b.ID] = [2]string{b.NameZh, b.NameEn}
	}
	for _, c := range cs {
		counties[c.Code] = [2]string{c.NameZh, c.NameEn}
	}
	n.bodies, n.counties, n.at = bodies, counties, time.Now()
	return bodies, counties
}

// inLang is a name pair in lang: English where there is one, else the Chinese name.
func inLang(lang string, p [2]string) string {
	if lang == "en" && p[1] != "" {
		return p[1]
	}
	return p[0]
}

// bodyName is body id's name in lang ("" for no body).
func (s *Server) bodyName(lang string, id uint) string {
	b, _ := s.nameMaps()
	return inLang(lang, b[id])
}

// bodyNames names bodies in lang, joined as the language joins a list.
func (s *Server) bodyNames(lang string, ids []uint) string {
	sep := "、"
	if lang == "en" {
		sep = ", "
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n := s.bodyName(lang, id); n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, sep)
}

// countyName is a county's name in lang ("" for none; the code itself never shows).
func (s *Server) countyName(lang, code string) string {
	_, c := s.nameMaps()
	return inLang(lang, c[code])
}

// nameFuncs are the template helpers that name bodies and counties in the viewer's language.
func (s *Server) nameFuncs() template.FuncMap {
	return template.FuncMap{
		"bodyName":   func(lang string, id uint) string { return s.bodyName(lang, id) },
		"whoName":    s.whoName,
		"bodyNames":  func(lang string, ids []uint) string { return s.bodyNames(lang, ids) },
		"countyName": func(lang, code string) string { return s.countyName(lang, code) },
	}
}

// systemNotes are the notes the system writes on the timeline (internal/grievance: filing,
// deadlines, follow-up, merges, clues), each with its English reading; %s takes the pattern's
// groups in order.
var systemNotes = []struct {
	re *regexp.Regexp
	en string
}{
	{regexp.MustCompile(`^超时未(.*)，持续未处理，自动升级督办$`), "The %s limit was missed and the order stayed untouched: raised again by the system"},
	{regexp.MustCompile(`^超时未(.*)，自动督办$`), "The %s limit was missed: raised by the system"},
	{regexp.MustCompile(`^回访不满意，退回原单位重办$`), "Dissatisfied at the follow-up: back to the unit to handle again"},
	{regexp.MustCompile(`^并入工单 (\S+)$`), "Order %s was merged into this one"},
	{regexp.MustCompile(`^拆出工单 (\S+)$`), "Order %s was split out of this one"},
	{regexp.MustCompile(`^系统线索 (\S+) 并入(.*)$`), "Clue %s was merged into this order.%s"},
	{regexp.MustCompile(`^并入 (\S+)(.*)$`), "Merged into %s.%s"},
}

// stageEn names a deadline stage as the system's notes write it in Chinese.
var stageEn = map[string]string{"受理": "acceptance", "派单": "dispatch", "签收": "sign-for", "答复": "reply", "办结": "resolution", "补充材料": "enterprise's answer", "核查": "review"}

// systemNote is a timeline note the system wrote, in lang: on an English page its English
// reading (a unit by its English name). Notes people wrote stay as written.
func (s *Server) systemNote(lang, action, note string) string {
	if lang != "en" || note == "" {
		return note
	}
	if action == "submit" && strings.HasPrefix(note, "渠道 ") {
		var out []string
		parts := strings.Split(note, "，")
		for i := 0; i < len(parts); i++ {
			p := parts[i]
			switch {
			case strings.HasPrefix(p, "渠道 "):
				out = append(out, "Channel "+strings.TrimPrefix(p, "渠道 "))
			case strings.HasPrefix(p, "建议承办单位 "):
				unit := strings.TrimPrefix(p, "建议承办单位 ")
				b, _ := s.nameMaps()
				for _, n := range b {
					if n[0] == unit && n[1] != "" {
						unit = n[1]
						break
					}
				}
				out = append(out, "suggested handling unit: "+unit)
			case p == "电话受理" && i+1 < len(parts) && strings.HasPrefix(parts[i+1], "接线员 "):
				out = append(out, "taken by phone by operator "+strings.TrimPrefix(parts[i+1], "接线员 "))
				i++
			default:
				out = append(out, p)
			}
		}
		return strings.Join(out, "; ")
	}
	for _, n := range systemNotes {
		m := n.re.FindStringSubmatch(note)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, g := range m[1:] {
			if en, ok := stageEn[g]; ok {
				g = en
			}
			if g != "" && i > 0 {
				g = " " + strings.TrimSpace(g) // a reason a person added, as written
			}
			args[i] = g
		}
		return fmt.Sprintf(n.en, args...)
	}
	return note
}

// whoName is who acted on an order, in lang: an officer's body by its name in lang (with the
// officer's name to staff), else the name the timeline holds.
func (s *Server) whoName(lang string, e grievance.Event) string {
	if e.Body == 0 || lang != "en" {
		return e.Who
	}
	if e.Person != "" {
		return s.bodyName(lang, e.Body) + " (" + e.Person + ")"
	}
	return s.bodyName(lang, e.Body)
}
