package policy

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

type opBase uint8

const (
	opStringEquals opBase = iota
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnLike
	opNull
)

func (o opBase) numeric() bool { return o >= opNumericEquals && o <= opNumericGreaterThanEquals }
func (o opBase) date() bool    { return o >= opDateEquals && o <= opDateGreaterThanEquals }

type operator struct {
	base opBase
	neg  bool
}

// operators maps IAM's condition operator names (without ForAnyValue: /
// ForAllValues: and IfExists) to their meaning.
var operators = map[string]operator{
	"StringEquals":              {opStringEquals, false},
	"StringNotEquals":           {opStringEquals, true},
	"StringEqualsIgnoreCase":    {opStringEqualsIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringEqualsIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"Bool":                      {opBool, false},
	"BinaryEquals":              {opBinaryEquals, false},
	"IpAddress":                 {opIPAddress, false},
	"NotIpAddress":              {opIPAddress, true},
	"ArnEquals":                 {opArnLike, false},
	"ArnLike":                   {opArnLike, false},
	"ArnNotEquals":              {opArnLike, true},
	"ArnNotLike":                {opArnLike, true},
	"Null":                      {opNull, false},
}

type setKind uint8

const (
	setNone setKind = iota
	setAnyValue
	setAllValues
)

// condition is one operator applied to one key.
type condition struct {
	op       operator
	set      setKind
	ifExists bool
	key      string
	values   []condValue
}

// condValue is a condition value, pre-parsed for its operator.
type condValue struct {
	raw    string
	pat    pattern // string and ARN operators
	num    float64
	t      time.Time
	prefix netip.Prefix
	bin    []byte
	valid  bool // the literal parsed for its operator
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
func parseOperator(name string) (operator, setKind, bool, bool) {
	set := setNone
	switch {
	case strings.HasPrefix(name, "ForAnyValue:"):
		set, name = setAnyValue, name[len("ForAnyValue:"):]
	case strings.HasPrefix(name, "ForAllValues:"):
		set, name = setAllValues, name[len("ForAllValues:"):]
	}
	op, ok := operators[name]
	if ok {
		return op, set, false, true
	}
	if base, found := strings.CutSuffix(name, "IfExists"); found {
		op, ok = operators[base]
		if ok && op.base != opNull {
			return op, set, true, true
		}
	}
	return operator{}, set, false, false
}

func compileCondValue(op opBase, raw string, variables bool) condValue {
	v := condValue{raw: raw, valid: true}
	switch op {
	case opStringEquals, opStringEqualsIgnoreCase:
		v.pat = compilePattern(raw, compileOpts{variables: variables})
	case opStringLike:
		v.pat = compilePattern(raw, compileOpts{wildcards: true, variables: variables})
	case opArnLike:
		v.pat = compileARNPattern(raw, compileOpts{wildcards: true, variables: variables})
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		n, err := strconv.ParseFloat(raw, 64)
		v.num, v.valid = n, err == nil
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		v.t, v.valid = parseDate(raw)
	case opIPAddress:
		v.prefix, v.valid = parsePrefix(raw)
	case opBinaryEquals:
		b, err := base64.StdEncoding.DecodeString(raw)
		v.bin, v.valid = b, err == nil
	case opBool, opNull:
		v.valid = strings.EqualFold(raw, "true") || strings.EqualFold(raw, "false")
	}
	return v
}

func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-01",
	"2006",
}

// parseDate reads ISO 8601 (the forms IAM documents) or epoch seconds.
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		if len(s) != 4 { // a bare four-digit value is a year
			return time.Unix(n, 0).UTC(), true
		}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if strings.ContainsAny(s, "tz") {
		return parseDate(strings.ToUpper(s))
	}
	return time.Time{}, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// eval decides the condition for a request's context.
func (c *condition) eval(ctx map[string][]string, missing *[]string) bool {
	vals, present := lookup(ctx, c.key)
	if c.op.base == opNull {
		for i := range c.values {
			if c.values[i].valid && strings.EqualFold(c.values[i].raw, "true") != present {
				return true
			}
		}
		return false
	}
	if !present {
		if c.ifExists {
			return true
		}
		addMissing(missing, c.key)
		switch c.set {
		case setAllValues:
			return true
		case setAnyValue:
			return false
		}
		return c.op.neg
	}
	v := vars{ctx: ctx, missing: missing}
	if c.op.neg && !c.resolvable(v) {
		// A variable with no value makes the statement not apply, rather
		// than letting a negated operator match everything.
		return false
	}
	switch c.set {
	case setAnyValue:
		for _, s := range vals {
			if c.one(s, v) {
				return true
			}
		}
		return false
	case setAllValues:
		for _, s := range vals {
			if !c.one(s, v) {
				return false
			}
		}
		return true
	}
	// A plain operator on a multivalued key: positive operators need one
	// value to match, negated ones need none to.
	if c.op.neg {
		for _, s := range vals {
			if !c.one(s, v) {
				return false
			}
		}
		return true
	}
	for _, s := range vals {
		if c.one(s, v) {
			return true
		}
	}
	return false
}

func (c *condition) resolvable(v vars) bool {
	for i := range c.values {
		if !c.values[i].pat.resolvable(v) {
			return false
		}
	}
	return true
}

// one decides a single context value: it matches any of the condition's
// values, inverted for negated operators.
func (c *condition) one(s string, v vars) bool {
	return c.matchesAny(s, v) != c.op.neg
}

func (c *condition) matchesAny(s string, v vars) bool {
	switch {
	case c.op.base.numeric():
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return false
		}
		for i := range c.values {
			if c.values[i].valid && compareNum(c.op.base, n, c.values[i].num) {
				return true
			}
		}
		return false
	case c.op.base.date():
		t, ok := parseDate(s)
		if !ok {
			return false
		}
		for i := range c.values {
			if c.values[i].valid && compareDate(c.op.base, t, c.values[i].t) {
				return true
			}
		}
		return false
	case c.op.base == opIPAddress:
		a, err := netip.ParseAddr(s)
		if err != nil {
			return false
		}
		a = a.Unmap().WithZone("")
		for i := range c.values {
			if c.values[i].valid && c.values[i].prefix.Contains(a) {
				return true
			}
		}
		return false
	}
	for i := range c.values {
		if c.valueMatches(&c.values[i], s, v) {
			return true
		}
	}
	return false
}

