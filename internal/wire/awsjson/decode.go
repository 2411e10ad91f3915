package awsjson

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// Input is a generated request type: it can check itself against the model.
type Input interface {
	// ValidateAt records every constraint violation of the value found at p.
	ValidateAt(v *Validation, p Path)
}

// Invoker runs one operation on a raw request body and returns the value to
// encode as the response.
type Invoker func(ctx context.Context, body []byte) (any, error)

// Bind turns a typed operation method into an Invoker that decodes the body
// into a fresh *In, validates it against the service model with the body at
// hand (so that an empty string can be told apart from a missing member) and
// calls the method. A nil output is written as {}.
func Bind[In any, PIn interface {
	*In
	Input
}, Out any](call func(context.Context, PIn) (*Out, error)) Invoker {
	return func(ctx context.Context, body []byte) (any, error) {
		in := PIn(new(In))
		if err := Decode(body, in); err != nil {
			return nil, err
		}
		v := NewValidation(body)
		in.ValidateAt(v, Path{})
		if err := v.Err(); err != nil {
			return nil, err
		}
		out, err := call(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// Check validates in on its own, without a request body. An empty required
// string then counts as missing.
func Check(in Input) error {
	v := NewValidation(nil)
	in.ValidateAt(v, Path{})
	return v.Err()
}

// Decode reads a JSON request body into v. An empty body is read as {};
// members v does not know are ignored, as the SDKs may be newer than the
// model. Text that is not Unicode (invalid UTF-8, a lone surrogate escape)
// is an InvalidParameterException rather than being rewritten; malformed
// JSON becomes a SerializationException. Neither message repeats the values
// sent.
func Decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := checkText(body); err != nil {
		return err
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	return apierr.Wrap(apierr.SerializationException, decodeMessage(err), err)
}

func decodeMessage(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var b64 base64.CorruptInputError
	switch {
	case errors.As(err, &syntax):
		return "The request body is not valid JSON."
	case errors.As(err, &typ):
		got, _, _ := strings.Cut(typ.Value, " ")
		if typ.Field == "" {
			return "The request body must be a JSON object, not " + article(got) + "."
		}
		return "Member '" + typ.Field + "' must be " + article(jsonKind(typ.Type)) + ", not " + article(got) + "."
	case errors.As(err, &b64):
		return "A blob member is not valid base64."
	case errors.Is(err, errTimestamp):
		return "A timestamp member is not a number of seconds since the epoch."
	}
	return "The request body could not be read as JSON."
}

var (
	timestampType = reflect.TypeFor[Timestamp]()
	rawType       = reflect.TypeFor[json.RawMessage]()
)

// jsonKind names the JSON value a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timestampType:
		return "number"
	case t == rawType:
		return "value"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		return "integer in range"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "base64 string"
		}
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return "value"
}

func article(kind string) string {
	switch kind {
	case "":
		return "this value"
	case "array", "object", "integer in range":
		return "an " + kind
	}
	return "a " + kind
}
