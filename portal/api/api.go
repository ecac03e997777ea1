// Package api holds the JSON API's request and response types: the public contract, in
// snake_case, from which the OpenAPI document is generated. Handlers build these from what the
// use cases return; nothing here reads the database. A field's doc:"…" tag describes it in the
// document; validate:"…" rules become its enum and bounds.
package api

// List is the envelope of every list answer.
type List[T any] struct {
	Items []T `json:"items"`
}

// ListOf wraps items, never as null.
func ListOf[T any](items []T) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items}
}

// ID names the object a path is about (/complaints/{id}).
type ID struct {
	ID uint64 `param:"id"`
}
