package awsjson

import (
	"regexp"
	"regexp/syntax"
	"sort"
	"sync"
)

// matchPattern reports whether re matches s. Most of the model's patterns
// are one character class repeated: [\p{L}\p{M}\p{S}\p{N}\p{P}]+ for
// names, [A-Za-z0-9-_=.]+ for tokens. Those are checked rune by rune against
// the class, which for a 1 KB access token is some twenty times cheaper
// than the regexp engine; every other pattern goes to re.
func matchPattern(re *regexp.Regexp, s string) bool {
	if c := classOf(re); c != nil {
		return c.matches(s)
	}
	return re.MatchString(s)
}

// A runeClass is a pattern ^[class]+$ or ^[class]*$.
type runeClass struct {
	ascii  [2]uint64 // bit r set for ASCII r in the class
	ranges []rune    // lo, hi pairs, sorted, as syntax.Regexp.Rune
	empty  bool      // the class is starred: "" matches
}

// classes caches classOf, a *runeClass or nil per pattern.
var classes sync.Map

// classOf returns re as a runeClass, or nil if it is not one.
func classOf(re *regexp.Regexp) *runeClass {
	if c, ok := classes.Load(re); ok {
		return c.(*runeClass)
	}
	c := compileClass(re.String())
	classes.Store(re, c)
	return c
}

// compileClass recognises ^[class]+$ and ^[class]*$, with any number of
// ^ and $ around (the generated rules wrap the model's pattern in
// ^(?:...)$, and some model patterns carry anchors of their own).
func compileClass(expr string) *runeClass {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat {
		return nil
	}
	subs := re.Sub
	for len(subs) > 0 && subs[0].Op == syntax.OpBeginText {
		subs = subs[1:]
	}
	for len(subs) > 0 && subs[len(subs)-1].Op == syntax.OpEndText {
		subs = subs[:len(subs)-1]
	}
	if len(subs) != 1 || len(subs) == len(re.Sub) {
		return nil
	}
	rep := subs[0]
	if (rep.Op != syntax.OpPlus && rep.Op != syntax.OpStar) || len(rep.Sub) != 1 || rep.Sub[0].Op != syntax.OpCharClass {
		return nil
	}
	// The anchors must be at both ends, not only one.
	if re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return nil
	}
	c := &runeClass{ranges: append([]rune(nil), rep.Sub[0].Rune...), empty: rep.Op == syntax.OpStar}
	for i := 0; i+1 < len(c.ranges); i += 2 {
		for r := c.ranges[i]; r <= c.ranges[i+1] && r < 128; r++ {
			c.ascii[r/64] |= 1 << (r % 64)
		}
	}
	return c
}

// matches reports whether every rune of s is in the class. Bytes that are
// not UTF-8 count as U+FFFD, as the regexp package reads them.
func (c *runeClass) matches(s string) bool {
	if s == "" {
		return c.empty
	}
	for _, r := range s {
		if r < 128 {
			if c.ascii[r/64]&(1<<(r%64)) == 0 {
				return false
			}
			continue
		}
		if !c.hasRune(r) {
			return false
		}
	}
	return true
}

func (c *runeClass) hasRune(r rune) bool {
	n := len(c.ranges) / 2
	i := sort.Search(n, func(i int) bool { return c.ranges[2*i+1] >= r })
	return i < n && c.ranges[2*i] <= r
}
