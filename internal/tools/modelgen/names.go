package main

import (
	"strings"
	"unicode"
)

// exported returns a member name usable as an exported Go field: member
// names are kept as they are, except that a lower-case first letter
// ("message", "headerName") is raised.
func exported(name string) string {
	if name == "" {
		return name
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// enumConst names the constant for one value of an enum shape, in the style
// of the AWS SDK for Go: AuthFlowType + USER_SRP_AUTH = AuthFlowTypeUserSrpAuth.
func enumConst(shapeName, value string) string {
	var b strings.Builder
	b.WriteString(shapeName)
	for _, word := range strings.FieldsFunc(value, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		r := []rune(word)
		if word == strings.ToUpper(word) {
			r = []rune(strings.ToLower(word))
		}
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String()
}
