package awsjson

import (
	"net/http"
	"strings"
)

// Browsers call Cognito directly (Amplify, the AWS SDK for JavaScript), so
// every response allows any origin. No cookies are involved: credentials, if
// any, travel in headers the preflight allows.
var (
	corsAllowHeaders = strings.Join([]string{
		"content-type", "x-amz-target", "x-amz-user-agent", "x-amz-date",
		"authorization", "x-amz-security-token", "x-amz-content-sha256",
		"amz-sdk-invocation-id", "amz-sdk-request", "cache-control",
		"x-amz-api-version", "x-amz-client-context", "x-amzn-trace-id",
	}, ", ")
	corsExposeHeaders = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date"
)

func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
}

// preflight answers an OPTIONS request.
func preflight(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}
