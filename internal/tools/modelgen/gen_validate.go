package main

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// validateFile gives every structure reachable from an operation input a
// ValidateAt method, checking members in the model's order, and a Validate
// method; the rules they use are package variables, their regular
// expressions compiled once at init.
func (g *generator) validateFile() []byte {
	var methods bytes.Buffer
	for _, name := range g.structs {
		if g.inputs[name] {
			g.writeValidate(&methods, name)
		}
	}
	var b bytes.Buffer
	g.writePatterns(&b)
	g.writeRules(&b)
	b.Write(methods.Bytes())
	return g.goFile("", b.String(), "")
}

func (g *generator) writeValidate(b *bytes.Buffer, name string) {
	s := g.shape(name)
	if g.query {
		fmt.Fprintf(b, "// Validate checks x against the %s model and returns nil or a\n", g.service)
		b.WriteString("// ValidationError listing every violation. An empty required string\n// counts as missing.\n")
		fmt.Fprintf(b, "func (x *%s) Validate() error { return query.Check(x) }\n\n", name)
	} else {
		fmt.Fprintf(b, "// Validate checks x against the %s model and returns nil or an\n", g.service)
		b.WriteString("// InvalidParameterException listing every violation. An empty required\n// string counts as missing.\n")
		fmt.Fprintf(b, "func (x *%s) Validate() error { return awsjson.Check(x) }\n\n", name)
	}
	fmt.Fprintf(b, "// ValidateAt records the violations of the %s model by x, found at p.\n", g.service)
	if !g.needsCheck(name) {
		fmt.Fprintf(b, "func (x *%s) ValidateAt(*awsjson.Validation, awsjson.Path) {}\n\n", name)
		return
	}
	fmt.Fprintf(b, "func (x *%s) ValidateAt(v *awsjson.Validation, p awsjson.Path) {\n", name)
	if s.Sensitive {
		b.WriteString("\tp = p.Redacted()\n")
	}
	c := &checkWriter{g: g, b: b}
	for _, m := range s.Members {
		c.check("x."+exported(m.Name), m.Shape, fmt.Sprintf("p.Member(%q)", m.Name), s.required(m.Name), false, 1)
	}
	b.WriteString("}\n\n")
}

// checkWriter writes the checks of one value; depth names loop variables.
type checkWriter struct {
	g *generator
	b *bytes.Buffer
}

func (c *checkWriter) line(depth int, format string, args ...any) {
	c.b.WriteString(strings.Repeat("\t", depth))
	fmt.Fprintf(c.b, format, args...)
	c.b.WriteByte('\n')
}

// check writes the checks of expr, a value of shapeName at path. elem says
// expr is a list element or map value: structures are then values, not
// pointers, and scalars cannot be missing.
func (c *checkWriter) check(expr, shapeName, path string, required, elem bool, depth int) {
	g := c.g
	s := g.shape(shapeName)
	if !required && !g.needsCheck(shapeName) {
		return
	}
	switch s.Type {
	case "string":
		c.line(depth, "v.String(%s, %s, %t, %s)", path, expr, required, g.stringRule(shapeName))
	case "integer", "long":
		method := map[string]string{"integer": "Int32", "long": "Int64"}[s.Type]
		if elem {
			g.failf("shape %s: limits on list members of type %s are not supported", shapeName, s.Type)
		}
		c.line(depth, "v.%s(%s, %s, %t, %s)", method, path, expr, required, g.intRule(shapeName))
	case "blob":
		if elem && g.needsCheck(shapeName) {
			g.failf("shape %s: limits on blobs in lists or maps are not supported", shapeName)
		}
		if !elem {
			c.line(depth, "v.Blob(%s, %s, %t, %s)", path, expr, required, g.sizeRule(shapeName))
		}
	case "boolean", "double", "float", "timestamp":
		if !elem {
			c.line(depth, "if %s == nil {\n%sv.Null(%s)\n%s}", expr, tabs(depth+1), path, tabs(depth))
		}
	case "structure":
		c.checkStruct(expr, shapeName, path, required, elem, depth)
	case "list":
		c.checkList(expr, shapeName, path, required, depth)
	case "map":
		c.checkMap(expr, shapeName, path, required, depth)
	default:
		g.failf("shape %s: type %q is not supported", shapeName, s.Type)
	}
}

func tabs(n int) string { return strings.Repeat("\t", n) }

