package policy

import (
	"strings"
	"unicode/utf8"
)

// A pattern is a compiled Action, Resource or condition value: literal text,
// the wildcards * and ?, and policy variables, split at compile time into the
// runs between stars so that matching needs no regular expression and no
// allocation.

type segKind uint8

const (
	segLit segKind = iota
	segAnyChar
	segVar
)

type seg struct {
	kind   segKind
	lit    string // segLit
	key    string // segVar: the context key
	def    string // segVar: the default value
	hasDef bool
}

type pattern struct {
	any    bool    // the pattern is exactly "*"
	star   bool    // the pattern contains at least one *
	chunks [][]seg // the runs between stars; len(chunks) = stars + 1
	vars   bool    // some chunk holds a variable
	// arn holds the six colon-separated parts of an ARN-shaped pattern, each
	// matched separately (as IAM matches ARNs); nil for other patterns.
	arn []pattern
}

// compileOpts says how a pattern's text is read.
type compileOpts struct {
	wildcards bool // * and ? are wildcards (else literal)
	variables bool // ${...} is a policy variable (2012-10-17 documents)
	lower     bool // fold literal text to lower case (actions)
}

func compilePattern(text string, o compileOpts) pattern {
	if o.lower {
		text = strings.ToLower(text)
	}
	p := pattern{chunks: [][]seg{nil}}
	if o.wildcards && text == "*" {
		p.any = true
	}
	cur := 0
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p.chunks[cur] = append(p.chunks[cur], seg{kind: segLit, lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case o.variables && c == '$' && strings.HasPrefix(text[i:], "${"):
			end := strings.IndexByte(text[i:], '}')
			if end < 0 {
				lit.WriteString(text[i:])
				i = len(text)
				continue
			}
			inner := text[i+2 : i+end]
			i += end + 1
			switch inner {
			case "*", "?", "$":
				lit.WriteString(inner)
				continue
			}
			flush()
			s := parseVariable(inner)
			p.chunks[cur] = append(p.chunks[cur], s)
			p.vars = true
		case o.wildcards && c == '*':
			flush()
			p.star = true
			p.chunks = append(p.chunks, nil)
			cur++
			i++
		case o.wildcards && c == '?':
			flush()
			p.chunks[cur] = append(p.chunks[cur], seg{kind: segAnyChar})
			i++
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	return p
}

// parseVariable reads the inside of ${...}: a key, optionally followed by a
// comma and a single-quoted default value.
func parseVariable(inner string) seg {
	s := seg{kind: segVar, key: strings.TrimSpace(inner)}
	if comma := strings.IndexByte(inner, ','); comma >= 0 {
		d := strings.TrimSpace(inner[comma+1:])
		if len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' {
			s.key = strings.TrimSpace(inner[:comma])
			s.def = strings.ReplaceAll(d[1:len(d)-1], "''", "'")
			s.hasDef = true
		}
	}
	return s
}

// compileARNPattern compiles a pattern that is matched part by part when it
// has the shape of an ARN (arn:partition:service:region:account:resource).
func compileARNPattern(text string, o compileOpts) pattern {
	p := compilePattern(text, o)
	if p.any || !strings.HasPrefix(text, "arn:") {
		return p
	}
	parts := splitARN(text, o.variables)
	if len(parts) < 6 {
		return p
	}
	p.arn = make([]pattern, 6)
	for i, part := range parts {
		p.arn[i] = compilePattern(part, o)
		if p.arn[i].vars {
			p.vars = true
		}
	}
	return p
}

// splitARN splits an ARN pattern into its six parts, the last keeping any
// further colons. A colon inside a policy variable (${aws:username}) does not
// split.
func splitARN(text string, variables bool) []string {
	parts := make([]string, 0, 6)
	start, inVar := 0, false
	for i := 0; i < len(text) && len(parts) < 5; i++ {
		switch {
		case inVar:
			inVar = text[i] != '}'
		case variables && text[i] == '$' && strings.HasPrefix(text[i:], "${") && strings.IndexByte(text[i:], '}') > 0:
			inVar = true
			i++
		case text[i] == ':':
			parts = append(parts, text[start:i])
			start = i + 1
		}
	}
	return append(parts, text[start:])
}

// vars resolves policy variables against a request's context.
type vars struct {
	ctx     map[string][]string
	missing *[]string
}

// resolve returns the value of a variable: the context's single value for the
// key, else the default, else nothing.
func (v vars) resolve(s *seg) (string, bool) {
	vals, ok := lookup(v.ctx, s.key)
	if ok && len(vals) == 1 {
		return vals[0], true
	}
	if s.hasDef {
		return s.def, true
	}
	if v.missing != nil {
		addMissing(v.missing, s.key)
	}
	return "", false
}

// resolvable reports whether every variable in p has a value.
func (p *pattern) resolvable(v vars) bool {
	if !p.vars {
		return true
	}
	ok := true
	for _, c := range p.chunks {
		for i := range c {
			if c[i].kind == segVar {
				if _, has := v.resolve(&c[i]); !has {
					ok = false
				}
			}
		}
	}
	return ok
}

// match reports whether s matches p. fold compares literal text without
// regard to case (ASCII for wildcard patterns, Unicode for whole strings).
func (p *pattern) match(s string, fold bool, v vars) bool {
	if p.any {
		return true
	}
	if !p.resolvable(v) {
		return false
	}
	if p.arn != nil {
		rest := s
		for i := 0; i < 5; i++ {
			j := strings.IndexByte(rest, ':')
			if j < 0 {
				return false
			}
			if !p.arn[i].glob(rest[:j], fold, v) {
				return false
			}
			rest = rest[j+1:]
		}
		return p.arn[5].glob(rest, fold, v)
	}
	return p.glob(s, fold, v)
}

func (p *pattern) glob(s string, fold bool, v vars) bool {
	if p.any {
		return true
	}
	first := p.chunks[0]
	if !p.star {
		end, ok := chunkAt(first, s, 0, fold, v)
		return ok && end == len(s)
	}
	pos, ok := chunkAt(first, s, 0, fold, v)
	if !ok {
		return false
	}
	last := len(p.chunks) - 1
	for _, c := range p.chunks[1:last] {
		found := false
		for i := pos; i <= len(s); i++ {
			if end, ok := chunkAt(c, s, i, fold, v); ok {
				pos, found = end, true
				break
			}
		}
		if !found {
			return false
		}
	}
	tail := p.chunks[last]
	if len(tail) == 0 {
		return true
	}
	for i := pos; i <= len(s); i++ {
		if end, ok := chunkAt(tail, s, i, fold, v); ok && end == len(s) {
			return true
		}
	}
	return false
}

// chunkAt matches a star-free run at s[i:], returning where it ends.
func chunkAt(c []seg, s string, i int, fold bool, v vars) (int, bool) {
	for k := range c {
		g := &c[k]
		switch g.kind {
		case segAnyChar:
			if i >= len(s) {
				return 0, false
			}
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		case segLit:
			if !hasPrefixAt(s, i, g.lit, fold) {
				return 0, false
			}
			i += len(g.lit)
		case segVar:
			val, _ := v.resolve(g)
			if !hasPrefixAt(s, i, val, false) {
				return 0, false
			}
			i += len(val)
		}
	}
	return i, true
}

func hasPrefixAt(s string, i int, lit string, fold bool) bool {
	if len(s)-i < len(lit) {
		return false
	}
	if fold {
		return strings.EqualFold(s[i:i+len(lit)], lit)
	}
	return s[i:i+len(lit)] == lit
}

// lookup finds a context key regardless of case; a key with no values is
// absent.
func lookup(ctx map[string][]string, key string) ([]string, bool) {
	if vals, ok := ctx[key]; ok {
		return vals, len(vals) > 0
	}
	for k, vals := range ctx {
		if strings.EqualFold(k, key) {
			return vals, len(vals) > 0
		}
	}
	return nil, false
}

func addMissing(missing *[]string, key string) {
	for _, m := range *missing {
		if strings.EqualFold(m, key) {
			return
		}
	}
	*missing = append(*missing, key)
}
