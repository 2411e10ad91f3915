package policy

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// The document is read into a small tree that remembers where each value
// sits, because IAM reports statements by line and column.

type nodeKind uint8

const (
	nString nodeKind = iota
	nNumber
	nBool
	nNull
	nObject
	nArray
)

type node struct {
	kind  nodeKind
	str   string // string value, number text, "true"/"false"
	keys  []string
	vals  []*node // object members, in document order
	elems []*node // array elements
	start int     // byte offset of the value's first byte (objects, arrays)
	end   int     // byte offset of an object's or array's closing bracket
}

// get returns the last member named key (encoding/json also lets the last
// duplicate win).
func (n *node) get(key string) *node {
	for i := len(n.keys) - 1; i >= 0; i-- {
		if n.keys[i] == key {
			return n.vals[i]
		}
	}
	return nil
}

type treeReader struct {
	dec *json.Decoder
}

var errTooDeep = errors.New("too deep")

// readTree parses doc; on failure it returns the byte offset of the problem.
func readTree(doc string) (*node, int, error) {
	r := &treeReader{dec: json.NewDecoder(strings.NewReader(doc))}
	r.dec.UseNumber()
	n, err := r.value(0)
	if err != nil {
		return nil, r.errOffset(err), err
	}
	if _, err := r.dec.Token(); err != io.EOF {
		return nil, int(r.dec.InputOffset()), errors.New("trailing data")
	}
	return n, 0, nil
}

func (r *treeReader) errOffset(err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return int(se.Offset)
	}
	return int(r.dec.InputOffset())
}

func (r *treeReader) value(depth int) (*node, error) {
	tok, err := r.dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return r.fromToken(tok, depth)
}

func (r *treeReader) fromToken(tok json.Token, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	switch t := tok.(type) {
	case json.Delim:
		start := int(r.dec.InputOffset()) - 1
		switch t {
		case '{':
			return r.object(start, depth)
		case '[':
			return r.array(start, depth)
		}
		return nil, errors.New("unexpected delimiter")
	case string:
		return &node{kind: nString, str: t}, nil
	case json.Number:
		return &node{kind: nNumber, str: string(t)}, nil
	case bool:
		if t {
			return &node{kind: nBool, str: "true"}, nil
		}
		return &node{kind: nBool, str: "false"}, nil
	case nil:
		return &node{kind: nNull}, nil
	}
	return nil, errors.New("unexpected token")
}

func (r *treeReader) object(start, depth int) (*node, error) {
	n := &node{kind: nObject, start: start}
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, err
		}
		if d, ok := tok.(json.Delim); ok && d == '}' {
			n.end = int(r.dec.InputOffset()) - 1
			return n, nil
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("object key")
		}
		v, err := r.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
}

func (r *treeReader) array(start, depth int) (*node, error) {
	n := &node{kind: nArray, start: start}
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, err
		}
		if d, ok := tok.(json.Delim); ok && d == ']' {
			n.end = int(r.dec.InputOffset()) - 1
			return n, nil
		}
		v, err := r.fromToken(tok, depth+1)
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
	}
}

// position maps a byte offset of doc to a 1-based line and column, counting
// columns in characters.
func position(doc string, off int) Position {
	if off > len(doc) {
		off = len(doc)
	}
	if off < 0 {
		off = 0
	}
	line := 1 + strings.Count(doc[:off], "\n")
	lineStart := strings.LastIndexByte(doc[:off], '\n') + 1
	return Position{Line: line, Column: 1 + utf8.RuneCountInString(doc[lineStart:off])}
}
