package main

import (
	"bytes"
	"fmt"
	"go/format"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// generator turns one service model into Go source files.
type generator struct {
	m          *model
	service    string // botocore name, e.g. cognito-idp
	pkg        string
	prefix     string // X-Amz-Target prefix
	provenance string // what the files were generated from, for headers
	awsjson    string // import paths
	apierr     string

	structs    []string        // structure shapes, sorted
	inputs     map[string]bool // shapes reachable from an operation input
	roles      map[string][]string
	needsMemo  map[string]bool
	sensMemo   map[string]bool
	rules      map[string]bool   // shapes whose rule variable is used
	patternVar map[string]string // Java pattern -> variable
	skipped    map[string]string // Java pattern -> why it is not checked
	declared   map[string]string // package-level identifier -> what declared it
	limits     map[string]limit  // Cognate's limits applied to the model, for comments
	unenforced map[string]string // patterns Cognate left out, with why, for comments
	warnings   []string
	query      bool   // the query protocol (IAM, STS) rather than AWS JSON
	queryPkg   string // import path of internal/wire/query
}

// genError aborts generation; run recovers it into an error.
type genError struct{ err error }

func (g *generator) failf(format string, args ...any) {
	panic(genError{fmt.Errorf(format, args...)})
}

func newGenerator(m *model, service, pkg, prefix, provenance string) *generator {
	g := &generator{
		m: m, service: service, pkg: pkg, prefix: prefix, provenance: provenance,
		awsjson:    "github.com/cognate-auth/cognate/internal/wire/awsjson",
		apierr:     "github.com/cognate-auth/cognate/internal/apierr",
		inputs:     make(map[string]bool),
		roles:      make(map[string][]string),
		needsMemo:  make(map[string]bool),
		sensMemo:   make(map[string]bool),
		rules:      make(map[string]bool),
		patternVar: make(map[string]string),
		skipped:    make(map[string]string),
		declared:   make(map[string]string),
	}
	for _, name := range slices.Sorted(maps.Keys(m.Shapes)) {
		if m.Shapes[name].Type == "structure" && !m.Shapes[name].Document {
			g.structs = append(g.structs, name)
		}
	}
	for _, name := range g.opNames() {
		op := m.Operations[name]
		g.markInput(op.Input.Shape)
		g.roles[op.Input.Shape] = append(g.roles[op.Input.Shape], "the input of "+name)
		if op.Output != nil {
			g.roles[op.Output.Shape] = append(g.roles[op.Output.Shape], "the output of "+name)
		}
	}
	return g
}

// declare reserves a package-level identifier, so that two model names
// mapping to the same Go name fail generation rather than compilation.
func (g *generator) declare(ident, what string) {
	if prev, ok := g.declared[ident]; ok && prev != what {
		g.failf("%s and %s would both declare %s", prev, what, ident)
	}
	g.declared[ident] = what
}

func (g *generator) opNames() []string { return slices.Sorted(maps.Keys(g.m.Operations)) }

func (g *generator) markInput(name string) {
	if g.inputs[name] {
		return
	}
	g.inputs[name] = true
	for _, r := range g.m.Shapes[name].refs() {
		g.markInput(r.Shape)
	}
}

func (g *generator) shape(name string) *shape { return g.m.Shapes[name] }

// goType is the Go type of a value of the named shape: as a structure member
// when elem is false (optional scalars and structures are pointers), as a
// list or map element when elem is true.
func (g *generator) goType(name string, elem bool) string {
	s := g.shape(name)
	ptr := func(t string) string {
		if elem {
			return t
		}
		return "*" + t
	}
	switch s.Type {
	case "string":
		return "string"
	case "integer":
		return ptr("int32")
	case "long":
		return ptr("int64")
	case "boolean":
		return ptr("bool")
	case "double":
		return ptr("float64")
	case "float":
		return ptr("float32")
	case "blob":
		return "[]byte"
	case "timestamp":
		if g.query {
			return ptr("time.Time")
		}
		return ptr("awsjson.Timestamp")
	case "list":
		return "[]" + g.goType(s.Member.Shape, true)
	case "map":
		return "map[string]" + g.goType(s.Value.Shape, true)
	case "structure":
		if s.Document {
			return "json.RawMessage"
		}
		return ptr(name)
	}
	g.failf("shape %s: type %q is not supported", name, s.Type)
	return ""
}

// omitOption leaves absent members out of responses. Lists, maps and blobs
// use omitzero, so that an empty but non-nil list is still written as []
// when the service means "none", as Cognito does.
func (g *generator) omitOption(name string) string {
	switch s := g.shape(name); s.Type {
	case "list", "map", "blob":
		return "omitzero"
	case "structure":
		if s.Document {
			return "omitzero"
		}
	}
	return "omitempty"
}

// needsCheck reports whether values of the shape can violate the model.
func (g *generator) needsCheck(name string) bool {
	if v, ok := g.needsMemo[name]; ok {
		return v
	}
	g.needsMemo[name] = false // cycles add nothing
	s := g.shape(name)
	var v bool
	switch s.Type {
	case "string":
		v = s.Min != nil || s.Max != nil || s.Pattern != "" || len(s.Enum) > 0
	case "integer", "long", "blob":
		v = s.Min != nil || s.Max != nil
	case "list":
		v = s.Min != nil || s.Max != nil || g.needsCheck(s.Member.Shape)
	case "map":
		v = s.Min != nil || s.Max != nil || g.needsCheck(s.Key.Shape) || g.needsCheck(s.Value.Shape)
	case "structure":
		v = len(s.Required) > 0
		for _, m := range s.Members {
			v = v || g.needsCheck(m.Shape)
		}
	default:
		if s.Min != nil || s.Max != nil {
			g.failf("shape %s: limits on a %s are not supported", name, s.Type)
		}
	}
	g.needsMemo[name] = v
	return v
}

// sensitive reports whether values of the shape hold sensitive data.
func (g *generator) sensitive(name string) bool {
	if v, ok := g.sensMemo[name]; ok {
		return v
	}
	g.sensMemo[name] = false
	s := g.shape(name)
	v := s.Sensitive
	for _, r := range s.refs() {
		v = v || g.sensitive(r.Shape)
	}
	g.sensMemo[name] = v
	return v
}

// goFile assembles a formatted Go file from its body, importing what the
// body uses.
func (g *generator) goFile(doc, body string, extraHeader string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by modelgen from %s. DO NOT EDIT.\n\n", g.provenance)
	if extraHeader != "" {
		b.WriteString(extraHeader)
	}
	if doc != "" {
		b.WriteString(doc)
	}
	fmt.Fprintf(&b, "package %s\n\n", g.pkg)
	var std, local []string
	for _, imp := range []struct{ use, path string }{
		{"context.", "context"},
		{"json.RawMessage", "encoding/json"},
		{"regexp.", "regexp"},
		{"slog.", "log/slog"},
	} {
		if strings.Contains(body, imp.use) {
			std = append(std, imp.path)
		}
	}
	if g.query && strings.Contains(body, "time.Time") {
		std = append(std, "time")
		slices.Sort(std)
	}
	if strings.Contains(body, "awsjson.") {
		local = append(local, g.awsjson)
	}
	if g.query && strings.Contains(body, "query.") {
		local = append(local, g.queryPkg)
	}
	if strings.Contains(body, "apierr.") {
		local = append(local, g.apierr)
	}
	if len(std)+len(local) > 0 {
		b.WriteString("import (\n")
		for _, p := range std {
			fmt.Fprintf(&b, "\t%q\n", p)
		}
		if len(std) > 0 && len(local) > 0 {
			b.WriteString("\n")
		}
		for _, p := range local {
			fmt.Fprintf(&b, "\t%q\n", p)
		}
		b.WriteString(")\n\n")
	}
	b.WriteString(body)
	out, err := format.Source(b.Bytes())
	if err != nil {
		g.failf("formatting generated code: %v\n%s", err, numbered(b.String()))
	}
	return out
}

func numbered(src string) string {
	var b strings.Builder
	for i, line := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%5d %s\n", i+1, line)
	}
	return b.String()
}

// goString quotes s as a Go string literal, raw when it holds backslashes,
// as patterns do.
func goString(s string) string {
	if strings.ContainsAny(s, "\\\"") && strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
