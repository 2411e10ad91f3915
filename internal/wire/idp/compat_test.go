package idp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// TestCompatibilityDocMatchesCode keeps docs/compatibility.md honest: the
// operations it marks supported are exactly those Handlers implements
// itself rather than through UnimplementedService.
func TestCompatibilityDocMatchesCode(t *testing.T) {
	ops := idpapi.Operations(&Handlers{})
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var implemented []string
	fset := token.NewFileSet()
	for _, name := range sources {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil {
				continue
			}
			if _, isOp := ops[fn.Name.Name]; isOp {
				implemented = append(implemented, fn.Name.Name)
			}
		}
	}
	doc, err := os.ReadFile("../../../docs/compatibility.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Za-z]+)` \\| (yes|no) \\|")
	var documented []string
	rows := 0
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		rows++
		if m[2] == "yes" {
			documented = append(documented, m[1])
		}
	}
	slices.Sort(implemented)
	slices.Sort(documented)
	if !slices.Equal(implemented, documented) {
		t.Errorf("docs/compatibility.md marks %v supported; the code implements %v", documented, implemented)
	}
	if rows != len(ops) {
		t.Errorf("docs/compatibility.md has %d operation rows, the model %d", rows, len(ops))
	}
}
