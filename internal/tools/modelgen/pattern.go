package main

import (
	"fmt"
	"regexp"
	"strings"
)

// Service models carry Java regular expressions, which AWS applies to the
// whole value (Matcher.matches). translatePattern rewrites one into an RE2
// expression anchored at both ends that accepts the same strings, or says why
// it cannot.

// javaSpace is Java's \s: RE2's \s lacks the vertical tab.
const javaSpace = `\t\n\x0B\f\r `

// javaDot is what Java's '.' matches outside DOTALL mode: anything but a line
// terminator. RE2's '.' only excludes \n.
const javaDot = `[^\n\r\x{85}\x{2028}\x{2029}]`

// rewrites are hand-checked RE2 equivalents of model patterns whose Java
// syntax has no mechanical translation.
var rewrites = map[string]string{
	// Any run of these characters that does not end with '.': the lookbehind
	// only looks at the last character, and the empty string matches.
	`^[0-9A-Za-z\.\-_]*(?<!\.)$`: `^(?:[0-9A-Za-z.\-_]*[0-9A-Za-z\-_])?$`,
}

// translatePattern returns the anchored RE2 form of a Java pattern.
func translatePattern(java string) (string, error) {
	if re, ok := rewrites[java]; ok {
		return re, compileCheck(re)
	}
	body, err := translateBody(java)
	if err != nil {
		return "", err
	}
	re := "^(?:" + body + ")$"
	return re, compileCheck(re)
}

func compileCheck(re string) error {
	if _, err := regexp.Compile(re); err != nil {
		return fmt.Errorf("not valid RE2: %v", err)
	}
	return nil
}

func translateBody(java string) (string, error) {
	var out strings.Builder
	dotAll := strings.HasPrefix(java, "(?s)")
	inClass := false
	classStart := 0
	afterQuantifier := false
	for i := 0; i < len(java); i++ {
		c := java[i]
		quantifier := false
		switch {
		case c == '\\':
			if i+1 >= len(java) {
				return "", fmt.Errorf("trailing backslash")
			}
			i++
			esc, err := translateEscape(java, &i, inClass)
			if err != nil {
				return "", err
			}
			out.WriteString(esc)
		case inClass:
			switch {
			case c == '[':
				return "", fmt.Errorf("nested character classes are Java-only")
			case c == '&' && i+1 < len(java) && java[i+1] == '&':
				return "", fmt.Errorf("character class intersection is Java-only")
			case c == ']' && i > classStart:
				inClass = false
			}
			out.WriteByte(c)
		case c == '[' && strings.HasPrefix(java[i+1:], `\S]`):
			// [\S], Java's non-space class, is RE2's [^...] of Java's spaces.
			out.WriteString("[^" + javaSpace + "]")
			i += 3
		case c == '[':
			inClass = true
			out.WriteByte(c)
			if i+1 < len(java) && java[i+1] == '^' {
				out.WriteByte('^')
				i++
			}
			classStart = i + 1
		case c == '(' && strings.HasPrefix(java[i:], "(?"):
			if err := checkGroup(java[i:]); err != nil {
				return "", err
			}
			out.WriteByte(c)
		case c == '.' && !dotAll:
			out.WriteString(javaDot)
		case c == '*' || c == '+' || c == '?':
			if c == '+' && afterQuantifier {
				return "", fmt.Errorf("possessive quantifiers are Java-only")
			}
			quantifier = c != '?' || !afterQuantifier
			out.WriteByte(c)
		case c == '}':
			quantifier = true
			out.WriteByte(c)
		default:
			out.WriteByte(c)
		}
		afterQuantifier = quantifier
	}
	if inClass {
		return "", fmt.Errorf("unterminated character class")
	}
	return out.String(), nil
}

// translateEscape handles the escape whose letter is at java[*i].
func translateEscape(java string, i *int, inClass bool) (string, error) {
	c := java[*i]
	switch c {
	case 's':
		if inClass {
			return javaSpace, nil
		}
		return "[" + javaSpace + "]", nil
	case 'S':
		if !inClass {
			return "[^" + javaSpace + "]", nil
		}
		return "", fmt.Errorf(`\S inside a larger character class has no RE2 equivalent`)
	case 'u':
		if *i+4 < len(java) {
			hex := java[*i+1 : *i+5]
			*i += 4
			return `\x{` + hex + `}`, nil
		}
		return "", fmt.Errorf(`short \u escape`)
	case 'h', 'H', 'v', 'V', 'R', 'X', 'G', 'Z', 'k', 'e', 'c':
		return "", fmt.Errorf(`\%c is Java-only`, c)
	case 'p', 'P':
		// Unicode categories and scripts; Java-only names fail to compile.
		return `\` + string(c), nil
	}
	if c >= '1' && c <= '9' && !inClass {
		return "", fmt.Errorf("backreferences are not supported by RE2")
	}
	return `\` + string(c), nil
}

// checkGroup refuses group syntax RE2 lacks.
func checkGroup(rest string) error {
	for _, p := range []string{"(?=", "(?!", "(?<=", "(?<!"} {
		if strings.HasPrefix(rest, p) {
			return fmt.Errorf("lookaround %s...) is not supported by RE2", p)
		}
	}
	if strings.HasPrefix(rest, "(?>") {
		return fmt.Errorf("atomic groups are not supported by RE2")
	}
	return nil
}
