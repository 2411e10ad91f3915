package sigv4

import (
	"fmt"
	"net/http"
	"time"
)

// Kind says what is wrong with a rejected request. Protocols name the kinds
// in their own words: AWS's JSON front door answers Invalid with
// InvalidSignatureException, the query protocol (STS, IAM) with
// SignatureDoesNotMatch.
type Kind uint8

// Kinds of rejection, in the order Verify checks for them.
const (
	// MissingToken: the request carries no SigV4 Authorization header.
	MissingToken Kind = iota + 1
	// Incomplete: the Authorization header lacks a part or is malformed,
	// or the date is not in ISO 8601 basic format.
	Incomplete
	// Invalid: the date is out of the allowed skew, a required header is
	// not signed, the credential scope is wrong, or the signature does not
	// match.
	Invalid
	// UnknownKey: the access key or session token is not known.
	UnknownKey
	// Internal: the verifier could not check the request (its Credentials
	// failed). It is not the client's fault.
	Internal
)

var kindNames = [...]string{
	MissingToken: "MissingToken",
	Incomplete:   "Incomplete",
	Invalid:      "Invalid",
	UnknownKey:   "UnknownKey",
	Internal:     "Internal",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Error is a rejection. Message is what AWS tells the client, byte for
// byte, trailing spaces included, because clients and tests match on it;
// Cause says, for the logs only, which part of the request was at fault.
type Error struct {
	Kind    Kind
	Message string
	Cause   error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("sigv4: %s: %s: %v", e.Kind, e.Message, e.Cause)
	}
	return fmt.Sprintf("sigv4: %s: %s", e.Kind, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// Messages AWS's front door sends.
const (
	msgMissingToken = "Missing Authentication Token"
	msgMismatch     = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgUnknownKey    = "The security token included in the request is invalid."
	msgHostNotSigned = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
	msgNeedDate      = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
	msgInternal      = "The request signature could not be checked."
)

func missingToken() *Error {
	return &Error{Kind: MissingToken, Message: msgMissingToken}
}

// notSigned refuses a request that carries a header it did not sign though
// it must. AWS documents no answer for this; the message is worded as its
// answer to an unsigned host.
func notSigned(header string) *Error {
	return invalid("'" + http.CanonicalHeaderKey(header) + "' must be a 'SignedHeader' in the AWS Authorization.")
}

func incomplete(format string, args ...any) *Error {
	return &Error{Kind: Incomplete, Message: fmt.Sprintf(format, args...)}
}

func invalid(message string) *Error {
	return &Error{Kind: Invalid, Message: message}
}

// mismatch is the answer to every signature that does not verify; the cause,
// which is only logged, says which part of the request differed.
func mismatch(cause error) *Error {
	return &Error{Kind: Invalid, Message: msgMismatch, Cause: cause}
}

func unknownKey(cause error) *Error {
	return &Error{Kind: UnknownKey, Message: msgUnknownKey, Cause: cause}
}

func internal(cause error) *Error {
	return &Error{Kind: Internal, Message: msgInternal, Cause: cause}
}

func badPair(pair, header string) *Error {
	return incomplete("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", pair, header)
}

func badDate(value string) *Error {
	return incomplete("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", value)
}

func unsupportedAlgorithm(alg string) *Error {
	return incomplete("Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). ", alg)
}

func badCredential(credential string) *Error {
	return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", credential)
}

func expired(stamp, earliest, now time.Time, skew time.Duration) *Error {
	return invalid(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
		stamp.Format(timeFormat), earliest.Format(timeFormat), now.Format(timeFormat), skewText(skew)))
}

func notYetCurrent(stamp, latest, now time.Time, skew time.Duration) *Error {
	return invalid(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
		stamp.Format(timeFormat), latest.Format(timeFormat), now.Format(timeFormat), skewText(skew)))
}

// skewText renders the allowed skew the way AWS does: "15 min.".
func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min.", d/time.Minute)
	}
	return fmt.Sprintf("%d sec.", d/time.Second)
}
