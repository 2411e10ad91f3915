package awsjson

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// Validation collects the constraint violations of one request, worded the
// way AWS words them:
//
//	2 validation errors detected: Value at 'username' failed to satisfy
//	constraint: Member must satisfy regular expression pattern: [\p{L}]+;
//	Value null at 'clientId' failed to satisfy constraint: Member must not be null
//
// Values of sensitive members are never quoted. The generated ValidateAt
// methods call its checks member by member, in the model's order.
type Validation struct {
	body   []byte
	tree   any
	parsed bool
	msgs   []string
}

// NewValidation starts a validation of a request decoded from body. With a
// nil body, an empty required string is reported as missing.
func NewValidation(body []byte) *Validation { return &Validation{body: body} }

// Err returns nil when nothing was violated, else an InvalidParameterException
// listing every violation.
func (v *Validation) Err() error {
	switch n := len(v.msgs); n {
	case 0:
		return nil
	case 1:
		return apierr.New(apierr.InvalidParameter, "1 validation error detected: "+v.msgs[0])
	default:
		return apierr.New(apierr.InvalidParameter, strconv.Itoa(n)+" validation errors detected: "+strings.Join(v.msgs, "; "))
	}
}

// Bound returns a pointer to n, for the limits of generated rules.
func Bound(n int64) *int64 { return &n }

// StringRule holds a string shape's constraints.
type StringRule struct {
	Min, Max *int64 // length in characters
	// Pattern is the model's regular expression as written, for messages.
	Pattern string
	// Regexp matches the whole value; nil if Pattern cannot be checked.
	Regexp    *regexp.Regexp
	Enum      []string
	Sensitive bool
}

// IntRule holds an integer or long shape's range.
type IntRule struct{ Min, Max *int64 }

// ListRule holds a list shape's size and, for lists of strings, the rule
// each member must satisfy. It also holds the length limits of blobs.
type ListRule struct {
	Min, Max  *int64
	Member    *StringRule
	Sensitive bool
}

// MapRule holds a map shape's size and the rules of its keys and values.
type MapRule struct {
	Min, Max   *int64
	Key, Value *StringRule
	Sensitive  bool
}

// Null records a missing required member.
func (v *Validation) Null(p Path) {
	v.msgs = append(v.msgs, "Value null at '"+p.String()+"' failed to satisfy constraint: Member must not be null")
}

// String checks a string member. A required member that is empty and absent
// from the body is reported as null; an empty string that was sent is
// checked like any other value, as AWS does.
func (v *Validation) String(p Path, s string, required bool, r *StringRule) {
	if s == "" && (required || (r != nil && !r.allows(""))) && !v.present(p) {
		// Absent, as far as we can tell: only a required member is at fault.
		if required {
			v.Null(p)
		}
		return
	}
	if r == nil || (s == "" && r.allows("")) {
		return
	}
	value := func() string { return s }
	sensitive := r.Sensitive || p.redacted()
	// The length is checked before the pattern is matched, so that no
	// value longer than its limit is ever run through a regular expression;
	// such a value is reported as too long only.
	n := int64(utf8.RuneCountInString(s))
	tooLong := r.Max != nil && n > *r.Max
	if r.Regexp != nil && !tooLong && !matchPattern(r.Regexp, s) {
		v.fail(p, value, sensitive, patternMsg(r))
	}
	if tooLong {
		v.fail(p, value, sensitive, maxLenMsg(*r.Max))
	}
	if r.Min != nil && n < *r.Min {
		v.fail(p, value, sensitive, minLenMsg(*r.Min))
	}
	if r.Enum != nil && !slices.Contains(r.Enum, s) {
		v.fail(p, value, sensitive, enumMsg(r.Enum))
	}
}

// Int32 checks an integer member.
func (v *Validation) Int32(p Path, n *int32, required bool, r *IntRule) {
	if n == nil {
		if required {
			v.Null(p)
		}
		return
	}
	v.checkRange(p, int64(*n), r)
}

