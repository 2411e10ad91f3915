package functions

import (
	"bytes"
	"encoding/json"
)

// MaxPayload bounds events and responses: Lambda's 6 MB limit on synchronous
// invocations.
const MaxPayload = 6 << 20

// lambdaError is the body of a Lambda function error.
type lambdaError struct {
	ErrorMessage *string `json:"errorMessage"`
	ErrorType    *string `json:"errorType"`
}

// errorKeys are the members a Lambda error body may have; a JSON object
// with only these, errorMessage and errorType included, is a function error
// even without the X-Amz-Function-Error header (the Runtime Interface
// Emulator drops it).
var errorKeys = map[string]bool{"errorMessage": true, "errorType": true, "stackTrace": true, "trace": true, "cause": true}

// decodeResponse turns what a function answered into its response or its
// error. functionError is the X-Amz-Function-Error header's value.
func decodeResponse(payload []byte, functionError string) ([]byte, error) {
	if len(payload) > MaxPayload {
		return nil, invalid("response larger than %d bytes", MaxPayload)
	}
	if functionError != "" {
		return nil, functionErr(payload, functionError)
	}
	trimmed := bytes.TrimLeft(payload, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(payload) {
		return nil, invalid("response is not a JSON object (%d bytes)", len(payload))
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(payload, &members); err != nil {
		return nil, invalid("response is not a JSON object: %v", err)
	}
	if isErrorBody(members) {
		return nil, functionErr(payload, "")
	}
	return payload, nil
}

func isErrorBody(members map[string]json.RawMessage) bool {
	if members["errorMessage"] == nil || members["errorType"] == nil {
		return false
	}
	for k := range members {
		if !errorKeys[k] {
			return false
		}
	}
	return true
}

// functionErr reads a function error's body; header is what
// X-Amz-Function-Error said ("Unhandled"), the type when the body has none.
func functionErr(payload []byte, header string) error {
	var body lambdaError
	fe := &FunctionError{Type: header}
	if json.Unmarshal(payload, &body) == nil {
		if body.ErrorType != nil {
			fe.Type = *body.ErrorType
		}
		if body.ErrorMessage != nil {
			fe.Message = *body.ErrorMessage
		}
	}
	return fe
}
