package iam

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"unicode"

	"github.com/cognate-auth/cognate/authz/policy"
	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
)

// The wire codes of the errors the service returns, as IAM and STS send
// them in an ErrorResponse's Code.
const (
	CodeNoSuchEntity            = "NoSuchEntity"
	CodeEntityAlreadyExists     = "EntityAlreadyExists"
	CodeMalformedPolicyDocument = "MalformedPolicyDocument"
	CodeDeleteConflict          = "DeleteConflict"
	CodeLimitExceeded           = "LimitExceeded"
	CodeInvalidInput            = "InvalidInput"
	CodeValidationError         = "ValidationError"
	// CodeAccessDenied is STS's refusal to let a caller take on a role
	// (403): the trust policy does not allow it, or the role does not
	// exist.
	CodeAccessDenied = "AccessDenied"
)

func noSuchEntity(format string, args ...any) error {
	return apierr.Newf(CodeNoSuchEntity, format, args...)
}

func alreadyExists(format string, args ...any) error {
	return apierr.Newf(CodeEntityAlreadyExists, format, args...)
}

func limitExceeded(format string, args ...any) error {
	return apierr.Newf(CodeLimitExceeded, format, args...)
}

func invalidInput(format string, args ...any) error {
	return apierr.Newf(CodeInvalidInput, format, args...)
}

func validationError(format string, args ...any) error {
	return &apierr.Error{Code: CodeValidationError, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func accessDenied(message string) error {
	return &apierr.Error{Code: CodeAccessDenied, Status: http.StatusForbidden, Message: message}
}

func roleNotFound(name string) error {
	return noSuchEntity("The role with name %s cannot be found.", name)
}

func userNotFound(name string) error {
	return noSuchEntity("The user with name %s cannot be found.", name)
}

// storeErr turns an unexpected store failure into an internal error.
func storeErr(err error) error {
	var e *apierr.Error
	if errors.As(err, &e) {
		return err
	}
	return apierr.Internal(err)
}

// parsePolicy parses a document as IAM does on input: its syntax errors
// are MalformedPolicyDocument.
func parsePolicy(doc string, kind policy.Kind) (*policy.Policy, error) {
	p, err := policy.Parse(doc, kind)
	if err != nil {
		var se *policy.SyntaxError
		if errors.As(err, &se) {
			return nil, apierr.New(CodeMalformedPolicyDocument, se.Message)
		}
		return nil, apierr.Internal(err)
	}
	return p, nil
}

// policySize is a document's size as IAM's quotas count it: characters,
// white space excluded.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

var (
	namePattern     = regexp.MustCompile(`^[\w+=,.@-]+$`)
	userNamePattern = namePattern
	pathPattern     = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
	samlNamePattern = regexp.MustCompile(`^[\w._-]+$`)
)

// checkName validates a role, user or policy name as IAM's model does,
// worded as its ValidationError.
func checkName(value, member string, max int) error {
	switch {
	case value == "":
		return validationError("1 validation error detected: Value '' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", member)
	case len(value) > max:
		return validationError("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", value, member, max)
	case !namePattern.MatchString(value):
		return validationError(`1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`, value, member)
	}
	return nil
}

func checkPath(value, member string) error {
	if len(value) > 512 || !pathPattern.MatchString(value) {
		return validationError(`1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, value, member)
	}
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
func isExists(err error) bool   { return errors.Is(err, store.ErrAlreadyExists) }

// apierrPolicyEvaluation reports a stored policy the simulator cannot
// read (IAM's PolicyEvaluation, 500).
func apierrPolicyEvaluation(name string) error {
	return &apierr.Error{Code: "PolicyEvaluation", Status: http.StatusInternalServerError,
		Message: "The policy " + name + " could not be evaluated."}
}
