package sigv4

import (
	"fmt"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// Messages AWS's JSON front door sends. They are reproduced byte for byte,
// trailing spaces included, because clients and tests match on them.
const (
	msgMissingToken = "Missing Authentication Token"
	msgMismatch     = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgUnknownKey    = "The security token included in the request is invalid."
	msgHostNotSigned = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
	msgNeedDate      = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
)

func missingToken() *apierr.Error {
	return apierr.New(apierr.MissingAuthenticationToken, msgMissingToken)
}

func incomplete(format string, args ...any) *apierr.Error {
	return apierr.Newf(apierr.IncompleteSignature, format, args...)
}

func invalid(message string) *apierr.Error {
	return apierr.New(apierr.InvalidSignature, message)
}

// mismatch is the answer to every signature that does not verify; the cause,
// which is only logged, says which part of the request differed.
func mismatch(cause error) *apierr.Error {
	return apierr.Wrap(apierr.InvalidSignature, msgMismatch, cause)
}

func unknownKey(cause error) *apierr.Error {
	return apierr.Wrap(apierr.UnrecognizedClient, msgUnknownKey, cause)
}

func badPair(pair, header string) *apierr.Error {
	return incomplete("'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", pair, header)
}

func badDate(value string) *apierr.Error {
	return incomplete("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", value)
}

func unsupportedAlgorithm(alg string) *apierr.Error {
	return incomplete("Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). ", alg)
}

func badCredential(credential string) *apierr.Error {
	return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", credential)
}

func expired(stamp, earliest, now time.Time, skew time.Duration) *apierr.Error {
	return invalid(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
		stamp.Format(timeFormat), earliest.Format(timeFormat), now.Format(timeFormat), skewText(skew)))
}

func notYetCurrent(stamp, latest, now time.Time, skew time.Duration) *apierr.Error {
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
