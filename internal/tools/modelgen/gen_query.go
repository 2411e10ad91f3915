package main

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// selectOps keeps only the named operations of m and the shapes they reach,
// so that a query service (IAM has over a hundred and fifty operations) can
// be generated for the part Cognate serves. Exceptions are kept whole: the
// status table covers every error of the model.
func selectOps(m *model, names []string) error {
	ops := make(map[string]*operation, len(names))
	for _, n := range names {
		op, ok := m.Operations[n]
		if !ok {
			return fmt.Errorf("-ops: the model has no operation %s", n)
		}
		if op.Input == nil {
			return fmt.Errorf("-ops: operation %s has no input, which is not supported", n)
		}
		ops[n] = op
	}
	keep := make(map[string]bool)
	var mark func(string)
	mark = func(name string) {
		if keep[name] {
			return
		}
		keep[name] = true
		for _, r := range m.Shapes[name].refs() {
			mark(r.Shape)
		}
	}
	for _, op := range ops {
		mark(op.Input.Shape)
		if op.Output != nil {
			mark(op.Output.Shape)
		}
	}
	for name, s := range m.Shapes {
		if !keep[name] && !s.Exception {
			delete(m.Shapes, name)
		}
	}
	m.Operations = ops
	return nil
}

// exceptionOnly reports whether a structure is an exception no operation
// input or output reaches: query services send errors as XML of their own,
// so such shapes need no Go type.
func (g *generator) exceptionOnly(name string) bool {
	return g.query && g.shape(name).Exception && len(g.roles[name]) == 0
}

// queryOpsFile declares the Service interface, UnimplementedService and the
// operation table of a query protocol service.
func (g *generator) queryOpsFile() []byte {
	var b bytes.Buffer
	for _, ident := range []string{"Version", "Namespace", "Service", "UnimplementedService", "Operations", "unsupported"} {
		g.declare(ident, "the operation table")
	}
	fmt.Fprintf(&b, "// Version is the API version %s requests name in their Version parameter.\nconst Version = %q\n\n", g.service, g.m.Metadata.APIVersion)
	fmt.Fprintf(&b, "// Namespace is the XML namespace of %s responses.\nconst Namespace = %q\n\n", g.service, g.m.Metadata.XMLNamespace)
	for _, name := range g.opNames() {
		if g.m.Operations[name].Output == nil {
			_, out := g.signature(name)
			g.declare(out, "the empty output of "+name)
			fmt.Fprintf(&b, "// %s is the result of %s: the model declares no output,\n// so the response carries only its metadata.\ntype %s struct{}\n\n", out, name, out)
		}
	}
	fmt.Fprintf(&b, "// Service has the %s operations Cognate generates. Implementations embed\n", g.service)
	b.WriteString("// UnimplementedService so that operations they do not serve answer\n")
	b.WriteString("// InvalidAction. Inputs are validated against the model before a method is\n")
	b.WriteString("// called; errors should be *apierr.Error values carrying the wire code\n// (NoSuchEntity, not NoSuchEntityException).\ntype Service interface {\n")
	for _, name := range g.opNames() {
		in, out := g.signature(name)
		auth := ""
		if g.m.Operations[name].unsigned() {
			auth = " It is called without SigV4."
		}
		fmt.Fprintf(&b, "\t// %s serves the %s operation.%s\n", name, name, auth)
		fmt.Fprintf(&b, "\t%s(ctx context.Context, in *%s) (*%s, error)\n", name, in, out)
	}
	b.WriteString("}\n\n")
	b.WriteString("// UnimplementedService answers every operation with InvalidAction.\n")
	b.WriteString("type UnimplementedService struct{}\n\n")
	for _, name := range g.opNames() {
		in, out := g.signature(name)
		fmt.Fprintf(&b, "// %s is not supported yet.\nfunc (UnimplementedService) %s(context.Context, *%s) (*%s, error) {\n\treturn nil, unsupported(%q)\n}\n\n", name, name, in, out, name)
	}
	b.WriteString("func unsupported(operation string) error {\n")
	b.WriteString("\treturn &apierr.Error{Code: \"InvalidAction\", Status: 400, Message: operation + \" is not supported by Cognate yet.\"}\n}\n\n")
	b.WriteString("// Operations is the operation table of svc, for query.Config.Operations.\n")
	b.WriteString("// Each entry decodes the form, validates it and calls svc.\n")
	b.WriteString("func Operations(svc Service) map[string]query.Operation {\n\treturn map[string]query.Operation{\n")
	for _, name := range g.opNames() {
		op := g.m.Operations[name]
		var fields []string
		fields = append(fields, fmt.Sprintf("Name: %q", name))
		if op.unsigned() {
			fields = append(fields, "Unsigned: true")
		}
		if op.Output != nil && op.Output.ResultWrapper != "" {
			fields = append(fields, fmt.Sprintf("Result: %q", op.Output.ResultWrapper))
		}
		fields = append(fields, fmt.Sprintf("Invoke: query.Bind(svc.%s)", name))
		fmt.Fprintf(&b, "\t\t%q: {%s},\n", name, strings.Join(fields, ", "))
	}
	b.WriteString("\t}\n}\n\n")
	return g.goFile("", b.String(), "")
}

// queryStatusFile maps the wire code of every exception of the model to
// the HTTP status the model gives it: its error trait, else 500 for server
// faults and 400 otherwise. Query services send these statuses as they are
// (NoSuchEntity is 404), unlike Cognito.
func (g *generator) queryStatusFile() []byte {
	var b bytes.Buffer
	g.declare("ErrorStatus", "the status table")
	g.declare("errorStatus", "the status table")
	g.declare("ErrorCode", "the status table")
	g.declare("errorCode", "the status table")
	fmt.Fprintf(&b, "// ErrorStatus returns the HTTP status the %s model gives the error with\n", g.service)
	b.WriteString("// the wire code code, or 0 for a code the model does not list.\n")
	b.WriteString("func ErrorStatus(code string) int { return errorStatus[code] }\n\n")
	fmt.Fprintf(&b, "// ErrorCode returns the wire code of the %s exception shape named shape\n", g.service)
	b.WriteString("// (NoSuchEntityException -> NoSuchEntity), or \"\" for a name the model\n// does not list.\n")
	b.WriteString("func ErrorCode(shape string) string { return errorCode[shape] }\n\n")
	codes := make(map[string]int)
	names := make(map[string]string)
	for _, name := range slices.Sorted(maps.Keys(g.m.Shapes)) {
		s := g.shape(name)
		if !s.Exception {
			continue
		}
		code, status := name, 400
		if s.Fault {
			status = 500
		}
		if s.Error != nil {
			if s.Error.Code != "" {
				code = s.Error.Code
			}
			if s.Error.HTTPStatusCode != 0 {
				status = s.Error.HTTPStatusCode
			}
		}
		if prev, dup := codes[code]; dup && prev != status {
			g.failf("two exceptions share the code %s with statuses %d and %d", code, prev, status)
		}
		codes[code] = status
		names[name] = code
	}
	b.WriteString("var errorStatus = map[string]int{\n")
	for _, code := range slices.Sorted(maps.Keys(codes)) {
		fmt.Fprintf(&b, "\t%q: %d,\n", code, codes[code])
	}
	b.WriteString("}\n\nvar errorCode = map[string]string{\n")
	for _, name := range slices.Sorted(maps.Keys(names)) {
		fmt.Fprintf(&b, "\t%q: %q,\n", name, names[name])
	}
	b.WriteString("}\n")
	return g.goFile("", b.String(), "")
}
