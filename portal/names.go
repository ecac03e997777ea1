package portal

import (
	"html/template"

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
