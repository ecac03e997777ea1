package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

// The OpenAPI document is generated at start from the API routes and the request and response
// types their endpoints carry (endpoint.go), then validated: the description is the code's own.

// OpenAPI returns the API description (tests validate it and check it against the route table).
func (s *Server) OpenAPI() []byte { return s.openAPIDoc }

func (s *Server) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(s.openAPIDoc)
}

// errorSchema is the one error body handleError writes.
var errorSchema = &openapi3.Schema{
	Type:     &openapi3.Types{"object"},
	Required: []string{"error"},
	Properties: openapi3.Schemas{"error": openapi3.NewSchemaRef("", &openapi3.Schema{
		Type:     &openapi3.Types{"object"},
		Required: []string{"code", "message"},
		Properties: openapi3.Schemas{
			"code":    described(openapi3.NewStringSchema(), "stable machine code, e.g. not_found, validation, slot_full"),
			"message": described(openapi3.NewStringSchema(), "in the caller's language"),
			"fields":  described(openapi3.NewObjectSchema().WithAdditionalProperties(openapi3.NewStringSchema()), "the request fields at fault, each with its message"),
		},
	})},
}

// buildOpenAPI writes the document for the routes registered with handle.
func (s *Server) buildOpenAPI() ([]byte, error) {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{Title: "Qijian 企检 API", Version: "1.0.0",
			Description: "Enterprise-facing portal and grievance system for administrative inspections in Wenzhou. Authenticate with POST /auth/token, then send Authorization: Bearer <token>."},
		Servers: openapi3.Servers{{URL: "/api/v1"}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas:         openapi3.Schemas{"Error": openapi3.NewSchemaRef("", errorSchema)},
			SecuritySchemes: openapi3.SecuritySchemes{"bearer": &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme().WithBearerFormat("opaque")}},
		},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}},
	}
	errRef := &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("error").
		WithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/Error", errorSchema))}
	for _, r := range s.apiRoutes {
		path := openAPIPath(r.path)
		item := doc.Paths.Value(path)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(path, item)
		}
		op := openapi3.NewOperation()
		op.Summary = r.doc.summary
		op.OperationID = operationID(r.method, path)
		if r.doc.tag != "" {
			op.Tags = []string{r.doc.tag}
		}
		if r.doc.public {
			op.Security = &openapi3.SecurityRequirements{}
		}
		if r.ep.params != nil {
			params, err := parametersOf(r.ep.params)
			if err != nil {
				return nil, fmt.Errorf("openapi: %s %s: %w", r.method, r.path, err)
			}
			op.Parameters = params
		}
		for _, name := range pathParams(r.path) {
			if !slices.ContainsFunc(op.Parameters, func(p *openapi3.ParameterRef) bool { return p.Value.In == "path" && p.Value.Name == name }) {
				op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema())})
			}
		}
		if keyedRoutes[r.method+" "+r.path] {
			op.Parameters = append(op.Parameters, idempotencyHeader())
		}
		if r.ep.body != nil {
			sch, err := schemaOf(r.ep.body, true)
			if err != nil {
				return nil, fmt.Errorf("openapi: %s %s body: %w", r.method, r.path, err)
			}
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(sch)}
		}
		ok := openapi3.NewResponse().WithDescription(statusText(r.ep.status))
		switch {
		case r.ep.raw == fiber.MIMEApplicationJSON: // a JSON file served whole (this document)
			ok.WithJSONSchema(openapi3.NewObjectSchema())
		case r.ep.raw != "":
			ok.WithContent(openapi3.Content{r.ep.raw: &openapi3.MediaType{Schema: openapi3.NewSchemaRef("", openapi3.NewStringSchema())}})
		case r.ep.out != nil:
			sch, err := schemaOf(r.ep.out, false)
			if err != nil {
				return nil, fmt.Errorf("openapi: %s %s response: %w", r.method, r.path, err)
			}
			ok.WithJSONSchemaRef(sch)
		}
		op.Responses = openapi3.NewResponses()
		if r.ep.raw == fiber.MIMEApplicationJSON {
			op.Responses.Set("default", &openapi3.ResponseRef{Value: ok}) // untyped: any status, any JSON
		} else {
			op.Responses.Set(strconv.Itoa(r.ep.status), &openapi3.ResponseRef{Value: ok})
			for _, st := range r.ep.more {
				alt := *ok
				alt.Description = openapi3.Ptr(statusText(st))
				op.Responses.Set(strconv.Itoa(st), &openapi3.ResponseRef{Value: &alt})
			}
			op.Responses.Set("default", errRef)
		}
		item.SetOperation(r.method, op)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: the generated document is not valid: %w", err)
	}
	return json.MarshalIndent(doc, "", "  ")
}

func described(s *openapi3.Schema, d string) *openapi3.SchemaRef {
	s.Description = d
	return s.NewRef()
}

func statusText(code int) string {
	if t := utils.StatusMessage(code); t != "" {
		return t
	}
	return "OK"
}

// openAPIPath writes /complaints/:id as /complaints/{id}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + strings.TrimSuffix(s[1:], "?") + "}"
		}
	}
	return strings.Join(parts, "/")
}

