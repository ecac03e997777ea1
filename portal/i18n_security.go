package portal

func init() {
	for k, v := range map[string][2]string{
		"err.content_type": {"请求体须为 JSON（Content-Type: application/json）", "The body must be JSON (Content-Type: application/json)"},
	} {
		messages[k] = v
	}
}
