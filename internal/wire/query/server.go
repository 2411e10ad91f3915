package query

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"runtime/debug"
	"strconv"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/sigv4"
)

// ContentType is the media type of query protocol requests.
const ContentType = "application/x-www-form-urlencoded"

// DefaultMaxBodyBytes bounds request bodies when Config.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 1 << 20

// Config describes one query protocol service.
type Config struct {
	// Service is the SigV4 signing name, "iam" or "sts"; the Dispatcher
	// routes on it.
	Service string
	// Version is the API version requests must name, if they name one.
	Version string
	// Namespace is the XML namespace of responses.
	Namespace string
	// Operations maps Action values to operations.
	Operations map[string]Operation
	// ErrorStatus returns the status the model gives an error code (0 for
	// a code it does not list); errors whose Status is unset are sent with
	// it, else with 400.
	ErrorStatus func(code string) int
	// Authenticate checks signed operations before the form is decoded;
	// body is the raw body, for the payload hash. It is required when any
	// operation is signed.
	Authenticate func(r *http.Request, body []byte) (context.Context, error)
	// Annotate, if set, enriches the context of unsigned operations.
	Annotate func(r *http.Request) context.Context
	// MaxBodyBytes bounds request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives internal errors and recovered panics; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Handler serves one query protocol service. Build it with NewHandler.
type Handler struct {
	service, version, ns string
	ops                  map[string]Operation
	status               func(code string) int
	auth                 func(r *http.Request, body []byte) (context.Context, error)
	annot                func(r *http.Request) context.Context
	maxBody              int64
	log                  *slog.Logger
}

// NewHandler checks cfg and returns its handler.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Service == "" || cfg.Version == "" || cfg.Namespace == "" {
		return nil, errors.New("query: Config.Service, Version and Namespace are required")
	}
	h := &Handler{
		service: cfg.Service, version: cfg.Version, ns: cfg.Namespace,
		ops:    make(map[string]Operation, len(cfg.Operations)),
		status: cfg.ErrorStatus, auth: cfg.Authenticate, annot: cfg.Annotate,
		maxBody: cfg.MaxBodyBytes, log: cfg.Logger,
	}
	for name, op := range cfg.Operations {
		if op.Invoke == nil {
			return nil, fmt.Errorf("query: operation %s has no Invoke", name)
		}
		if !op.Unsigned && cfg.Authenticate == nil {
			return nil, fmt.Errorf("query: operation %s is signed but Config.Authenticate is nil", name)
		}
		if op.Name == "" {
			op.Name = name
		}
		h.ops[name] = op
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	return h, nil
}

// ServeHTTP answers one POSTed form.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := uuid.NewString()
	w.Header()["x-amzn-RequestId"] = []string{id} // as AWS spells it
	r = r.WithContext(requestctx.WithResources(requestctx.WithRequestID(r.Context(), id)))
	op, out, err := h.serve(r)
	if err == nil {
		var body []byte
		if body, err = h.encodeResult(op, out, id); err == nil {
			writeXML(w, http.StatusOK, body)
			return
		}
	}
	h.writeError(w, r, op.Name, err, id)
}

// serve runs the request; panics become internal errors.
func (h *Handler) serve(r *http.Request) (op Operation, out any, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			h.log.LogAttrs(r.Context(), slog.LevelError, "query: panic serving request",
				slog.String("request_id", requestctx.RequestID(r.Context())), slog.String("operation", op.Name),
				slog.Any("panic", rec), slog.String("stack", string(debug.Stack())))
			out, err = nil, apierr.Internal(fmt.Errorf("panic: %v", rec))
		}
	}()
	if r.Method != http.MethodPost {
		return op, nil, errMethod
	}
	body, err := readBody(r, h.maxBody)
	if err != nil {
		return op, nil, err
	}
	form, err := parseForm(body)
	if err != nil {
		return op, nil, err
	}
	if op, err = h.operation(form); err != nil {
		return op, nil, err
	}
	r = r.WithContext(requestctx.WithOperation(r.Context(), op.Name))
	ctx := r.Context()
	switch {
	case !op.Unsigned:
		if ctx, err = h.auth(r, body); err != nil {
			return op, nil, err
		}
	case h.annot != nil:
		ctx = h.annot(r)
	}
	out, err = op.Invoke(ctx, form)
	return op, out, err
}

// operation finds the operation a form names.
func (h *Handler) operation(form url.Values) (Operation, error) {
	actions, ok := form["Action"]
	if !ok || len(actions) != 1 || actions[0] == "" {
		return Operation{}, errMissingAction
	}
	version := h.version
	if v, ok := form["Version"]; ok {
		version = v[0]
	}
	op, ok := h.ops[actions[0]]
	if !ok || version != h.version {
		return Operation{}, &apierr.Error{Code: "InvalidAction", Status: http.StatusBadRequest,
			Message: "Could not find operation " + actions[0] + " for version " + version}
	}
	return op, nil
}

