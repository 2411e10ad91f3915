package query

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/wire/awsjson"
)

// Operation is one entry of a service's operation table.
type Operation struct {
	// Name is the operation, the value of the Action parameter.
	Name string
	// Unsigned operations are called without SigV4 (the model marks them
	// "authtype": "none"); every other operation must pass Authenticate.
	Unsigned bool
	// Result names the element wrapping the output (GetRoleResult); ""
	// for operations without output, whose response holds only metadata.
	Result string
	// Invoke decodes, validates and runs the operation; see Bind.
	Invoke Invoker
}

// Invoker runs one operation on a decoded form and returns the value to
// encode as the response's result.
type Invoker func(ctx context.Context, form url.Values) (any, error)

// Bind turns a typed operation method into an Invoker that decodes the
// form into a fresh *In, validates it against the service model and calls
// the method.
func Bind[In any, PIn interface {
	*In
	awsjson.Input
}, Out any](call func(context.Context, PIn) (*Out, error)) Invoker {
	return func(ctx context.Context, form url.Values) (any, error) {
		in := PIn(new(In))
		if err := Decode(form, in); err != nil {
			return nil, err
		}
		v := awsjson.NewValidation(sentEmpty(form))
		in.ValidateAt(v, awsjson.Path{})
		if err := validationError(v.Err()); err != nil {
			return nil, err
		}
		out, err := call(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return new(Out), nil
		}
		return out, nil
	}
}

// ValidationError is the code the query services give a request that
// breaks the model's constraints.
const ValidationError = "ValidationError"

// Check validates in against the model. Violations are reported as IAM and
// STS report them: a ValidationError (400) whose message lists each one,
// "1 validation error detected: Value 'x' at 'roleName' failed to satisfy
// constraint: ...". An empty required string counts as missing, as a form
// cannot tell the two apart.
func Check(in awsjson.Input) error { return validationError(awsjson.Check(in)) }

// validationError words awsjson's InvalidParameterException as IAM and STS
// do.
func validationError(err error) error {
	var e *apierr.Error
	if errors.As(err, &e) && e.Code == apierr.InvalidParameter {
		return &apierr.Error{Code: ValidationError, Status: http.StatusBadRequest, Message: e.Message}
	}
	return err
}