func pathParams(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if strings.HasPrefix(s, ":") {
			out = append(out, strings.TrimSuffix(s[1:], "?"))
		}
	}
	return out
}

func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.Split(path, "/") {
		part = strings.Trim(part, "{}")
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == '_' || r == '-' || r == '.' }) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// parametersOf documents a parameter struct's path and query fields.
func parametersOf(t reflect.Type) (openapi3.Parameters, error) {
	var out openapi3.Parameters
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			more, err := parametersOf(sf.Type)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
			continue
		}
		var p *openapi3.Parameter
		if name := sf.Tag.Get("param"); name != "" {
			p = openapi3.NewPathParameter(name)
		} else if name := strings.SplitN(sf.Tag.Get("query"), ",", 2)[0]; name != "" && name != "-" {
			p = openapi3.NewQueryParameter(name)
			p.Required = hasRule(sf.Tag, "required")
		} else {
			continue
		}
		sch, err := fieldSchema(sf)
		if err != nil {
			return nil, err
		}
		p.Schema = sch
		p.Description = sf.Tag.Get("doc")
		if sch.Value != nil && sch.Value.Type.Is("array") {
			p.Explode = openapi3.Ptr(true)
		}
		out = append(out, &openapi3.ParameterRef{Value: p})
	}
	return out, nil
}

func fieldSchema(sf reflect.StructField) (*openapi3.SchemaRef, error) {
	ref, err := openapi3gen.NewSchemaRefForValue(reflect.New(sf.Type).Elem().Interface(), nil, openapi3gen.SchemaCustomizer(customize(false)))
	if err != nil {
		return nil, err
	}
	applyRules(ref.Value, sf.Tag)
	return ref, nil
}

// schemaOf is the JSON schema of a request body or response type. In a request, the fields the
// validator requires are required; in a response, every field without omitempty is (it is
// always written).
func schemaOf(t reflect.Type, request bool) (*openapi3.SchemaRef, error) {
	return openapi3gen.NewSchemaRefForValue(reflect.New(t).Elem().Interface(), nil, openapi3gen.SchemaCustomizer(customize(request)))
}

// customize adds what the Go types alone do not say: validation rules as enum and bounds,
// descriptions from doc:"…" tags, and which fields are required.
func customize(request bool) openapi3gen.SchemaCustomizerFn {
	return func(_ string, t reflect.Type, tag reflect.StructTag, sch *openapi3.Schema) error {
		applyRules(sch, tag)
		if d := tag.Get("doc"); d != "" {
			sch.Description = d
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() == "time" {
			return nil
		}
		sch.Required = requiredOf(t, request)
		return nil
	}
}

// requiredOf lists the JSON names of t's required fields: those the validator requires in a
// request, those always written (no omitempty) in a response. An embedded struct's fields count
// as t's own, as encoding/json writes them.
func requiredOf(t reflect.Type, request bool) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if sf.Anonymous && name == "" {
			ft := sf.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, requiredOf(ft, request)...)
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if request && hasRule(sf.Tag, "required") || !request && !strings.Contains(opts, "omitempty") {
			out = append(out, name)
		}
	}
	return out
}

// hasRule tells whether the validate tag holds rule (as a whole rule, not a prefix).
func hasRule(tag reflect.StructTag, rule string) bool {
	for _, r := range strings.Split(tag.Get("validate"), ",") {
		if r == rule {
			return true
		}
	}
	return false
}

// applyRules turns validate rules into schema keywords: oneof → enum, min/max → length or bounds.
func applyRules(sch *openapi3.Schema, tag reflect.StructTag) {
	if sch == nil {
		return
	}
	rules := strings.Split(tag.Get("validate"), ",")
	if i := slices.Index(rules, "dive"); i >= 0 {
		if sch.Items != nil && sch.Items.Value != nil {
			applyRuleList(sch.Items.Value, rules[i+1:])
		}
		rules = rules[:i]
	}
	applyRuleList(sch, rules)
}

func applyRuleList(sch *openapi3.Schema, rules []string) {
	for _, r := range rules {
		name, arg, _ := strings.Cut(r, "=")
		n, nerr := strconv.ParseUint(arg, 10, 64)
		switch {
		case name == "oneof":
			sch.Enum = nil
			for _, v := range strings.Fields(arg) {
				if sch.Type.Is("integer") {
					if k, err := strconv.Atoi(v); err == nil {
						sch.Enum = append(sch.Enum, k)
						continue
					}
				}
				sch.Enum = append(sch.Enum, v)
			}
		case (name == "min" || name == "max") && nerr == nil:
			switch {
			case sch.Type.Is("string"):
				if name == "min" {
					sch.MinLength = n
				} else {
					sch.MaxLength = openapi3.Ptr(n)
				}
			case sch.Type.Is("array"):
				if name == "min" {
					sch.MinItems = n
				} else {
					sch.MaxItems = openapi3.Ptr(n)
				}
			case sch.Type.Is("integer"), sch.Type.Is("number"):
				f := float64(n)
				if name == "min" {
					sch.Min = &f
				} else {
					sch.Max = &f
				}
			}
		}
	}
}
