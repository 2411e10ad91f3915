package userpool

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// Attribute data types.
const (
	TypeString   = "String"
	TypeNumber   = "Number"
	TypeDateTime = "DateTime"
	TypeBoolean  = "Boolean"
)

const customPrefix = "custom:"
const devPrefix = "dev:"

func i64(v int64) *int64 { return &v }

// standardSchema is the schema every pool starts with, as DescribeUserPool
// reports it for a pool created without a Schema.
func standardSchema() []store.SchemaAttribute {
	str := func(name string, required, mutable bool, min int64) store.SchemaAttribute {
		return store.SchemaAttribute{Name: name, DataType: TypeString, Mutable: mutable, Required: required,
			HasStringConstraints: true, MinLength: i64(min), MaxLength: i64(2048)}
	}
	boolean := func(name string) store.SchemaAttribute {
		return store.SchemaAttribute{Name: name, DataType: TypeBoolean, Mutable: true}
	}
	return []store.SchemaAttribute{
		str("sub", true, false, 1),
		str("name", false, true, 0),
		str("given_name", false, true, 0),
		str("family_name", false, true, 0),
		str("middle_name", false, true, 0),
		str("nickname", false, true, 0),
		str("preferred_username", false, true, 0),
		str("profile", false, true, 0),
		str("picture", false, true, 0),
		str("website", false, true, 0),
		str("email", false, true, 0),
		boolean("email_verified"),
		str("gender", false, true, 0),
		{Name: "birthdate", DataType: TypeString, Mutable: true, HasStringConstraints: true, MinLength: i64(10), MaxLength: i64(10)},
		str("zoneinfo", false, true, 0),
		str("locale", false, true, 0),
		str("phone_number", false, true, 0),
		boolean("phone_number_verified"),
		str("address", false, true, 0),
		{Name: "updated_at", DataType: TypeNumber, Mutable: true, HasNumberConstraints: true, MinValue: i64(0)},
		{Name: "identities", DataType: TypeString, Mutable: true, HasStringConstraints: true},
	}
}

// isStandardAttribute reports whether name is one of Cognito's standard attributes.
func isStandardAttribute(name string) bool {
	return slices.ContainsFunc(standardSchema(), func(a store.SchemaAttribute) bool { return a.Name == name })
}

// SchemaChange is one attribute of a CreateUserPool Schema or an
// AddCustomAttributes request, as the caller sent it.
type SchemaChange struct {
	Name          string
	DataType      string // "" means String
	DeveloperOnly bool
	Mutable       *bool
	Required      bool
	MinLength     *int64
	MaxLength     *int64
	MinValue      *int64
	MaxValue      *int64
}

// mergeSchema applies a CreateUserPool Schema to the standard schema:
// standard attributes may be made required (or immutable), others become
// custom attributes.
func mergeSchema(changes []SchemaChange) ([]store.SchemaAttribute, error) {
	schema := standardSchema()
	var custom []SchemaChange
	for _, c := range changes {
		i := slices.IndexFunc(schema, func(a store.SchemaAttribute) bool { return a.Name == c.Name })
		if i < 0 {
			custom = append(custom, c)
			continue
		}
		a := &schema[i]
		if c.DataType != "" && c.DataType != a.DataType {
			return nil, apierr.Newf(apierr.InvalidParameter, "Invalid AttributeDataType input, consider using the provided AttributeDataType enum for %s.", c.Name)
		}
		if a.Name == "sub" {
			continue
		}
		a.Required = c.Required
		if c.Mutable != nil {
			a.Mutable = *c.Mutable
		}
		if c.MinLength != nil {
			a.MinLength = c.MinLength
		}
		if c.MaxLength != nil {
			a.MaxLength = c.MaxLength
		}
	}
	added, err := customAttributes(schema, custom)
	if err != nil {
		return nil, err
	}
	return append(schema, added...), nil
}

