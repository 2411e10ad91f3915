package awsjson

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// errorBody is the wire form of every error: Cognito's exception name and a
// message safe for the client. An empty message is left out, as AWS does for
// UnknownOperationException.
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message,omitempty"`
}

// writeError is the one place where an error becomes a response. Whatever is
// not an *apierr.Error becomes an InternalErrorException; internal errors
// are logged with their cause, which is never sent.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, id, op string, err error) (status int, code string) {
	e := apierr.As(err)
	status = e.Status
	if status < 400 || status > 599 {
		status = apierr.StatusOf(e.Code)
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
