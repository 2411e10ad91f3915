package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// ResponseError says why a function's returned event is not one Cognito would accept. The caller turns it
// into InvalidLambdaResponseException; Path and Reason are for logs.
type ResponseError struct {
	Trigger string // "PreSignUp", "DefineAuthChallenge", ...
	Path    string // the member at fault, "response.issueTokens"; empty for the whole value
	Reason  string
}

func (e *ResponseError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("invalid %s response: %s", e.Trigger, e.Reason)
	}
	return fmt.Sprintf("invalid %s response: %s: %s", e.Trigger, e.Path, e.Reason)
}

// object is one JSON object of a returned event, its members kept raw and matched by exact name.
type object struct {
	trigger string
	path    string
	members map[string]json.RawMessage
}

// responseObject checks the returned event as a whole and gives its response member. An absent or null
// response is an empty one: the function left every default in place.
func responseObject(trigger string, raw []byte) (object, error) {
	if !utf8.Valid(raw) {
		return object{}, &ResponseError{Trigger: trigger, Reason: "not UTF-8"}
	}
	if hasLoneSurrogate(raw) {
		return object{}, &ResponseError{Trigger: trigger, Reason: "escapes a lone UTF-16 surrogate"}
	}
	root, err := parseObject(trigger, "", raw)
	if err != nil {
		return object{}, err
	}
	resp, ok, err := root.object("response")
	if err != nil || !ok {
		return object{trigger: trigger, path: "response"}, err
	}
	return resp, nil
}

func parseObject(trigger, path string, raw json.RawMessage) (object, error) {
	o := object{trigger: trigger, path: path}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return o, o.fail("", "not a JSON object")
	}
	if err := json.Unmarshal(raw, &o.members); err != nil {
		return o, o.fail("", "not a JSON object")
	}
	return o, nil
}

func (o object) fail(member, reason string) error {
	p := o.path
	if member != "" {
		if p != "" {
			p += "."
		}
		p += member
	}
	return &ResponseError{Trigger: o.trigger, Path: p, Reason: reason}
}

// get gives a member's raw value; a null member is absent.
func (o object) get(name string) (json.RawMessage, bool) {
	v, ok := o.members[name]
	if !ok || isNull(v) {
		return nil, false
	}
	return v, true
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

func (o object) object(name string) (object, bool, error) {
	v, ok := o.get(name)
	if !ok {
		return object{trigger: o.trigger, path: o.child(name)}, false, nil
	}
	c, err := parseObject(o.trigger, o.child(name), v)
	return c, err == nil, err
}

func (o object) child(name string) string {
	if o.path == "" {
		return name
	}
	return o.path + "." + name
}

func (o object) bool(name string, dst *bool) error {
	v, ok := o.get(name)
	if !ok {
		return nil
	}
	if json.Unmarshal(v, dst) != nil {
		return o.fail(name, "not a boolean")
	}
	return nil
}

func (o object) optBool(name string, dst **bool) error {
	var b bool
	v, ok := o.get(name)
	if !ok {
		return nil
	}
	if json.Unmarshal(v, &b) != nil {
		return o.fail(name, "not a boolean")
	}
	*dst = &b
	return nil
}

func (o object) string(name string, dst *string) error {
	v, ok := o.get(name)
	if !ok {
		return nil
	}
	if json.Unmarshal(v, dst) != nil {
		return o.fail(name, "not a string")
	}
	return nil
}

func (o object) optString(name string, dst **string) error {
	var s string
	if err := o.string(name, &s); err != nil {
		return err
	}
	if _, ok := o.get(name); ok {
		*dst = &s
	}
	return nil
}

// stringMap reads an object whose values are all strings.
func (o object) stringMap(name string, dst *map[string]string) error {
	v, ok := o.get(name)
	if !ok {
		return nil
	}
	c, err := parseObject(o.trigger, o.child(name), v)
	if err != nil {
		return err
	}
	m := make(map[string]string, len(c.members))
	for k, mv := range c.members {
		s, ok := asString(mv)
		if !ok {
			return c.fail(k, "not a string")
		}
		m[k] = s
	}
	*dst = m
	return nil
}

// stringList reads an array of strings.
func (o object) stringList(name string, dst *[]string) error {
	v, ok := o.get(name)
	if !ok {
		return nil
	}
	var items []json.RawMessage
	if t := bytes.TrimSpace(v); len(t) == 0 || t[0] != '[' || json.Unmarshal(t, &items) != nil {
		return o.fail(name, "not an array")
	}
	l := make([]string, len(items))
	for i, it := range items {
		s, ok := asString(it)
		if !ok {
			return o.fail(fmt.Sprintf("%s[%d]", name, i), "not a string")
		}
		l[i] = s
	}
	*dst = l
	return nil
}

// valueMap reads an object whose values may be any JSON value (pre token generation V2_0 claims); numbers
// keep their text as json.Number.
func (o object) valueMap(name string, dst *map[string]any) error {
	v, ok := o.get(name)
	if !ok {
		return nil
	}
	c, err := parseObject(o.trigger, o.child(name), v)
	if err != nil {
		return err
	}
	m := make(map[string]any, len(c.members))
	for k, mv := range c.members {
		d := json.NewDecoder(bytes.NewReader(mv))
		d.UseNumber()
		var x any
		if d.Decode(&x) != nil {
			return c.fail(k, "not a JSON value")
		}
		m[k] = x
	}
	*dst = m
	return nil
}

// asString reads a JSON string; inside a map or an array null is not one (encoding/json would let it pass
// as "").
func asString(v json.RawMessage) (string, bool) {
	var s string
	if isNull(v) || json.Unmarshal(v, &s) != nil {
		return "", false
	}
	return s, true
}

// hasLoneSurrogate reports a \uXXXX escape of half a surrogate pair without its other half, which
// encoding/json would silently read as U+FFFD (a claim or a message the function never returned). Malformed
// escapes are left to the JSON decoder.
func hasLoneSurrogate(raw []byte) bool {
	pendingHigh := false
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			if pendingHigh {
				return true
			}
			continue
		}
		if i+1 < len(raw) && raw[i+1] != 'u' {
			if pendingHigh {
				return true
			}
			i++ // an escaped byte such as \\ or \" is not the start of an escape
			continue
		}
		u, ok := unitAt(raw, i)
		if !ok {
			return pendingHigh
		}
		i += 5
		switch {
		case u >= 0xDC00 && u <= 0xDFFF:
			if !pendingHigh {
				return true
			}
			pendingHigh = false
		case u >= 0xD800 && u <= 0xDBFF:
			if pendingHigh {
				return true
			}
			pendingHigh = true
		default:
			if pendingHigh {
				return true
			}
		}
	}
	return pendingHigh
}

// unitAt reads the UTF-16 code unit of the escape \uXXXX starting at raw[i].
func unitAt(raw []byte, i int) (uint16, bool) {
	if i+6 > len(raw) {
		return 0, false
	}
	var u uint16
	for _, c := range raw[i+2 : i+6] {
		switch {
		case c >= '0' && c <= '9':
			u = u<<4 | uint16(c-'0')
		case c >= 'a' && c <= 'f':
			u = u<<4 | uint16(c-'a'+10)
		case c >= 'A' && c <= 'F':
			u = u<<4 | uint16(c-'A'+10)
		default:
			return 0, false
		}
	}
	return u, true
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
