package awsjson

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// modelPatterns returns every pattern the generated validators compile.
func modelPatterns(t testing.TB) []*regexp.Regexp {
	src, err := os.ReadFile("../idpapi/validate_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []*regexp.Regexp
	for _, m := range regexp.MustCompile("regexp\\.MustCompile\\(`([^`]*)`\\)").FindAllStringSubmatch(string(src), -1) {
		out = append(out, regexp.MustCompile(m[1]))
	}
	if len(out) < 20 {
		t.Fatalf("found %d patterns in validate_gen.go", len(out))
	}
	return out
}

// patternInputs exercise character classes: ASCII, letters and marks of
// other scripts, symbols, separators, controls, invalid UTF-8.
var patternInputs = []string{
	"", "a", "A", "0", "_", "-", ".", "=", "+", "/", "@", " ", "\t", "\n", "\x0b", "\f", "\r", "*", "#", "{####}", "{##x##}",
	"abc", "ABC-def_123=.", "alice@example.com", "us-east-1_AbCdEf123", "arn:aws:iam::123456789012:role/x",
	"é", "Ünïcödé", "日本語", "😀", "\u0301", "\u00a0", "\u2028", "\u0085", "a b", " a", "a ", "__", "x_y",
	"\xff", "ab\xffcd", "\xe2\x82", "\x00", "\x7f", "~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
	"eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl", strings.Repeat("A", 2048),
}

func TestMatchPatternAgreesWithRegexp(t *testing.T) {
	classed := 0
	for _, re := range modelPatterns(t) {
		if classOf(re) != nil {
			classed++
		}
		for _, a := range patternInputs {
			for _, b := range patternInputs[:12] {
				for _, s := range []string{a, a + b, b + a} {
					if got, want := matchPattern(re, s), re.MatchString(s); got != want {
						t.Errorf("%s on %q: %v, regexp says %v", re, s, got, want)
					}
				}
			}
		}
	}
	if classed < 10 {
		t.Errorf("only %d patterns take the fast path", classed)
	}
	token := regexp.MustCompile(`^(?:[A-Za-z0-9-_=.]+)$`)
	if classOf(token) == nil {
		t.Error("the token pattern does not take the fast path")
	}
}

func TestCompileClassRefusesOtherShapes(t *testing.T) {
	for _, expr := range []string{
		`^(?:[a-z]+)`, `(?:[a-z]+)$`, `[a-z]+`, `^(?:[a-z]+x)$`, `^(?:[a-z]{2,5})$`, `^(?:[\w-]+_[0-9a-zA-Z]+)$`,
		`^(?:[a-z]+|[0-9]+)$`, `^(?:.+)$`, `(?m)^(?:[a-z]+)$`,
	} {
		if c := compileClass(expr); c != nil {
			t.Errorf("compileClass(%s) took the fast path", expr)
		}
	}
}

func FuzzMatchPattern(f *testing.F) {
	patterns := modelPatterns(f)
	for i, s := range patternInputs {
		f.Add(uint(i), s)
	}
	f.Fuzz(func(t *testing.T, i uint, s string) {
		re := patterns[i%uint(len(patterns))]
		if got, want := matchPattern(re, s), re.MatchString(s); got != want {
			t.Errorf("%s on %q: %v, regexp says %v", re, s, got, want)
		}
	})
}

func BenchmarkMatchToken(b *testing.B) {
	re := regexp.MustCompile(`^(?:[A-Za-z0-9-_=.]+)$`)
	token := strings.Repeat("eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.", 28)
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			re.MatchString(token)
		}
	})
	b.Run("class", func(b *testing.B) {
		for b.Loop() {
			matchPattern(re, token)
		}
	})
}
