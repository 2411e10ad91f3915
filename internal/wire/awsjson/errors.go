package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/sigv4"
)

// errorBody is the wire form of every error: Cognito's exception name and a
// message safe for the client. An empty message is left out, as AWS does for
// UnknownOperationException.
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message,omitempty"`
}

// writeError is the one place where an error becomes a response, with the
// status it carries or else the one the service's model gives its name (see
// apierr.StatusOf). The message is the client-safe one; the cause is never
// sent.
func (h *Handler) writeError(w http.ResponseWriter, e *apierr.Error) (status int) {
	status = e.Status
	if status < 400 || status > 599 {
		modelStatus := 0
		if h.status != nil {
			modelStatus = h.status(e.Code)
		}
		status = apierr.StatusOf(e.Code, modelStatus)
	}
	writeErrorBody(w, status, e.Code, e.Message)
	return status
}

// signatureErrors names each kind of SigV4 rejection as AWS's JSON front
// door does.
var signatureErrors = map[sigv4.Kind]string{
	sigv4.MissingToken: apierr.MissingAuthenticationToken,
	sigv4.Incomplete:   apierr.IncompleteSignature,
	sigv4.Invalid:      apierr.InvalidSignature,
	sigv4.UnknownKey:   apierr.UnrecognizedClient,
}

// clientError returns the *apierr.Error that err is, or that stands for it:
// a *sigv4.Error is named as AWS's JSON front door names it, and anything
// else becomes an InternalErrorException.
func clientError(err error) *apierr.Error {
	var e *apierr.Error
	if errors.As(err, &e) {
		return e
	}
	var se *sigv4.Error
	if errors.As(err, &se) {
		if code, ok := signatureErrors[se.Kind]; ok {
			return apierr.Wrap(code, se.Message, se.Cause)
		}
	}
	return apierr.Internal(err)
}

func writeErrorBody(w http.ResponseWriter, status int, code, message string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(errorBody{Type: code, Message: message}) // two strings cannot fail
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	hdr := w.Header()
	hdr.Set("Content-Type", ContentType)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	setRaw(hdr, "x-amzn-ErrorType", code)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
