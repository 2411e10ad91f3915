// Package apierr defines the one error type Cognate returns to clients.
//
// Every failure that reaches a client is an *Error carrying Cognito's
// exception name (the wire "__type"), a message that is safe to show to the
// caller, optionally a wrapped cause that is only ever logged, and the HTTP
// status when it is not the one the answering service sends for that name
// (see StatusOf). The wire layers turn an *Error into a
// response in exactly one place; anything that is not an *Error becomes an
// InternalErrorException with a generic message.
package apierr

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// Error is a client-facing failure.
type Error struct {
	// Code is Cognito's exception name, for example "NotAuthorizedException".
	Code string
	// Status is the HTTP status sent with the error; 0 leaves it to the
	// service that answers, which applies StatusOf to its own model.
	Status int
	// Message is safe to show to the client.
	Message string
	// Cause is the underlying error; it is logged, never sent.
	Cause error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, apierr.New(apierr.NotAuthorized, "")) style checks work.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// LogValue keeps causes in logs while the message stays client-safe.
func (e *Error) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("code", e.Code), slog.String("message", e.Message)}
	if e.Status != 0 {
		attrs = append(attrs, slog.Int("status", e.Status))
	}
	if e.Cause != nil {
		attrs = append(attrs, slog.String("cause", e.Cause.Error()))
	}
	return slog.GroupValue(attrs...)
}

// New returns an error with the given exception name. Its status is left to
// the service that answers (see StatusOf), but for the errors of AWS's front
// door, which no service model lists.
func New(code, message string) *Error {
	return &Error{Code: code, Status: protocolStatus[code], Message: message}
}

// Newf is New with a formatted message.
func Newf(code, format string, args ...any) *Error {
	return New(code, fmt.Sprintf(format, args...))
}

// Wrap returns an error with a cause that is logged but not sent.
func Wrap(code, message string, cause error) *Error {
	e := New(code, message)
	e.Cause = cause
	return e
}

// Internal wraps an unexpected failure. The client sees only a generic message.
func Internal(cause error) *Error {
	return &Error{Code: InternalError, Status: http.StatusInternalServerError, Message: "Internal server error.", Cause: cause}
}

// As returns err as an *Error, converting anything else into an internal error.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// HasCode reports whether err is an *Error with the given exception name.
func HasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// StatusOf returns the HTTP status a service sends with the named
// exception, given the status its service model gives it (0 when the model
// does not list it). Each service has its own model and so its own table
// (idpapi.ExceptionStatus for cognito-idp); the rule is Cognito's.
//
// Cognito answers every client error of its model with 400, whatever status
// the model gives it: NotAuthorizedException (403 in the model),
// UserNotFoundException and ResourceNotFoundException (404) and
// TooManyRequestsException (429) all reach clients as 400 Bad Request, as
// the SDKs' error reports show. Server errors keep their 5xx. Errors of the
// front door keep the statuses of protocolStatus.
func StatusOf(code string, modelStatus int) int {
	if s, ok := protocolStatus[code]; ok {
		return s
	}
	if modelStatus >= http.StatusInternalServerError {
		return modelStatus
	}
	return http.StatusBadRequest
}

// protocolStatus holds the statuses of errors raised by AWS's front door
// rather than by the service, which the service model does not list. The JSON
// protocol front door answers every authentication failure with 400, a
// missing token included (the 403s of AWS's "common errors" pages are the
// query protocol's).
var protocolStatus = map[string]int{
	InternalError:              http.StatusInternalServerError,
	UnknownOperation:           http.StatusBadRequest,
	SerializationException:     http.StatusBadRequest,
	MissingAuthenticationToken: http.StatusBadRequest,
	IncompleteSignature:        http.StatusBadRequest,
	InvalidSignature:           http.StatusBadRequest,
	SignatureDoesNotMatch:      http.StatusForbidden,
	UnrecognizedClient:         http.StatusBadRequest,
	AccessDenied:               http.StatusForbidden,
}

// Exception names used throughout Cognate. The service-specific ones come
// from Cognito's model; the protocol-level ones are the names AWS's JSON
// front door uses.
const (
	InternalError                = "InternalErrorException"
	InvalidParameter             = "InvalidParameterException"
	InvalidPassword              = "InvalidPasswordException"
	NotAuthorized                = "NotAuthorizedException"
	ResourceNotFound             = "ResourceNotFoundException"
	UserNotFound                 = "UserNotFoundException"
	UserNotConfirmed             = "UserNotConfirmedException"
	UsernameExists               = "UsernameExistsException"
	AliasExists                  = "AliasExistsException"
	GroupExists                  = "GroupExistsException"
	CodeMismatch                 = "CodeMismatchException"
	ExpiredCode                  = "ExpiredCodeException"
	LimitExceeded                = "LimitExceededException"
	TooManyFailedAttempts        = "TooManyFailedAttemptsException"
	RefreshTokenReuse            = "RefreshTokenReuseException"
	TooManyRequests              = "TooManyRequestsException"
	PasswordResetRequired        = "PasswordResetRequiredException"
	InvalidUserPoolConfiguration = "InvalidUserPoolConfigurationException"
	UnsupportedOperation         = "UnsupportedOperationException"
	UnsupportedTokenType         = "UnsupportedTokenTypeException"
	Unauthorized                 = "UnauthorizedException"
	ConcurrentModification       = "ConcurrentModificationException"
	UserPoolTagging              = "UserPoolTaggingException"
	InvalidOAuthFlow             = "InvalidOAuthFlowException"
	ScopeDoesNotExist            = "ScopeDoesNotExistException"
	CodeDeliveryFailure          = "CodeDeliveryFailureException"
	InvalidLambdaResponse        = "InvalidLambdaResponseException"
	UserLambdaValidation         = "UserLambdaValidationException"
	UnexpectedLambda             = "UnexpectedLambdaException"
	MFAMethodNotFound            = "MFAMethodNotFoundException"
	EnableSoftwareTokenMFA       = "EnableSoftwareTokenMFAException"
	SoftwareTokenMFANotFound     = "SoftwareTokenMFANotFoundException"
	InvalidEmailRoleAccessPolicy = "InvalidEmailRoleAccessPolicyException"
	DeviceKeyExists              = "DeviceKeyExistsException"

	// Protocol-level errors answered by AWS's JSON front door.
	UnknownOperation           = "UnknownOperationException"
	SerializationException     = "SerializationException"
	MissingAuthenticationToken = "MissingAuthenticationTokenException"
	IncompleteSignature        = "IncompleteSignatureException"
	InvalidSignature           = "InvalidSignatureException"
	SignatureDoesNotMatch      = "SignatureDoesNotMatchException"
	AccessDenied               = "AccessDeniedException"
	UnrecognizedClient         = "UnrecognizedClientException"
)