func (c *checkWriter) checkStruct(expr, shapeName, path string, required, elem bool, depth int) {
	s := c.g.shape(shapeName)
	needs := !s.Document && c.g.needsCheck(shapeName)
	switch {
	case elem:
		if needs {
			c.line(depth, "%s.ValidateAt(v, %s)", expr, path)
		}
	case needs && required:
		c.line(depth, "if %s != nil {\n%s%s.ValidateAt(v, %s)\n%s} else {\n%sv.Null(%s)\n%s}",
			expr, tabs(depth+1), expr, path, tabs(depth), tabs(depth+1), path, tabs(depth))
	case needs:
		c.line(depth, "if %s != nil {\n%s%s.ValidateAt(v, %s)\n%s}", expr, tabs(depth+1), expr, path, tabs(depth))
	case required:
		c.line(depth, "if %s == nil {\n%sv.Null(%s)\n%s}", expr, tabs(depth+1), path, tabs(depth))
	}
}

func (c *checkWriter) checkList(expr, shapeName, path string, required bool, depth int) {
	g := c.g
	s := g.shape(shapeName)
	el := s.Member.Shape
	rule := g.listRule(shapeName)
	if g.shape(el).Type == "string" {
		c.line(depth, "v.StringList(%s, %s, %t, %s)", path, expr, required, rule)
		return
	}
	if !g.needsCheck(el) {
		c.line(depth, "v.List(%s, len(%s), %s == nil, %t, %s)", path, expr, expr, required, rule)
		return
	}
	p, i := fmt.Sprintf("p%d", depth), fmt.Sprintf("i%d", depth)
	c.line(depth, "{")
	c.line(depth+1, "%s := %s", p, path)
	c.line(depth+1, "if v.List(%s, len(%s), %s == nil, %t, %s) {", p, expr, expr, required, rule)
	c.line(depth+2, "for %s := range %s {", i, expr)
	c.check(fmt.Sprintf("%s[%s]", expr, i), el, fmt.Sprintf("%s.Index(%s)", p, i), false, true, depth+3)
	c.line(depth+2, "}")
	c.line(depth+1, "}")
	c.line(depth, "}")
}

func (c *checkWriter) checkMap(expr, shapeName, path string, required bool, depth int) {
	g := c.g
	s := g.shape(shapeName)
	val := s.Value.Shape
	rule := g.mapRule(shapeName)
	if g.shape(val).Type == "string" {
		c.line(depth, "v.StringMap(%s, %s, %t, %s)", path, expr, required, rule)
		return
	}
	p, k, e, keys := fmt.Sprintf("p%d", depth), fmt.Sprintf("k%d", depth), fmt.Sprintf("e%d", depth), fmt.Sprintf("keys%d", depth)
	c.line(depth, "{")
	c.line(depth+1, "%s := %s", p, path)
	c.line(depth+1, "%s := awsjson.SortedKeys(%s)", keys, expr)
	if !g.needsCheck(val) {
		c.line(depth+1, "v.Map(%s, %s, %s == nil, %t, %s)", p, keys, expr, required, rule)
		c.line(depth, "}")
		return
	}
	c.line(depth+1, "if v.Map(%s, %s, %s == nil, %t, %s) {", p, keys, expr, required, rule)
	c.line(depth+2, "for _, %s := range %s {", k, keys)
	c.line(depth+3, "%s := %s[%s]", e, expr, k)
	c.check(e, val, fmt.Sprintf("%s.Key(%s)", p, k), false, true, depth+3)
	c.line(depth+2, "}")
	c.line(depth+1, "}")
	c.line(depth, "}")
}

// ruleVar names the rule variable of a shape.
func ruleVar(shapeName string) string { return "rule" + shapeName }

func (g *generator) stringRule(name string) string {
	s := g.shape(name)
	if s.Min == nil && s.Max == nil && s.Pattern == "" && len(s.Enum) == 0 {
		return "nil"
	}
	g.rules[name] = true
	if s.Pattern != "" {
		g.pattern(s.Pattern, name)
	}
	return ruleVar(name)
}

func (g *generator) intRule(name string) string {
	s := g.shape(name)
	if s.Min == nil && s.Max == nil {
		return "nil"
	}
	g.rules[name] = true
	return ruleVar(name)
}

func (g *generator) sizeRule(name string) string {
	s := g.shape(name)
	if s.Min == nil && s.Max == nil {
		return "nil"
	}
	g.rules[name] = true
	return ruleVar(name)
}

func (g *generator) listRule(name string) string {
	s := g.shape(name)
	el := g.shape(s.Member.Shape)
	member := "nil"
	if el.Type == "string" {
		member = g.stringRule(s.Member.Shape)
	} else if el.Type != "structure" && el.Type != "list" && el.Type != "map" && g.needsCheck(s.Member.Shape) {
		g.failf("shape %s: constraints on members of type %s are not supported", name, el.Type)
	}
	if s.Min == nil && s.Max == nil && member == "nil" {
		return "nil"
	}
	g.rules[name] = true
	return ruleVar(name)
}

