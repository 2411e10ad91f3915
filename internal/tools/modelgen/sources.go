package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// botocoreDataDir finds botocore's data directory: the flag, then
// $COGNATE_BOTOCORE_DATA, then the installed Python package.
func botocoreDataDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if env := os.Getenv("COGNATE_BOTOCORE_DATA"); env != "" {
		return env, nil
	}
	out, err := exec.Command("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		return "", fmt.Errorf("botocore not found (use -botocore or COGNATE_BOTOCORE_DATA): %w", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "data"), nil
}

var botocoreVersionRE = regexp.MustCompile(`(?m)^__version__\s*=\s*['"]([^'"]+)['"]`)

// botocoreVersion reads the version of the botocore package around dataDir,
// or returns "" if it cannot tell.
func botocoreVersion(dataDir string) string {
	src, err := os.ReadFile(filepath.Join(dataDir, "..", "__init__.py"))
	if err != nil {
		return ""
	}
	if m := botocoreVersionRE.FindSubmatch(src); m != nil {
		return string(m[1])
	}
	return ""
}

// modelPath returns the service-2.json(.gz) of service, at apiVersion or
// else the newest version present.
func modelPath(dataDir, service, apiVersion string) (string, string, error) {
	dir := filepath.Join(dataDir, service)
	if apiVersion == "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return "", "", err
		}
		for _, e := range entries {
			if e.IsDir() && e.Name() > apiVersion {
				apiVersion = e.Name()
			}
		}
		if apiVersion == "" {
			return "", "", fmt.Errorf("no model versions under %s", dir)
		}
	}
	for _, name := range []string{"service-2.json.gz", "service-2.json"} {
		p := filepath.Join(dir, apiVersion, name)
		if _, err := os.Stat(p); err == nil {
			return p, apiVersion, nil
		}
	}
	return "", "", fmt.Errorf("no service-2.json under %s", filepath.Join(dir, apiVersion))
}

// sdkModuleDir locates an aws-sdk-go-v2 service module in the module cache,
// at version or else at the version go.mod requires.
func sdkModuleDir(module, version string) (dir, resolved string, err error) {
	if version == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", module).Output()
		if err != nil {
			return "", "", fmt.Errorf("%s is not required by go.mod (go get it, or pass -sdk-version): %w", module, exitDetail(err))
		}
		version = strings.TrimSpace(string(out))
	}
	out, err := exec.Command("go", "mod", "download", "-json", module+"@"+version).Output()
	if err != nil {
		return "", "", fmt.Errorf("go mod download %s@%s: %w", module, version, exitDetail(err))
	}
	var info struct{ Dir, Version, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", "", err
	}
	if info.Error != "" || info.Dir == "" {
		return "", "", fmt.Errorf("go mod download %s@%s: %s", module, version, info.Error)
	}
	return info.Dir, info.Version, nil
}

func exitDetail(err error) error {
	var exit *exec.ExitError
	if errors.As(err, &exit) && len(exit.Stderr) > 0 {
		return fmt.Errorf("%w: %s", err, bytes.TrimSpace(exit.Stderr))
	}
	return err
}

// httpStatuses reads the HTTP status of each error shape from an SDK
// module's schemas/schemas.go, where Smithy's httpError trait appears as
//
//	var X = smithy.NewSchema(smithy.ShapeID{..., Name: "X"}, smithy.ShapeTypeStructure, 1,
//		&smithytraits.HTTPError{Code: 403})
func httpStatuses(schemasGo string) (map[string]int, error) {
	f, err := parser.ParseFile(token.NewFileSet(), schemasGo, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	statuses := make(map[string]int)
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !isSelector(call.Fun, "smithy", "NewSchema") || len(call.Args) == 0 {
			return true
		}
		name := shapeIDName(call.Args[0])
		for _, arg := range call.Args[1:] {
			if code, ok := httpErrorCode(arg); ok && name != "" {
				statuses[name] = code
			}
		}
		return false
	})
	if len(statuses) == 0 {
		return nil, fmt.Errorf("%s: no HTTPError traits found", schemasGo)
	}
	return statuses, nil
}

func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// shapeIDName returns Name from smithy.ShapeID{..., Name: "X"}.
func shapeIDName(e ast.Expr) string {
	lit, ok := e.(*ast.CompositeLit)
	if !ok || !isSelector(lit.Type, "smithy", "ShapeID") {
		return ""
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Name" {
			if s, ok := kv.Value.(*ast.BasicLit); ok && s.Kind == token.STRING {
				v, _ := strconv.Unquote(s.Value)
				return v
			}
		}
	}
	return ""
}

// httpErrorCode returns N from &smithytraits.HTTPError{Code: N}.
func httpErrorCode(e ast.Expr) (int, bool) {
	u, ok := e.(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return 0, false
	}
	lit, ok := u.X.(*ast.CompositeLit)
	if !ok || !isSelector(lit.Type, "smithytraits", "HTTPError") {
		return 0, false
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
			if v, ok := kv.Value.(*ast.BasicLit); ok && v.Kind == token.INT {
				n, err := strconv.Atoi(v.Value)
				return n, err == nil
			}
		}
	}
	return 0, false
}
