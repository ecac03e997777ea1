// Package static holds the portal's stylesheets, scripts and images, embedded in the binary so
// running it needs no front-end build step.
package static

import "embed"

// FS is the static file tree served under /static.
//
//go:embed css js img
var FS embed.FS
