package notify

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"

	"qijian/internal/message"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// One set per language; a kind group may override a part ("email.body.inspection"), else the
// generic part is used, so a new kind needs no template to be sent.
var templates = map[string]*template.Template{
	"zh": template.Must(template.ParseFS(templateFS, "templates/zh.tmpl")),
	"en": template.Must(template.ParseFS(templateFS, "templates/en.tmpl")),
}

// View is what a template sees.
type View struct {
	Name     string // the person's display name
	Title    string // in the person's language
	Body     string
	URL      string // absolute link to the subject, or empty
	Settings string // absolute link to the notification settings
}

// Render fills part ("sms", "email.subject", "email.body") for kind in lang (zh unless "en").
func Render(lang, part, kind string, v View) (string, error) {
	t := templates["zh"]
	if lang == "en" {
		t = templates["en"]
	}
	name := part
	if o := t.Lookup(part + "." + message.Group(kind)); o != nil {
		name = o.Name()
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, v); err != nil {
		return "", fmt.Errorf("notify: render %s for %s: %w", name, kind, err)
	}
	return strings.TrimSpace(b.String()), nil
}
