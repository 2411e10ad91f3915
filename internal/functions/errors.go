package functions

import (
	"errors"
	"fmt"
)

// The outcomes of an invocation other than a response, as Cognito tells them
// apart. Callers test them with errors.Is, and a function's own error with
// errors.As(err, new(*FunctionError)).
var (
	// ErrUnexpected: the function could not be reached, failed outside its
	// code, or did not answer in time (UnexpectedLambdaException).
	ErrUnexpected = errors.New("functions: unexpected failure")
	// ErrTimeout is the ErrUnexpected of a function that did not answer
	// within the timeout; errors.Is(err, ErrUnexpected) holds for it too.
	ErrTimeout = fmt.Errorf("%w: no answer in time", ErrUnexpected)
	// ErrInvalidResponse: the function answered something that is not a JSON
	// object, or too much of it (InvalidLambdaResponseException).
	ErrInvalidResponse = errors.New("functions: invalid response")
	// ErrNoTarget: nothing is configured to reach the function: it is not in
	// the functions file and no Lambda endpoint is configured.
	ErrNoTarget = errors.New("functions: no target configured for the function")
	// ErrInvalidARN: the name is not a Lambda function ARN.
	ErrInvalidARN = errors.New("functions: invalid function ARN")
)

// FunctionError is the function's own error: it ran and failed, as a Lambda
// handler that returns an error (UserLambdaValidationException, "PreSignUp
// failed with error <Message>.").
type FunctionError struct {
	Type    string // errorType, e.g. "errorString"; may be empty
	Message string // errorMessage, the function's words
}

func (e *FunctionError) Error() string {
	if e.Type == "" {
		return "functions: function error: " + e.Message
	}
	return fmt.Sprintf("functions: function error (%s): %s", e.Type, e.Message)
}

// unexpected is ErrUnexpected with detail (for logs); %w in format keeps a cause.
func unexpected(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnexpected}, args...)...)
}

// invalid is ErrInvalidResponse with detail (for logs).
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidResponse}, args...)...)
}