// Int64 checks a long member.
func (v *Validation) Int64(p Path, n *int64, required bool, r *IntRule) {
	if n == nil {
		if required {
			v.Null(p)
		}
		return
	}
	v.checkRange(p, *n, r)
}

func (v *Validation) checkRange(p Path, n int64, r *IntRule) {
	if r == nil {
		return
	}
	value := func() string { return strconv.FormatInt(n, 10) }
	if r.Max != nil && n > *r.Max {
		v.fail(p, value, p.redacted(), "Member must have value less than or equal to "+strconv.FormatInt(*r.Max, 10))
	}
	if r.Min != nil && n < *r.Min {
		v.fail(p, value, p.redacted(), "Member must have value greater than or equal to "+strconv.FormatInt(*r.Min, 10))
	}
}

// List checks the presence and size of a list whose members are checked by
// the caller, and reports whether there is anything to descend into.
func (v *Validation) List(p Path, n int, isNil, required bool, r *ListRule) bool {
	if isNil {
		if required {
			v.Null(p)
		}
		return false
	}
	if r != nil {
		v.checkSize(p, int64(n), nil, true, r.Min, r.Max)
	}
	return n > 0
}

// Blob checks the presence and length in bytes of a blob member.
func (v *Validation) Blob(p Path, b []byte, required bool, r *ListRule) {
	if b == nil {
		if required {
			v.Null(p)
		}
		return
	}
	if r != nil {
		v.checkSize(p, int64(len(b)), nil, true, r.Min, r.Max)
	}
}

// StringList checks a list of strings: its presence, its size and, as AWS
// reports it, once for the whole list, the rule of its members.
func (v *Validation) StringList(p Path, s []string, required bool, r *ListRule) {
	if s == nil {
		if required {
			v.Null(p)
		}
		return
	}
	if r == nil {
		return
	}
	sensitive := r.Sensitive || p.redacted() || (r.Member != nil && r.Member.Sensitive)
	value := func() string { return "[" + strings.Join(s, ", ") + "]" }
	v.checkSize(p, int64(len(s)), value, sensitive, r.Min, r.Max)
	if r.Member == nil {
		return
	}
	for _, e := range s {
		if !r.Member.allows(e) {
			v.fail(p, value, sensitive, "Member must satisfy constraint: ["+r.Member.describe()+"]")
			return
		}
	}
}

// Map checks the presence and size of a map whose values are checked by the
// caller, and the rule of its keys, given in order; it reports whether there
// is anything to descend into.
func (v *Validation) Map(p Path, keys []string, isNil, required bool, r *MapRule) bool {
	if isNil {
		if required {
			v.Null(p)
		}
		return false
	}
	if r != nil {
		// Values of maps of structures are not quoted.
		v.checkSize(p, int64(len(keys)), nil, true, r.Min, r.Max)
		if r.Key != nil {
			for _, k := range keys {
				if !r.Key.allows(k) {
					v.fail(p, nil, true, "Map keys must satisfy constraint: ["+r.Key.describe()+"]")
					break
				}
			}
		}
	}
	return len(keys) > 0
}

// StringMap checks a map of strings: its presence, its size, and the rules
// of its keys and of its values, each reported once for the whole map.
func (v *Validation) StringMap(p Path, m map[string]string, required bool, r *MapRule) {
	if m == nil {
		if required {
			v.Null(p)
		}
		return
	}
	if r == nil {
		return
	}
	sensitive := r.Sensitive || p.redacted() || (r.Key != nil && r.Key.Sensitive) || (r.Value != nil && r.Value.Sensitive)
	value := func() string {
		var b strings.Builder
		b.WriteByte('{')
		for i, k := range SortedKeys(m) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k + "=" + m[k])
		}
		b.WriteByte('}')
		return b.String()
	}
	v.checkSize(p, int64(len(m)), value, sensitive, r.Min, r.Max)
	badKey, badValue := false, false
	for k, e := range m {
		badKey = badKey || (r.Key != nil && !r.Key.allows(k))
		badValue = badValue || (r.Value != nil && !r.Value.allows(e))
	}
	if badKey {
		v.fail(p, value, sensitive, "Map keys must satisfy constraint: ["+r.Key.describe()+"]")
	}
	if badValue {
		v.fail(p, value, sensitive, "Map value must satisfy constraint: ["+r.Value.describe()+"]")
	}
}