func (c *condition) valueMatches(cv *condValue, s string, v vars) bool {
	switch c.op.base {
	case opStringEquals, opStringLike:
		return cv.pat.match(s, false, v)
	case opStringEqualsIgnoreCase:
		return cv.pat.match(s, true, v)
	case opArnLike:
		if !strings.HasPrefix(s, "arn:") && !cv.pat.any {
			return false
		}
		return cv.pat.match(s, false, v)
	case opBool:
		return cv.valid && strings.EqualFold(cv.raw, s)
	case opBinaryEquals:
		if cv.raw == s {
			return true
		}
		b, err := base64.StdEncoding.DecodeString(s)
		return err == nil && cv.valid && bytes.Equal(b, cv.bin)
	}
	return false
}

func compareNum(op opBase, a, b float64) bool {
	switch op {
	case opNumericEquals:
		return a == b
	case opNumericLessThan:
		return a < b
	case opNumericLessThanEquals:
		return a <= b
	case opNumericGreaterThan:
		return a > b
	case opNumericGreaterThanEquals:
		return a >= b
	}
	return false
}

func compareDate(op opBase, a, b time.Time) bool {
	switch op {
	case opDateEquals:
		return a.Equal(b)
	case opDateLessThan:
		return a.Before(b)
	case opDateLessThanEquals:
		return !a.After(b)
	case opDateGreaterThan:
		return a.After(b)
	case opDateGreaterThanEquals:
		return !a.Before(b)
	}
	return false
}