// Protocol errors answered before an operation runs.
var (
	errMethod = &apierr.Error{Code: "InvalidAction", Status: http.StatusBadRequest,
		Message: "The action or operation requested is invalid. Verify that the action is typed correctly."}
	errMissingAction = &apierr.Error{Code: "MissingAction", Status: http.StatusBadRequest,
		Message: "The request must contain the parameter Action."}
	errMalformed = &apierr.Error{Code: "MalformedQueryString", Status: http.StatusBadRequest,
		Message: "The request body is not a valid form."}
)

func readBody(r *http.Request, limit int64) ([]byte, error) {
	tooLarge := &apierr.Error{Code: "RequestEntityTooLarge", Status: http.StatusRequestEntityTooLarge,
		Message: "The request body exceeds the limit of " + strconv.FormatInt(limit, 10) + " bytes."}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, apierr.Wrap("MalformedQueryString", "The request body could not be read.", err)
	}
	if int64(len(body)) > limit {
		return nil, tooLarge
	}
	return body, nil
}

// parseForm decodes a form body, refusing bad escapes and text that is not
// UTF-8 rather than repairing them.
func parseForm(body []byte) (url.Values, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errMalformed
	}
	for k, vs := range form {
		if !utf8.ValidString(k) {
			return nil, errMalformed
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, errMalformed
			}
		}
	}
	return form, nil
}

// encodeResult writes the XML answer of a successful operation. Like IAM
// and STS, Cognate sends no XML declaration: the body is UTF-8, as the
// declaration's absence says.
func (h *Handler) encodeResult(op Operation, out any, id string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("<" + op.Name + "Response xmlns=\"" + h.ns + "\">")
	if op.Result != "" {
		v := reflect.ValueOf(out)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return nil, apierr.Internal(fmt.Errorf("query: %s returned %T", op.Name, out))
		}
		b.WriteString("<" + op.Result + ">")
		encodeMembers(&b, v.Elem())
		b.WriteString("</" + op.Result + ">")
	}
	b.WriteString("<ResponseMetadata><RequestId>" + id + "</RequestId></ResponseMetadata>")
	b.WriteString("</" + op.Name + "Response>")
	return b.Bytes(), nil
}

func writeXML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError is the one place where an error becomes a response.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, op string, err error, id string) {
	e := clientError(err)
	status := e.Status
	if status < 400 || status > 599 {
		status = http.StatusBadRequest
		if h.status != nil && h.status(e.Code) != 0 {
			status = h.status(e.Code)
		}
	}
	if status >= 500 {
		h.log.LogAttrs(r.Context(), slog.LevelError, "query: internal error",
			slog.String("request_id", id), slog.String("service", h.service), slog.String("operation", op), slog.Any("error", e))
	}
	writeXML(w, status, errorBody(h.ns, status, e.Code, e.Message, id))
}

// errorBody is an ErrorResponse as IAM and STS write it; ns may be empty
// when no service answers.
func errorBody(ns string, status int, code, message, id string) []byte {
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	var b bytes.Buffer
	if ns != "" {
		b.WriteString(`<ErrorResponse xmlns="` + ns + `">`)
	} else {
		b.WriteString("<ErrorResponse>")
	}
	b.WriteString("<Error><Type>" + typ + "</Type><Code>")
	escape(&b, code)
	b.WriteString("</Code>")
	if message != "" {
		b.WriteString("<Message>")
		escape(&b, message)
		b.WriteString("</Message>")
	}
	b.WriteString("</Error><RequestId>" + id + "</RequestId></ErrorResponse>")
	return b.Bytes()
}

// signatureErrors names each kind of SigV4 rejection as the query
// protocol's front door does, with its status and, where it words the
// rejection otherwise than the JSON services' door, its message: IAM and
// STS answer an unsigned request with "Request is missing Authentication
// Token".
var signatureErrors = map[sigv4.Kind]struct {
	code    string
	status  int
	message string // "" keeps sigv4's
}{
	sigv4.MissingToken: {"MissingAuthenticationToken", http.StatusForbidden, "Request is missing Authentication Token"},
	sigv4.Incomplete:   {"IncompleteSignature", http.StatusBadRequest, ""},
	sigv4.Invalid:      {"SignatureDoesNotMatch", http.StatusForbidden, ""},
	sigv4.UnknownKey:   {"InvalidClientTokenId", http.StatusForbidden, ""},
}

// clientError returns the *apierr.Error that err is or stands for. Cognate's
// internal errors are sent as the query services' InternalFailure.
func clientError(err error) *apierr.Error {
	var se *sigv4.Error
	if errors.As(err, &se) {
		if s, ok := signatureErrors[se.Kind]; ok {
			message := se.Message
			if s.message != "" {
				message = s.message
			}
			return &apierr.Error{Code: s.code, Status: s.status, Message: message, Cause: se.Cause}
		}
	}
	e := apierr.As(err)
	if e.Code == apierr.InternalError {
		return &apierr.Error{Code: "InternalFailure", Status: http.StatusInternalServerError,
			Message: "The request processing has failed because of an unknown error, exception or failure.", Cause: e.Cause}
	}
	return e
}
