package sigv4

import "strings"

// authorization is the parsed Authorization header of a signed request:
//
//	AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=5f…
type authorization struct {
	algorithm     string
	credential    string
	signedHeaders string
	signature     string
	// SignedHeaders may be present and empty; that is reported later, as an
	// unsigned host, not as a missing parameter.
	hasSignedHeaders bool
}

// parseAuthorization splits an Authorization header. A header that does not
// start with "AWS4-" is not a SigV4 header at all, which AWS answers as a
// missing token. Parameters are separated by commas and white space in any
// mix, every one must be key=value, and the last value of a repeated key wins.
func parseAuthorization(header string) (authorization, *Error) {
	h := strings.Trim(header, " \t")
	if !strings.HasPrefix(h, "AWS4-") {
		return authorization{}, missingToken()
	}
	var a authorization
	end := strings.IndexAny(h, " \t,")
	if end < 0 {
		a.algorithm = h
		return a, nil
	}
	a.algorithm = h[:end]
	for rest := h[end:]; rest != ""; {
		rest = strings.TrimLeft(rest, " \t,")
		if rest == "" {
			break
		}
		n := strings.IndexAny(rest, " \t,")
		if n < 0 {
			n = len(rest)
		}
		token := rest[:n]
		rest = rest[n:]
		key, value, ok := strings.Cut(token, "=")
		if !ok {
			return authorization{}, badPair(token, header)
		}
		switch key {
		case "Credential":
			a.credential = value
		case "SignedHeaders":
			a.signedHeaders = value
			a.hasSignedHeaders = true
		case "Signature":
			a.signature = value
		}
	}
	return a, nil
}

// missing lists, in AWS's words and order, the parts a request lacks; ""
// when it has them all.
func (a authorization) missing(haveDate bool) string {
	var b strings.Builder
	if a.credential == "" {
		b.WriteString("Authorization header requires 'Credential' parameter. ")
	}
	if a.signature == "" {
		b.WriteString("Authorization header requires 'Signature' parameter. ")
	}
	if !a.hasSignedHeaders {
		b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
	}
	if !haveDate {
		b.WriteString(msgNeedDate)
	}
	return b.String()
}

// signsHost reports whether the host is among the signed headers; without it
// a signature could be replayed against another endpoint.
func (a authorization) signsHost() bool {
	return a.signs("host") || a.signs(":authority")
}

// signs reports whether the header is among the signed headers.
func (a authorization) signs(header string) bool {
	for name := range strings.SplitSeq(a.signedHeaders, ";") {
		if strings.EqualFold(name, header) {
			return true
		}
	}
	return false
}

// scope is the credential of a signed request split into its five parts.
type scope struct {
	accessKeyID, date, region, service, terminator string
}

// parseCredential splits "AKID/20261122/us-east-1/cognito-idp/aws4_request".
// Trailing slashes are ignored, as AWS ignores them.
func parseCredential(credential string) (scope, *Error) {
	var parts [5]string
	rest := strings.TrimRight(credential, "/")
	for i := range parts {
		var found bool
		parts[i], rest, found = strings.Cut(rest, "/")
		if found != (i < len(parts)-1) {
			return scope{}, badCredential(credential)
		}
	}
	return scope{parts[0], parts[1], parts[2], parts[3], parts[4]}, nil
}

// String returns the credential scope as it appears in the string to sign.
func (s scope) String() string {
	return s.date + "/" + s.region + "/" + s.service + "/" + s.terminator
}