// customAttributes validates new custom attributes against an existing
// schema and returns them in stored form ("custom:" or "dev:custom:" names).
func customAttributes(existing []store.SchemaAttribute, changes []SchemaChange) ([]store.SchemaAttribute, error) {
	var out []store.SchemaAttribute
	for _, c := range changes {
		name := strings.TrimPrefix(c.Name, customPrefix)
		if name == "" || len(name) > 20 {
			return nil, apierr.Newf(apierr.InvalidParameter, "Custom attribute name %q must be between 1 and 20 characters.", c.Name)
		}
		if c.Required {
			return nil, apierr.New(apierr.InvalidParameter, "Required custom attributes are not supported currently.")
		}
		full := customPrefix + name
		if c.DeveloperOnly {
			full = devPrefix + full
		}
		taken := func(a store.SchemaAttribute) bool {
			return a.Name == full || strings.TrimPrefix(a.Name, devPrefix) == customPrefix+name
		}
		if slices.ContainsFunc(existing, taken) || slices.ContainsFunc(out, taken) {
			return nil, apierr.Newf(apierr.InvalidParameter, "Existing attribute already has name %s.", full)
		}
		dataType := c.DataType
		if dataType == "" {
			dataType = TypeString
		}
		a := store.SchemaAttribute{Name: full, DataType: dataType, DeveloperOnly: c.DeveloperOnly, Mutable: true}
		if c.Mutable != nil {
			a.Mutable = *c.Mutable
		}
		switch dataType {
		case TypeString:
			a.HasStringConstraints = true
			a.MinLength, a.MaxLength = c.MinLength, c.MaxLength
			if a.MinLength == nil {
				a.MinLength = i64(0)
			}
			if a.MaxLength == nil {
				a.MaxLength = i64(2048)
			}
			if *a.MaxLength > 2048 || *a.MinLength < 0 || *a.MinLength > *a.MaxLength {
				return nil, apierr.Newf(apierr.InvalidParameter, "Invalid string constraints for attribute %s.", full)
			}
		case TypeNumber:
			a.HasNumberConstraints = true
			a.MinValue, a.MaxValue = c.MinValue, c.MaxValue
			if a.MinValue != nil && a.MaxValue != nil && *a.MinValue > *a.MaxValue {
				return nil, apierr.Newf(apierr.InvalidParameter, "Invalid number constraints for attribute %s.", full)
			}
		}
		out = append(out, a)
	}
	return out, nil
}

func findAttribute(schema []store.SchemaAttribute, name string) (store.SchemaAttribute, bool) {
	for _, a := range schema {
		if a.Name == name {
			return a, true
		}
	}
	return store.SchemaAttribute{}, false
}

// checkAttributeValue validates one value against its schema entry.
func checkAttributeValue(a store.SchemaAttribute, value string) error {
	bad := func(reason string) error {
		return apierr.Newf(apierr.InvalidParameter, "Attributes did not conform to the schema: %s: %s", a.Name, reason)
	}
	switch a.DataType {
	case TypeString, TypeDateTime:
		n := int64(len([]rune(value)))
		if a.MaxLength != nil && n > *a.MaxLength {
			return bad(fmt.Sprintf("String must be no longer than %d characters", *a.MaxLength))
		}
		if a.MinLength != nil && n < *a.MinLength {
			return bad(fmt.Sprintf("String must be no shorter than %d characters", *a.MinLength))
		}
	case TypeNumber:
		v, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return bad("Number must be an integer")
		}
		if a.MinValue != nil && v < *a.MinValue {
			return bad(fmt.Sprintf("Number must be no less than %d", *a.MinValue))
		}
		if a.MaxValue != nil && v > *a.MaxValue {
			return bad(fmt.Sprintf("Number must be no greater than %d", *a.MaxValue))
		}
	case TypeBoolean:
		if value != "true" && value != "false" {
			return bad("Attribute must be true or false")
		}
	}
	switch a.Name {
	case "email":
		if !looksLikeEmail(value) {
			return apierr.New(apierr.InvalidParameter, "Invalid email address format.")
		}
	case "phone_number":
		if !looksLikePhone(value) {
			return apierr.New(apierr.InvalidParameter, "Invalid phone number format.")
		}
	}
	return nil
}

// looksLikeEmail is the loose check Cognito applies: one @ with text on
// both sides and no spaces.
func looksLikeEmail(v string) bool {
	at := strings.IndexByte(v, '@')
	return at > 0 && at == strings.LastIndexByte(v, '@') && at < len(v)-1 && !strings.ContainsAny(v, " \t\r\n")
}

// looksLikePhone accepts E.164: a plus sign and 2 to 15 digits.
func looksLikePhone(v string) bool {
	if len(v) < 3 || len(v) > 16 || v[0] != '+' {
		return false
	}
	for _, c := range v[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
