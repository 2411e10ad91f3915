package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
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

// writeError is the one place where an error becomes a response. Whatever is
// neither an *apierr.Error nor a *sigv4.Error becomes an
// InternalErrorException; internal errors are logged with their cause, which
// is never sent.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, id, op string, err error) (status int, code string) {
	e := clientError(err)
	status = e.Status
	if status < 400 || status > 599 {
		modelStatus := 0
		if h.status != nil {
			modelStatus = h.status(e.Code)
		}
		status = apierr.StatusOf(e.Code, modelStatus)
	}
	level := slog.LevelDebug
	if status >= 500 {
		level = slog.LevelError
	}
	h.log.LogAttrs(r.Context(), level, "awsjson: request failed",
		slog.String("request_id", id), slog.String("operation", op), slog.Any("error", e))
	writeErrorBody(w, status, e.Code, e.Message)
	return status, e.Code
}

// signatureErrors names each kind of SigV4 rejection as AWS's JSON front
// door does.
var signatureErrors = map[sigv4.Kind]string{
	sigv4.MissingToken: apierr.MissingAuthenticationToken,
	sigv4.Incomplete:   apierr.IncompleteSignature,
	sigv4.Invalid:      apierr.InvalidSignature,
	sigv4.UnknownKey:   apierr.UnrecognizedClient,
}

// clientError returns the *apierr.Error that err is, or that stands for it.
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
