package main

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
)

// servicePatternsUnenforced names, by botocore service name, the string
// shapes whose model pattern the service itself does not apply to every
// value, with why. Generation drops those patterns, so that the wire layer
// accepts what the service accepts; the domain checks the values instead.
var servicePatternsUnenforced = map[string]map[string]string{
	"cognito-idp": {
		"DomainType": "a custom domain is a fully-qualified name such as auth.example.com, which Cognito accepts and the pattern " +
			"(one DNS label) refuses; userpool applies the pattern to prefix domains, with Cognito's own message",
	},
}

// dropPatterns removes the patterns of the shapes in table from m. It is an
// error for an entry to name a shape the model lacks or one without a
// pattern: the table must be revised when the model changes.
func dropPatterns(m *model, table map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(table)) {
		s, ok := m.Shapes[name]
		if !ok {
			return fmt.Errorf("patterns: the model has no shape %s", name)
		}
		if s.Pattern == "" {
			return fmt.Errorf("patterns: shape %s has no pattern; drop its entry", name)
		}
		s.Pattern = ""
	}
	return nil
}

// writeUnenforcedNotes lists, in the comment of the rules, the patterns
// Cognate does not apply.
func (g *generator) writeUnenforcedNotes(b *bytes.Buffer) {
	if len(g.unenforced) == 0 {
		return
	}
	b.WriteString("//\n// Cognate leaves out the model's pattern of these shapes (see unenforced.go in modelgen):\n")
	for _, name := range slices.Sorted(maps.Keys(g.unenforced)) {
		fmt.Fprintf(b, "//   - %s: %s.\n", name, g.unenforced[name])
	}
}
