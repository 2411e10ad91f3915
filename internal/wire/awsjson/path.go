package awsjson

import (
	"strconv"
	"strings"
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
	elems := p.elems()
	var b strings.Builder
	for _, e := range elems {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		switch e.kind {
		case memberElem:
			b.WriteString(lowerFirst(e.name))
		case indexElem:
			b.WriteString(strconv.Itoa(e.index+1) + ".member")
		case keyElem:
			b.WriteString(e.name + ".member")
		}
	}
	return b.String()
}

// elems lists the elements from the root down, without the root.
func (p *Path) elems() []*Path {
	var out []*Path
	for e := p; e != nil && e.kind != rootElem; e = e.parent {
		out = append(out, e)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// lookup finds the value at p in a decoded JSON document; nil if absent or null.
func (p *Path) lookup(doc any) any {
	cur := doc
	for _, e := range p.elems() {
		switch e.kind {
		case memberElem, keyElem:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[e.name]
		case indexElem:
			l, ok := cur.([]any)
			if !ok || e.index >= len(l) {
				return nil
			}
			cur = l[e.index]
		}
	}
	return cur
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