// SortedKeys returns the keys of m in order, so that maps are checked and
// reported deterministically.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (v *Validation) checkSize(p Path, n int64, value func() string, sensitive bool, lo, hi *int64) {
	if hi != nil && n > *hi {
		v.fail(p, value, sensitive, maxLenMsg(*hi))
	}
	if lo != nil && n < *lo {
		v.fail(p, value, sensitive, minLenMsg(*lo))
	}
}

// fail records one violation. value is only called for members that are not
// sensitive; a nil value is never quoted.
func (v *Validation) fail(p Path, value func() string, sensitive bool, constraint string) {
	var b strings.Builder
	b.WriteString("Value ")
	if !sensitive && value != nil {
		b.WriteString("'" + value() + "' ")
	}
	b.WriteString("at '" + p.String() + "' failed to satisfy constraint: " + constraint)
	v.msgs = append(v.msgs, b.String())
}

// allows reports whether s satisfies every checkable constraint of r; the
// pattern last, so that it never runs on a value of the wrong length.
func (r *StringRule) allows(s string) bool {
	n := int64(utf8.RuneCountInString(s))
	return (r.Max == nil || n <= *r.Max) &&
		(r.Min == nil || n >= *r.Min) &&
		(r.Enum == nil || slices.Contains(r.Enum, s)) &&
		(r.Regexp == nil || matchPattern(r.Regexp, s))
}

// describe lists r's constraints the way AWS lists a member rule inside
// "Member must satisfy constraint: [...]".
func (r *StringRule) describe() string {
	var parts []string
	if r.Max != nil {
		parts = append(parts, maxLenMsg(*r.Max))
	}
	if r.Min != nil {
		parts = append(parts, minLenMsg(*r.Min))
	}
	if r.Pattern != "" {
		parts = append(parts, patternMsg(r))
	}
	if r.Enum != nil {
		parts = append(parts, enumMsg(r.Enum))
	}
	return strings.Join(parts, ", ")
}

func patternMsg(r *StringRule) string {
	return "Member must satisfy regular expression pattern: " + r.Pattern
}

func maxLenMsg(n int64) string {
	return "Member must have length less than or equal to " + strconv.FormatInt(n, 10)
}

func minLenMsg(n int64) string {
	return "Member must have length greater than or equal to " + strconv.FormatInt(n, 10)
}

func enumMsg(values []string) string {
	return "Member must satisfy enum value set: [" + strings.Join(values, ", ") + "]"
}

// present reports whether the member at p was sent with a non-null value.
// Without a body nothing counts as sent.
func (v *Validation) present(p Path) bool {
	if v.body == nil {
		return false
	}
	if p.kind == memberElem && !mentions(v.body, p.name) {
		// Most absent members are optional ones whose name the body does
		// not even contain; that spares decoding the body a second time.
		return false
	}
	if !v.parsed {
		v.parsed = true
		if json.Unmarshal(v.body, &v.tree) != nil {
			v.tree = nil
		}
	}
	return p.lookup(v.tree) != nil
}

// mentions reports whether body contains name as a quoted JSON string.
func mentions(body []byte, name string) bool {
	for i := 0; ; {
		j := bytes.IndexByte(body[i:], '"')
		if j < 0 {
			return false
		}
		j += i + 1 // just after the quote
		end := j + len(name)
		if end < len(body) && body[end] == '"' && string(body[j:end]) == name {
			return true
		}
		i = j
	}
}
