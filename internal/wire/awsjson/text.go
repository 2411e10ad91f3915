package awsjson

import (
	"bytes"
	"unicode/utf8"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// checkText refuses a body that is not valid UTF-8, or whose JSON escapes
// a UTF-16 surrogate that is not half of a pair. encoding/json would
// silently read either as U+FFFD, so a username or a password would be
// stored or compared as something the client never sent.
func checkText(body []byte) error {
	if !utf8.Valid(body) {
		return apierr.New(apierr.InvalidParameter, "The request body is not valid UTF-8.")
	}
	if loneSurrogate(body) {
		return apierr.New(apierr.InvalidParameter,
			`The request body escapes a lone UTF-16 surrogate (\ud800 to \udfff), which is not a character.`)
	}
	return nil
}

// loneSurrogate reports whether body holds an escape \uD800-\uDBFF not
// followed by an escape \uDC00-\uDFFF, or one of the latter on its own.
// Escapes that are not \u followed by four hex digits are left for the JSON
// decoder to refuse.
func loneSurrogate(body []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(body[i:], '\\')
		if j < 0 {
			return false
		}
		i += j + 1 // past the backslash
		if i >= len(body) {
			return false
		}
		if body[i] != 'u' {
			i++ // \\, \" and the like: the escaped byte is not an escape
			continue
		}
		r, ok := escapedUnit(body[i-1:])
		if !ok {
			i++
			continue
		}
		i += 5 // past u and four digits
		switch {
		case 0xDC00 <= r && r <= 0xDFFF:
			return true
		case 0xD800 <= r && r <= 0xDBFF:
			low, ok := escapedUnit(body[i:])
			if !ok || low < 0xDC00 || low > 0xDFFF {
				return true
			}
			i += 6
		}
	}
}

// escapedUnit reads the code unit of a \uXXXX escape at the start of b.
func escapedUnit(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}
