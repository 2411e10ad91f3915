package awsjson

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Path locates a member inside a request, for messages and for telling a
// missing member from an empty one. It is a chain of values pointing at their
// parents on the caller's stack, so building one costs no allocation; the
// zero Path is the request itself.
type Path struct {
	parent *Path
	name   string // member name or map key
	index  int    // list position, from 0
	kind   pathKind
	secret bool
}

type pathKind uint8

const (
	rootElem pathKind = iota
	memberElem
	indexElem
	keyElem
)

// Member returns the path of the member named name (as in the model).
func (p *Path) Member(name string) Path {
	return Path{parent: p, name: name, kind: memberElem, secret: p.secret}
}

// Index returns the path of the list member at position i, counted from 0.
func (p *Path) Index(i int) Path {
	return Path{parent: p, index: i, kind: indexElem, secret: p.secret}
}

// Key returns the path of the map value under key.
func (p *Path) Key(key string) Path {
	return Path{parent: p, name: key, kind: keyElem, secret: p.secret}
}

// Redacted returns p marked as sensitive: no value at or below it is quoted
// in a message.
func (p Path) Redacted() Path {
	p.secret = true
	return p
}

func (p *Path) redacted() bool { return p.secret }

// String renders p as AWS does: members in lower camel case (the first
// letter lowered, "sAMLOptions"), list members as "<n>.member" counted from
// 1, map values as "<key>.member": userAttributes.1.member.name.
func (p *Path) String() string {
	return string(p.appendTo(nil))
}

// appendTo and lookup walk the chain by recursion rather than by collecting
// it, so that paths never escape to the heap.
func (p *Path) appendTo(b []byte) []byte {
	if p.kind == rootElem {
		return b
	}
	b = p.parent.appendTo(b)
	if len(b) > 0 {
		b = append(b, '.')
	}
	switch p.kind {
	case memberElem:
		b = append(b, lowerFirst(p.name)...)
	case indexElem:
		b = strconv.AppendInt(b, int64(p.index+1), 10)
		b = append(b, ".member"...)
	case keyElem:
		b = append(b, p.name...)
		b = append(b, ".member"...)
	}
	return b
}

// lookup finds the value at p in a decoded JSON document; nil if absent or null.
func (p *Path) lookup(doc any) any {
	if p.kind == rootElem {
		return doc
	}
	switch cur := p.parent.lookup(doc).(type) {
	case map[string]any:
		if p.kind != indexElem {
			return cur[p.name]
		}
	case []any:
		if p.kind == indexElem && p.index < len(cur) {
			return cur[p.index]
		}
	}
	return nil
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
