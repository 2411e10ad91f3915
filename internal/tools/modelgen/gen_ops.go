package main

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// opsFile declares the Service interface, UnimplementedService and the
// operation table.
func (g *generator) opsFile() []byte {
	var b bytes.Buffer
	for _, ident := range []string{"TargetPrefix", "Service", "UnimplementedService", "Operations", "unsupported"} {
		g.declare(ident, "the operation table")
	}
	fmt.Fprintf(&b, "// TargetPrefix is the X-Amz-Target prefix of %s operations.\nconst TargetPrefix = %q\n\n", g.service, g.prefix)
	for _, name := range g.opNames() {
		if g.m.Operations[name].Output == nil {
			_, out := g.signature(name)
			g.declare(out, "the empty output of "+name)
			fmt.Fprintf(&b, "// %s is the result of %s: the model declares no output,\n// so it is empty and written as {}.\ntype %s struct{}\n\n", out, name, out)
		}
	}

	fmt.Fprintf(&b, "// Service has one method per %s operation. Implementations embed\n", g.service)
	b.WriteString("// UnimplementedService so that operations they do not serve, including ones\n")
	b.WriteString("// added to the model later, answer UnsupportedOperationException. Inputs are\n")
	b.WriteString("// validated against the model before a method is called; errors should be\n")
	b.WriteString("// *apierr.Error values.\ntype Service interface {\n")
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

	b.WriteString("// UnimplementedService answers every operation with UnsupportedOperationException.\n")
	b.WriteString("type UnimplementedService struct{}\n\n")
	for _, name := range g.opNames() {
		in, out := g.signature(name)
		fmt.Fprintf(&b, "// %s is not supported yet.\nfunc (UnimplementedService) %s(context.Context, *%s) (*%s, error) {\n\treturn nil, unsupported(%q)\n}\n\n", name, name, in, out, name)
	}
	b.WriteString("func unsupported(operation string) error {\n")
	b.WriteString("\treturn apierr.New(\"UnsupportedOperationException\", operation+\" is not supported by Cognate yet.\")\n}\n\n")

	b.WriteString("// Operations is the operation table of svc, for awsjson.Config.Operations.\n")
	b.WriteString("// Each entry decodes the body, validates it and calls svc.\n")
	b.WriteString("func Operations(svc Service) map[string]awsjson.Operation {\n\treturn map[string]awsjson.Operation{\n")
	for _, name := range g.opNames() {
		unsigned := ""
		if g.m.Operations[name].unsigned() {
			unsigned = " Unsigned: true,"
		}
		fmt.Fprintf(&b, "\t\t%q: {Name: %q,%s Invoke: awsjson.Bind(svc.%s)},\n", name, name, unsigned, name)
	}
	b.WriteString("\t}\n}\n\n")

	return g.goFile("", b.String(), "")
}

// signature returns the input and output type names of an operation. An
// operation without output gets an empty type named after its input:
// DeleteUserRequest -> DeleteUserResponse, FooInput -> FooOutput.
func (g *generator) signature(op string) (in, out string) {
	o := g.m.Operations[op]
	if o.Output != nil {
		return o.Input.Shape, o.Output.Shape
	}
	suffix := "Output"
	if strings.HasSuffix(o.Input.Shape, "Request") {
		suffix = "Response"
	}
	out = op + suffix
	if _, clash := g.m.Shapes[out]; clash {
		g.failf("operation %s has no output, and the name %s is taken by a shape", op, out)
	}
	return o.Input.Shape, out
}

// statusFile maps every exception of the model to its HTTP status: the
// SDK's httpError trait, else 500 for server faults and 400 otherwise. The
// table belongs to the service, so that each service's errors are sent with
// its own statuses.
func (g *generator) statusFile(provenance string, statuses map[string]int) []byte {
	var b bytes.Buffer
	g.declare("ExceptionStatus", "the status table")
	g.declare("exceptionStatus", "the status table")
	fmt.Fprintf(&b, "// ExceptionStatus returns the HTTP status the %s model gives the named\n", g.service)
	b.WriteString("// exception, or 0 for a name the model does not list. What the service\n")
	b.WriteString("// sends follows from it by Cognito's rule (StatusOf in internal/apierr).\n")
	b.WriteString("func ExceptionStatus(code string) int { return exceptionStatus[code] }\n\n")
	b.WriteString("var exceptionStatus = map[string]int{\n")
	for _, name := range slices.Sorted(maps.Keys(g.m.Shapes)) {
		s := g.shape(name)
		if !s.Exception {
			continue
		}
		status, ok := statuses[name]
		if !ok {
			status = 400
			if s.Fault {
				status = 500
			}
		}
		fmt.Fprintf(&b, "\t%q: %d,\n", name, status)
	}
	b.WriteString("}\n")
	savedProv := g.provenance
	g.provenance = provenance
	defer func() { g.provenance = savedProv }()
	return g.goFile("", b.String(), "")
}
