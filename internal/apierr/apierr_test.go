package apierr

import (
	"net/http"
	"testing"
)

// Cognito sends its modeled client errors with 400 even where the model says
// 403, 404 or 429; clients and tools that look at the status see what they
// would see from AWS.
func TestStatusOfFollowsTheWireNotTheModel(t *testing.T) {
	for code, want := range map[string]int{
		NotAuthorized:               http.StatusBadRequest,
		UserNotFound:                http.StatusBadRequest,
		ResourceNotFound:            http.StatusBadRequest,
		"TooManyRequestsException":  http.StatusBadRequest,
		"UsernameExistsException":   http.StatusBadRequest,
		InternalError:               http.StatusInternalServerError,
		"InternalServerException":   http.StatusInternalServerError,
		SignatureDoesNotMatch:       http.StatusForbidden,
		AccessDenied:                http.StatusForbidden,
		MissingAuthenticationToken:  http.StatusBadRequest,
		"SomethingNobodyHasHeardOf": http.StatusBadRequest,
	} {
		if got := StatusOf(code); got != want {
			t.Errorf("StatusOf(%s) = %d, want %d", code, got, want)
		}
		if got := New(code, "m").Status; got != want {
			t.Errorf("New(%s).Status = %d, want %d", code, got, want)
		}
	}
}
