package portal

func init() {
	for k, v := range map[string][2]string{
		"err.length_required":  {"请求须注明长度（Content-Length），不接受分块上传", "The request must state its length (Content-Length); chunked bodies are not accepted"},
		"err.content_encoding": {"请求体不得压缩（Content-Encoding）", "Request bodies must not be compressed (Content-Encoding)"},
		"err.body_too_large":   {"请求内容过大", "The request body is too large"},
	} {
		messages[k] = v
	}
}
