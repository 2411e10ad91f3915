package main

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// limit bounds a shape the model leaves unbounded, or bounds too loosely
// for a request: max is a string's length in characters or a map's number
// of entries; valueMax is the length of a map's string values.
type limit struct {
	max, valueMax int64
	why           string
}

// serviceLimits holds each service's limits, by botocore service name.
var serviceLimits = map[string]map[string]limit{
	"cognito-idp": cognitoIdpLimits,
	"iam":         iamLimits,
}

// iamLimits are the limits Cognate adds to the IAM requests it serves.
var iamLimits = map[string]limit{
	"ContextKeyValueType": {max: 4096, why: "one value of a simulated condition key (an IP range, an ARN, a date)"},
}

// cognitoIdpLimits are the limits Cognate adds to cognito-idp requests.
// Cognito's documentation gives these shapes no length (the model only a
// pattern), so without them a request could carry a megabyte-long token to
// be parsed, or a hundred thousand authentication parameters. The limits are
// far above what any client sends. Every other string of a request is
// bounded by the model itself, which generation checks.
var cognitoIdpLimits = map[string]limit{
	"TokenModelType": {max: 32 << 10, why: "access, ID and refresh tokens; Cognito's are a few KiB even with many groups"},

	"AuthParametersType":     {max: 64, valueMax: 32 << 10, why: "a handful of parameters (USERNAME, SRP_A, SECRET_HASH, REFRESH_TOKEN...), none longer than a token"},
	"ChallengeResponsesType": {max: 64, valueMax: 32 << 10, why: "a handful of answers (PASSWORD_CLAIM_SIGNATURE, SECRET_BLOCK, codes...), none longer than a token"},
	"ClientMetadataType":     {max: 64, valueMax: 32 << 10, why: "free key-value pairs for Lambda triggers"},

	"PaginationKeyType":          {max: 2048, why: "handed back as the service gave it; Cognate's are keys of at most a few hundred characters"},
	"SearchPaginationTokenType":  {max: 2048, why: "as PaginationKeyType"},
	"EmailAddressType":           {max: 256, why: "an email address (RFC 5321 allows 254 characters)"},
	"EmailMfaSubjectType":        {max: 140, why: "an email subject, as long as the model's EmailVerificationSubjectType"},
	"HexStringType":              {max: 256, why: "an Amazon Pinpoint application id (32 hex digits)"},
	"LanguageIdType":             {max: 64, why: "a language id such as cognito:english; the pattern lists them all"},
	"TermsNameType":              {max: 64, why: "terms-of-use or privacy-policy"},
	"TermsIdType":                {max: 36, why: "a UUID"},
	"ManagedLoginBrandingIdType": {max: 36, why: "a UUID"},
}

// applyLimits sets the limits of table on m. A map's value limit is a new
// string shape, <map>Value, so that the string shape the map shares with
// other members keeps its own. It is an error for an entry to name a shape
// the model lacks, or to loosen a limit the model sets: the table must be
// revised when the model changes.
func applyLimits(m *model, table map[string]limit) error {
	for _, name := range slices.Sorted(maps.Keys(table)) {
		l := table[name]
		s, ok := m.Shapes[name]
		if !ok {
			return fmt.Errorf("limits: the model has no shape %s", name)
		}
		if s.Type != "string" && s.Type != "map" {
			return fmt.Errorf("limits: shape %s is of type %s, not string or map", name, s.Type)
		}
		if l.max > 0 {
			if s.Max != nil && *s.Max <= l.max {
				return fmt.Errorf("limits: the model bounds %s to %d already; drop its limit of %d", name, *s.Max, l.max)
			}
			s.Max = &l.max
		}
		if l.valueMax > 0 {
			if s.Type != "map" || m.Shapes[s.Value.Shape].Type != "string" {
				return fmt.Errorf("limits: shape %s is not a map of strings", name)
			}
			value := *m.Shapes[s.Value.Shape]
			if value.Max != nil && *value.Max <= l.valueMax {
				return fmt.Errorf("limits: the model bounds the values of %s to %d already; drop their limit of %d", name, *value.Max, l.valueMax)
			}
			value.Max = &l.valueMax
			synthetic := name + "Value"
			if _, clash := m.Shapes[synthetic]; clash {
				return fmt.Errorf("limits: the model has a shape %s already", synthetic)
			}
			m.Shapes[synthetic] = &value
			s.Value = &ref{Shape: synthetic}
		}
	}
	return nil
}

// unboundedStrings lists the string shapes of requests that have neither a
// maximum length nor an enumeration.
func (g *generator) unboundedStrings() []string {
	var names []string
	for _, name := range slices.Sorted(maps.Keys(g.inputs)) {
		if s := g.shape(name); s.Type == "string" && s.Max == nil && len(s.Enum) == 0 {
			names = append(names, name)
		}
	}
	return names
}

// writeLimitNotes lists, in the comment of the rules, the limits Cognate
// set where the model sets none.
func (g *generator) writeLimitNotes(b *bytes.Buffer) {
	if len(g.limits) == 0 {
		return
	}
	b.WriteString("//\n// Cognate bounds what the model leaves unbounded (see limits.go in modelgen):\n")
	for _, name := range slices.Sorted(maps.Keys(g.limits)) {
		l := g.limits[name]
		var parts []string
		if l.max > 0 {
			unit := "characters"
			if g.shape(name).Type == "map" {
				unit = "entries"
			}
			parts = append(parts, fmt.Sprintf("%d %s", l.max, unit))
		}
		if l.valueMax > 0 {
			parts = append(parts, fmt.Sprintf("values of %d characters", l.valueMax))
		}
		fmt.Fprintf(b, "//   - %s: %s; %s.\n", name, strings.Join(parts, ", "), l.why)
	}
}
