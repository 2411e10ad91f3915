package sigv4

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// canonicalRequest writes the canonical form of r that the client signed:
//
//	METHOD \n URI \n QUERY \n name:value \n … \n \n SIGNED-HEADERS \n PAYLOAD-HASH
//
// The signed header names are used exactly as the client listed them, in
// that order, so that what is hashed is what the client hashed. redact
// replaces the value of the session token, for a copy that may be logged.
func canonicalRequest(buf *bytes.Buffer, r *http.Request, signedHeaders, payloadHash string, redact bool) error {
	buf.WriteString(r.Method)
	buf.WriteByte('\n')
	writeCanonicalURI(buf, r)
	buf.WriteByte('\n')
	if err := writeCanonicalQuery(buf, r.URL.RawQuery); err != nil {
		return err
	}
	buf.WriteByte('\n')
	for name := range strings.SplitSeq(signedHeaders, ";") {
		buf.WriteString(name)
		buf.WriteByte(':')
		if redact && strings.EqualFold(name, "x-amz-security-token") {
			buf.WriteString("<redacted>")
		} else {
			writeHeaderValue(buf, r, name)
		}
		buf.WriteByte('\n')
	}
	buf.WriteByte('\n')
	buf.WriteString(signedHeaders)
	buf.WriteByte('\n')
	buf.WriteString(payloadHash)
	return nil
}

// writeCanonicalURI writes the path as sent, encoded once more: services
// other than S3 sign the path with each segment URI-encoded twice.
func writeCanonicalURI(buf *bytes.Buffer, r *http.Request) {
	path := r.URL.EscapedPath()
	if path == "" {
		buf.WriteByte('/')
		return
	}
	writeEncoded(buf, path, true)
}

// writeCanonicalQuery writes the query parameters decoded, re-encoded by
// RFC 3986 and sorted by name, then value.
func writeCanonicalQuery(buf *bytes.Buffer, rawQuery string) error {
	if rawQuery == "" {
		return nil
	}
	type param struct{ key, value string }
	var params []param
	for part := range strings.SplitSeq(rawQuery, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return fmt.Errorf("query parameter name %q: %w", k, err)
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return fmt.Errorf("query parameter value %q: %w", v, err)
		}
		params = append(params, param{key, value})
	}
	slices.SortFunc(params, func(a, b param) int {
		return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.value, b.value))
	})
	for i, p := range params {
		if i > 0 {
			buf.WriteByte('&')
		}
		writeEncoded(buf, p.key, false)
		buf.WriteByte('=')
		writeEncoded(buf, p.value, false)
	}
	return nil
}

// writeEncoded percent-encodes every byte but RFC 3986's unreserved ones
// (and '/' when keepSlash), with upper-case hex digits.
func writeEncoded(buf *bytes.Buffer, s string, keepSlash bool) {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || (keepSlash && c == '/') {
			buf.WriteByte(c)
			continue
		}
		buf.WriteByte('%')
		buf.WriteByte(hexDigits[c>>4])
		buf.WriteByte(hexDigits[c&15])
	}
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// writeHeaderValue writes the values of one header joined by commas, each
// trimmed and with runs of spaces collapsed to one. net/http keeps the host
// (and, for chunked bodies, the length) outside r.Header, so those come from
// the request itself. A signed header the request lacks has an empty value,
// which then fails to verify.
func writeHeaderValue(buf *bytes.Buffer, r *http.Request, name string) {
	if strings.EqualFold(name, "host") || name == ":authority" {
		writeTrimmed(buf, r.Host)
		return
	}
	values := headerValues(r.Header, name)
	if len(values) == 0 && strings.EqualFold(name, "content-length") && r.ContentLength >= 0 {
		buf.WriteString(strconv.FormatInt(r.ContentLength, 10))
		return
	}
	for i, v := range values {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeTrimmed(buf, v)
	}
}

func writeTrimmed(buf *bytes.Buffer, v string) {
	v = strings.Trim(v, " \t")
	if !strings.Contains(v, "  ") {
		buf.WriteString(v)
		return
	}
	space := false
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			if !space {
				buf.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		buf.WriteByte(v[i])
	}
}

// headerValues is h.Values(name) without the allocation of building the
// canonical form of a lower-case name: the form is built on the stack, and a
// map index by string(bytes) does not copy.
func headerValues(h http.Header, name string) []string {
	var key [64]byte
	if len(name) > len(key) {
		return h.Values(name)
	}
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case upper && 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case !upper && 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		key[i] = c
		upper = c == '-'
	}
	if v, ok := h[string(key[:len(name)])]; ok {
		return v
	}
	// Not found, or a name outside the canonical alphabet that textproto
	// leaves as it is.
	return h.Values(name)
}
