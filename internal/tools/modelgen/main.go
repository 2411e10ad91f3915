// Command modelgen generates the wire layer of one AWS JSON service from its
// botocore service model: Go types for every structure shape, validators
// for the shapes requests are made of, the operation table for
// internal/wire/awsjson, and optionally the service's table of the HTTP
// status of each exception, read from the matching aws-sdk-go-v2 module.
//
// It is run by go generate, for example in internal/wire/idpapi:
//
//	go run ../../tools/modelgen -service cognito-idp -pkg idpapi \
//		-sdk-module github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider
//
// The model is read from botocore's data directory (-botocore, else
// $COGNATE_BOTOCORE_DATA, else the installed Python botocore) and is not
// committed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

type options struct {
	botocore, service, apiVersion string
	pkg, out, prefix              string
	sdkModule, sdkVersion         string
	ops                           string // comma-separated subset of operations
}

func main() {
	var o options
	flag.StringVar(&o.botocore, "botocore", "", "botocore data directory (default: $COGNATE_BOTOCORE_DATA, else python3's botocore)")
	flag.StringVar(&o.service, "service", "", "botocore service name, e.g. cognito-idp (required)")
	flag.StringVar(&o.apiVersion, "api-version", "", "model version directory (default: the newest)")
	flag.StringVar(&o.pkg, "pkg", "", "Go package name of the generated files (required)")
	flag.StringVar(&o.out, "out", ".", "output directory")
	flag.StringVar(&o.prefix, "target-prefix", "", "X-Amz-Target prefix (default: the model's targetPrefix)")
	flag.StringVar(&o.sdkModule, "sdk-module", "", "aws-sdk-go-v2 service module holding schemas/schemas.go; when set, status_gen.go gets the exceptions' statuses")
	flag.StringVar(&o.sdkVersion, "sdk-version", "", "version of -sdk-module (default: the one go.mod requires)")
	flag.StringVar(&o.ops, "ops", "", "comma-separated operations to generate (default: all); query protocol models only")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(1)
	}
}

func run(o options) (err error) {
	if o.service == "" || o.pkg == "" {
		return errors.New("-service and -pkg are required")
	}
	dataDir, err := botocoreDataDir(o.botocore)
	if err != nil {
		return err
	}
	path, apiVersion, err := modelPath(dataDir, o.service, o.apiVersion)
	if err != nil {
		return err
	}
	m, err := loadModel(path)
	if err != nil {
		return err
	}
	switch {
	case m.Metadata.Protocol == "query" && o.ops == "":
		return errors.New("-ops is required for query protocol models")
	case m.Metadata.Protocol == "query":
		if err := selectOps(m, strings.Split(o.ops, ",")); err != nil {
			return err
		}
	case o.ops != "":
		return errors.New("-ops is only supported for query protocol models")
	}
	limits := serviceLimits[o.service]
	if err := applyLimits(m, limits); err != nil {
		return err
	}
	unenforced := servicePatternsUnenforced[o.service]
	if err := dropPatterns(m, unenforced); err != nil {
		return err
	}
	prefix := o.prefix
	if prefix == "" {
		prefix = m.Metadata.TargetPrefix
	}
	source := o.service + "/" + apiVersion
	provenance := "botocore's " + source
	if v := botocoreVersion(dataDir); v != "" {
		provenance = "botocore " + v + " " + source
	}

	defer func() {
		if r := recover(); r != nil {
			ge, ok := r.(genError)
			if !ok {
				panic(r)
			}
			err = ge.err
		}
	}()
	g := newGenerator(m, o.service, o.pkg, prefix, provenance)
	g.limits = limits
	g.unenforced = unenforced
	if m.Metadata.Protocol == "query" {
		g.query = true
		g.queryPkg = "github.com/cognate-auth/cognate/internal/wire/query"
	}
	if names := g.unboundedStrings(); len(names) > 0 {
		return fmt.Errorf("strings of %s requests without a length limit: %s; bound them in limits.go",
			o.service, strings.Join(names, ", "))
	}
	if g.query {
		return writeFiles(g, map[string][]byte{
			filepath.Join(o.out, "types_gen.go"):    g.typesFile(),
			filepath.Join(o.out, "validate_gen.go"): g.validateFile(),
			filepath.Join(o.out, "ops_gen.go"):      g.queryOpsFile(),
			filepath.Join(o.out, "status_gen.go"):   g.queryStatusFile(),
		})
	}
	files := map[string][]byte{
		filepath.Join(o.out, "types_gen.go"):    g.typesFile(),
		filepath.Join(o.out, "validate_gen.go"): g.validateFile(),
		filepath.Join(o.out, "ops_gen.go"):      g.opsFile(),
	}
	if o.sdkModule != "" {
		dir, version, err := sdkModuleDir(o.sdkModule, o.sdkVersion)
		if err != nil {
			return err
		}
		statuses, err := httpStatuses(filepath.Join(dir, "schemas", "schemas.go"))
		if err != nil {
			return err
		}
		files[filepath.Join(o.out, "status_gen.go")] = g.statusFile(provenance+" and "+o.sdkModule+" "+version, statuses)
	}
	return writeFiles(g, files)
}

func writeFiles(g *generator, files map[string][]byte) error {
	for _, w := range g.warnings {
		fmt.Fprintln(os.Stderr, "modelgen: warning:", w)
	}
	for name, src := range files {
		if err := os.WriteFile(name, src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
