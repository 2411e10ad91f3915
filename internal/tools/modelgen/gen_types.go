package main

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// methodNames are the methods generated on structures; a member of the same
// name would not compile.
var methodNames = []string{"Validate", "ValidateAt", "LogValue", "String"}

// typesFile declares a struct per structure shape and constants per enum.
func (g *generator) typesFile() []byte {
	var b bytes.Buffer
	for _, name := range g.structs {
		if !g.exceptionOnly(name) {
			g.writeStruct(&b, name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(g.m.Shapes)) {
		if s := g.shape(name); s.Type == "string" && len(s.Enum) > 0 {
			fmt.Fprintf(&b, "// Values of the %s enum.\nconst (\n", name)
			for _, v := range s.Enum {
				g.declare(enumConst(name, v), fmt.Sprintf("enum value %s.%s", name, v))
				fmt.Fprintf(&b, "\t%s = %s\n", enumConst(name, v), goString(v))
			}
			b.WriteString(")\n\n")
		}
	}
	return g.goFile("", b.String(), "")
}

func (g *generator) describe(name string) string {
	s := g.shape(name)
	switch {
	case len(g.roles[name]) > 0:
		return fmt.Sprintf("// %s is %s.\n", name, strings.Join(g.roles[name], " and "))
	case s.Exception:
		return fmt.Sprintf("// %s is the body of the %s error.\n", name, name)
	}
	return fmt.Sprintf("// %s is the %s shape %s.\n", name, g.service, name)
}

func (g *generator) writeStruct(b *bytes.Buffer, name string) {
	s := g.shape(name)
	g.declare(name, "shape "+name)
	b.WriteString(g.describe(name))
	if s.Sensitive {
		b.WriteString("//\n// All of its members are sensitive.\n")
	}
	fmt.Fprintf(b, "type %s struct {\n", name)
	for _, m := range s.Members {
		field := exported(m.Name)
		if slices.Contains(methodNames, field) {
			g.failf("shape %s: member %s clashes with a generated method", name, m.Name)
		}
		if g.shape(m.Shape).Sensitive {
			fmt.Fprintf(b, "\t// %s is sensitive: it is redacted from logs and validation messages.\n", field)
		}
		if m.Deprecated {
			msg := m.DeprecatedMessage
			if msg == "" {
				msg = "the model marks this member deprecated."
			}
			fmt.Fprintf(b, "\t//\n\t// Deprecated: %s\n", msg)
		}
		if g.query {
			fmt.Fprintf(b, "\t%s %s `query:\"%s\"`\n", field, g.goType(m.Shape, false), m.Name)
			continue
		}
		fmt.Fprintf(b, "\t%s %s `json:\"%s,%s\"`\n", field, g.goType(m.Shape, false), m.Name, g.omitOption(m.Shape))
	}
	b.WriteString("}\n\n")
	if g.sensitive(name) {
		g.writeLogValue(b, name)
	}
}

// writeLogValue makes a structure holding sensitive data safe to log and
// to print: sensitive members show as awsjson.Redacted.
func (g *generator) writeLogValue(b *bytes.Buffer, name string) {
	s := g.shape(name)
	// Value receivers, so that values inside slices and maps are covered too.
	fmt.Fprintf(b, "// LogValue implements slog.LogValuer, redacting sensitive members.\nfunc (x %s) LogValue() slog.Value {\n", name)
	fmt.Fprintf(b, "\tattrs := make([]slog.Attr, 0, %d)\n", len(s.Members))
	for _, m := range s.Members {
		field := "x." + exported(m.Name)
		ms := g.shape(m.Shape)
		present := g.presentExpr(field, m.Shape)
		var attr string
		switch {
		case s.Sensitive || ms.Sensitive:
			attr = fmt.Sprintf("slog.String(%q, awsjson.Redacted)", m.Name)
		default:
			attr = g.logAttr(m.Name, field, m.Shape)
		}
		fmt.Fprintf(b, "\tif %s {\n\t\tattrs = append(attrs, %s)\n\t}\n", present, attr)
	}
	b.WriteString("\treturn slog.GroupValue(attrs...)\n}\n\n")
	fmt.Fprintf(b, "// String prints x with its sensitive members redacted.\nfunc (x %s) String() string { return x.LogValue().String() }\n\n", name)
}

// presentExpr is a Go condition that holds when the member has a value.
func (g *generator) presentExpr(field, shapeName string) string {
	switch s := g.shape(shapeName); s.Type {
	case "string":
		return field + ` != ""`
	}
	return field + " != nil"
}

func (g *generator) logAttr(key, field, shapeName string) string {
	s := g.shape(shapeName)
	switch s.Type {
	case "string":
		return fmt.Sprintf("slog.String(%q, %s)", key, field)
	case "integer", "long":
		return fmt.Sprintf("slog.Int64(%q, int64(*%s))", key, field)
	case "boolean":
		return fmt.Sprintf("slog.Bool(%q, *%s)", key, field)
	case "double", "float":
		return fmt.Sprintf("slog.Float64(%q, float64(*%s))", key, field)
	case "timestamp":
		if g.query {
			return fmt.Sprintf("slog.Time(%q, *%s)", key, field)
		}
		return fmt.Sprintf("slog.Time(%q, %s.Time)", key, field)
	case "structure":
		if s.Document {
			return fmt.Sprintf("slog.String(%q, string(%s))", key, field)
		}
		return fmt.Sprintf("slog.Any(%q, %s)", key, field)
	case "list":
		if el := g.shape(s.Member.Shape); g.sensitive(s.Member.Shape) {
			if el.Type == "structure" && !el.Sensitive {
				return fmt.Sprintf("slog.Attr{Key: %q, Value: awsjson.LogList(%s)}", key, field)
			}
			return fmt.Sprintf("slog.String(%q, awsjson.Redacted)", key)
		}
	case "map":
		if g.sensitive(s.Key.Shape) {
			return fmt.Sprintf("slog.String(%q, awsjson.Redacted)", key)
		}
		if el := g.shape(s.Value.Shape); g.sensitive(s.Value.Shape) {
			if el.Type == "structure" && !el.Sensitive {
				return fmt.Sprintf("slog.Attr{Key: %q, Value: awsjson.LogMap(%s)}", key, field)
			}
			return fmt.Sprintf("slog.String(%q, awsjson.Redacted)", key)
		}
	}
	return fmt.Sprintf("slog.Any(%q, %s)", key, field)
}
