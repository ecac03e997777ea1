package portal

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/grievance"
)

// formField is one field of an order action form, as its partial templates (order_fields.html)
// draw it: id <action>-<field>, its label, what was typed, and its message if it failed.
type formField struct {
	Root           fiber.Map
	Lang, ID, Name string
	Label, Err     string
	Errors         map[string]string
	Value          any
	Optional       bool
}

// fieldOf builds a formField for the template: fieldOf $ action field [labelKey value "optional"].
func fieldOf(root fiber.Map, action any, field string, rest ...any) formField {
	act := fmt.Sprint(action) // a string or a lifecycle.Action
	f := formField{Root: root, Name: field, ID: act + "-" + field}
	f.Lang, _ = root["Lang"].(string)
	f.Errors, _ = root["Errors"].(map[string]string)
	f.Err = f.Errors[f.ID]
	if len(rest) > 0 {
		f.Label, _ = rest[0].(string)
	}
	if len(rest) > 1 {
		f.Value = rest[1]
	}
	if len(rest) > 2 {
		f.Optional = rest[2] == "optional"
	}
	return f
}

// progressStep is one step of the order's progress: its name, when it was reached, and whether
// it is done or where the order is now.
type progressStep struct {
	Key     string
	At      *time.Time
	Done    bool
	Current bool
}

// progressStages are the steps an enterprise follows (提交 → 受理 → 派单 → 办理 → 答复 → 回访 → 办结):
// the timeline action that reaches each, and the statuses in which it is the step reached.
var progressStages = []struct {
	key      string
	actions  []string
	statuses []string
}{
	{"submit", []string{"submit"}, []string{"submitted"}},
	{"accept", []string{"accept", "reopen"}, []string{"accepted"}},
	{"dispatch", []string{"dispatch", "transfer", "refuse_return"}, []string{"dispatched", "signed", "returned"}},
	{"handle", []string{"start", "rehandle"}, []string{"in_progress"}},
	{"reply", []string{"reply"}, []string{"replied"}},
	{"follow_up", []string{"follow_up"}, []string{"follow_up"}},
	{"close", []string{"close"}, []string{"closed"}},
}

// progressOf places the order on its steps, each dated by the latest timeline line that reached it.
func progressOf(d *grievance.OrderDetail, _ string) []progressStep {
	cur := 0
	for i, st := range progressStages {
		for _, s := range st.statuses {
			if string(d.Status) == s {
				cur = i
			}
		}
	}
	out := make([]progressStep, len(progressStages))
	for i, st := range progressStages {
		out[i] = progressStep{Key: st.key, Done: i < cur || (i == cur && i == len(progressStages)-1), Current: i == cur}
		if i > cur {
			continue // a later step reached before a reopen is not where the order stands
		}
		for j := range d.Timeline {
			for _, a := range st.actions {
				if d.Timeline[j].Action == a {
					t := d.Timeline[j].At
					out[i].At = &t
				}
			}
		}
	}
	return out
}