func (g *generator) mapRule(name string) string {
	s := g.shape(name)
	key := g.stringRule(s.Key.Shape)
	value := "nil"
	if g.shape(s.Value.Shape).Type == "string" {
		value = g.stringRule(s.Value.Shape)
	}
	if s.Min == nil && s.Max == nil && key == "nil" && value == "nil" {
		return "nil"
	}
	g.rules[name] = true
	return ruleVar(name)
}

// pattern registers a model pattern and returns the variable holding its
// compiled form, or "" if it cannot be checked.
func (g *generator) pattern(java, shapeName string) string {
	if v, ok := g.patternVar[java]; ok {
		return v
	}
	if _, ok := g.skipped[java]; ok {
		return ""
	}
	if _, err := translatePattern(java); err != nil {
		g.skipped[java] = err.Error()
		g.warnings = append(g.warnings, fmt.Sprintf("pattern %q of %s is not checked: %v", java, shapeName, err))
		return ""
	}
	v := "pattern" + shapeName
	g.declare(v, "the pattern of "+shapeName)
	g.patternVar[java] = v
	return v
}

func (g *generator) writePatterns(b *bytes.Buffer) {
	if len(g.patternVar) == 0 {
		return
	}
	b.WriteString("// The model's patterns as RE2 expressions matching whole values.\nvar (\n")
	for _, java := range slices.SortedFunc(maps.Keys(g.patternVar), func(a, b string) int {
		return strings.Compare(g.patternVar[a], g.patternVar[b])
	}) {
		re, _ := translatePattern(java)
		fmt.Fprintf(b, "\t// %s\n\t%s = regexp.MustCompile(%s)\n", java, g.patternVar[java], goString(re))
	}
	b.WriteString(")\n\n")
}

func (g *generator) writeRules(b *bytes.Buffer) {
	b.WriteString("// Constraints of the model's shapes.\n")
	g.writeLimitNotes(b)
	g.writeUnenforcedNotes(b)
	b.WriteString("var (\n")
	for _, name := range slices.Sorted(maps.Keys(g.rules)) {
		s := g.shape(name)
		g.declare(ruleVar(name), "the rule of "+name)
		var fields []string
		if s.Min != nil {
			fields = append(fields, fmt.Sprintf("Min: awsjson.Bound(%d)", *s.Min))
		}
		if s.Max != nil {
			fields = append(fields, fmt.Sprintf("Max: awsjson.Bound(%d)", *s.Max))
		}
		var typ string
		switch s.Type {
		case "string":
			typ = "StringRule"
			if s.Pattern != "" {
				fields = append(fields, "Pattern: "+goString(s.Pattern))
				if v := g.patternVar[s.Pattern]; v != "" {
					fields = append(fields, "Regexp: "+v)
				}
			}
			if len(s.Enum) > 0 {
				quoted := make([]string, len(s.Enum))
				for i, e := range s.Enum {
					quoted[i] = goString(e)
				}
				fields = append(fields, "Enum: []string{"+strings.Join(quoted, ", ")+"}")
			}
			if s.Sensitive {
				fields = append(fields, "Sensitive: true")
			}
		case "integer", "long":
			typ = "IntRule"
		case "blob":
			typ = "ListRule"
		case "list":
			typ = "ListRule"
			if r := g.stringRuleIfUsed(s.Member.Shape); r != "" {
				fields = append(fields, "Member: "+r)
			}
			if s.Sensitive || g.shape(s.Member.Shape).Sensitive {
				fields = append(fields, "Sensitive: true")
			}
		case "map":
			typ = "MapRule"
			if r := g.stringRuleIfUsed(s.Key.Shape); r != "" {
				fields = append(fields, "Key: "+r)
			}
			if r := g.stringRuleIfUsed(s.Value.Shape); r != "" {
				fields = append(fields, "Value: "+r)
			}
			if s.Sensitive {
				fields = append(fields, "Sensitive: true")
			}
		}
		if s.Type == "string" && s.Pattern != "" && g.patternVar[s.Pattern] == "" {
			fmt.Fprintf(b, "\t// The pattern of %s is not checked: %s.\n", name, g.skipped[s.Pattern])
		}
		fmt.Fprintf(b, "\t%s = &awsjson.%s{%s}\n", ruleVar(name), typ, strings.Join(fields, ", "))
	}
	b.WriteString(")\n\n")
}

func (g *generator) stringRuleIfUsed(name string) string {
	if g.shape(name).Type == "string" && g.rules[name] {
		return ruleVar(name)
	}
	return ""
}
