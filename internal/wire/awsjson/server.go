package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/requestctx"
)

// ContentType is the media type of AWS JSON 1.1 requests and responses.
const ContentType = "application/x-amz-json-1.1"

// DefaultMaxBodyBytes bounds request bodies when Config.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 1 << 20

// Operation is one entry of a service's operation table.
type Operation struct {
	// Name is the operation name, the part of X-Amz-Target after the prefix.
	Name string
	// Unsigned operations are called without SigV4 (the model marks them
	// "authtype": "none"); every other operation must pass Authenticate.
	Unsigned bool
	// Invoke decodes, validates and runs the operation; see Bind.
	Invoke Invoker
}

// Authenticator verifies the SigV4 signature of a request to a signed
// operation before its body is decoded. body is the complete raw body, for
// the payload hash. It returns the request's context carrying whatever the
// operation needs to know about the caller (account, region...), or an error
// for the client, typically an *apierr.Error such as
// MissingAuthenticationTokenException.
type Authenticator func(r *http.Request, body []byte) (context.Context, error)

// Annotator may enrich the context of a request to an unsigned operation,
// for instance with the region named by a credential scope the caller sent
// anyway. It must derive the context from r.Context() and cannot fail the
// request.
type Annotator func(r *http.Request) context.Context

// Config describes one AWS JSON 1.1 service.
type Config struct {
	// TargetPrefix is the service's X-Amz-Target prefix, for example
	// "AWSCognitoIdentityProviderService".
	TargetPrefix string
	// Operations maps operation names to operations.
	Operations map[string]Operation
	// ExceptionStatus returns the HTTP status the service's model gives an
	// exception (0 for a name it does not list), from which the error
	// writer derives the status sent (see apierr.StatusOf). nil knows no
	// exception: client errors are 400, as for any unlisted name.
	ExceptionStatus func(code string) int
	// Authenticate checks signed operations. It is required when any
	// operation is signed.
	Authenticate Authenticator
	// Annotate, if set, runs for unsigned operations.
	Annotate Annotator
	// MaxBodyBytes bounds request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives internal errors and recovered panics; nil means
	// slog.Default().
	Logger *slog.Logger
	// Observe, if set, is told about every request once it is answered.
	Observe func(Observation)
}

// Observation describes one answered request.
type Observation struct {
	// Service is the target prefix of the service that answered; "" when
	// no service claimed the request (see Router).
	Service   string
	Operation string // "" when the target was not an operation of the service
	Error     string // the exception's name; "" on success
	Status    int
	Duration  time.Duration
}

// Handler serves one AWS JSON 1.1 service. Build it with NewHandler.
type Handler struct {
	prefix  string
	ops     map[string]Operation
	status  func(code string) int
	auth    Authenticator
	annot   Annotator
	maxBody int64
	log     *slog.Logger
	observe func(Observation)
}

// NewHandler checks cfg and returns its handler.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.TargetPrefix == "" {
		return nil, errors.New("awsjson: Config.TargetPrefix is empty")
	}
	h := &Handler{
		prefix:  cfg.TargetPrefix + ".",
		ops:     make(map[string]Operation, len(cfg.Operations)),
		status:  cfg.ExceptionStatus,
		auth:    cfg.Authenticate,
		annot:   cfg.Annotate,
		maxBody: cfg.MaxBodyBytes,
		log:     cfg.Logger,
		observe: cfg.Observe,
	}
	for name, op := range cfg.Operations {
		if op.Invoke == nil {
			return nil, fmt.Errorf("awsjson: operation %s has no Invoke", name)
		}
		if !op.Unsigned && cfg.Authenticate == nil {
			return nil, fmt.Errorf("awsjson: operation %s is signed but Config.Authenticate is nil", name)
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

// serviceName is the service's target prefix, without the dot.
func (h *Handler) serviceName() string { return strings.TrimSuffix(h.prefix, ".") }

// ServeHTTP answers CORS preflights and POSTed operations.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setCORS(w.Header())
	if r.Method == http.MethodOptions {
		preflight(w)
		return
	}
	start := time.Now()
	id := uuid.NewString()
	setRaw(w.Header(), "x-amzn-RequestId", id)
	r = r.WithContext(requestctx.WithResources(requestctx.WithRequestID(r.Context(), id)))
	c := h.serve(r)
	err := c.err
	if err == nil {
		err = writeOutput(w, c.out)
	}
	status, code := http.StatusOK, ""
	var e *apierr.Error
	if err != nil {
		e = clientError(err)
		status, code = h.writeError(w, e), e.Code
	}
	if h.observe != nil {
		h.observe(Observation{Service: h.serviceName(), Operation: c.op, Error: code, Status: status, Duration: time.Since(start)})
	}
	h.logRequest(c, status, e, time.Since(start))
}

// served is what serve learned of a request.
type served struct {
	ctx    context.Context // the operation's, once known; else the request's
	op     string          // "" when the target is not an operation
	signed bool
	body   []byte
	out    any
	err    error
}

// serve runs the request. Panics become internal errors.
func (h *Handler) serve(r *http.Request) (c served) {
	c.ctx = r.Context()
	defer func() {
		if rec := recover(); rec != nil {
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			h.log.LogAttrs(r.Context(), slog.LevelError, "awsjson: panic serving request",
				slog.String("request_id", requestctx.RequestID(r.Context())), slog.String("operation", c.op),
				slog.Any("panic", rec), slog.String("stack", string(debug.Stack())))
			c.out, c.err = nil, apierr.Internal(fmt.Errorf("panic: %v", rec))
		}
	}()
	if r.Method != http.MethodPost {
		c.err = badRequest
		return c
	}
	name, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), h.prefix)
	op, known := h.ops[name]
	if !ok || !known {
		c.err = unknownOperation
		return c
	}
	c.op, c.signed = name, !op.Unsigned
	if c.body, c.err = h.readBody(r); c.err != nil {
		return c
	}
	r = r.WithContext(requestctx.WithOperation(r.Context(), name))
	ctx := r.Context()
	c.ctx = ctx
	switch {
	case c.signed:
		if ctx, c.err = h.auth(r, c.body); c.err != nil {
			return c
		}
	case h.annot != nil:
		ctx = h.annot(r)
	}
	c.ctx = ctx
	c.out, c.err = op.Invoke(ctx, c.body)
	return c
}

// Protocol errors answered before an operation runs.
var (
	unknownOperation = &apierr.Error{Code: apierr.UnknownOperation, Status: http.StatusBadRequest}
	badRequest       = &apierr.Error{Code: "BadRequest", Status: http.StatusBadRequest,
		Message: "The server did not understand the operation that was requested."}
)

// readBody reads the whole body, refusing more than the configured limit.
func (h *Handler) readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > h.maxBody {
		return nil, h.tooLarge()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.maxBody+1))
	if err != nil {
		return nil, apierr.Wrap(apierr.SerializationException, "The request body could not be read.", err)
	}
	if int64(len(body)) > h.maxBody {
		return nil, h.tooLarge()
	}
	return body, nil
}

func (h *Handler) tooLarge() error {
	return &apierr.Error{Code: "RequestEntityTooLargeException", Status: http.StatusRequestEntityTooLarge,
		Message: "The request body exceeds the limit of " + strconv.FormatInt(h.maxBody, 10) + " bytes."}
}

// writeOutput encodes a successful response. HTML characters are not
// escaped, as AWS does not escape them.
func writeOutput(w http.ResponseWriter, out any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return apierr.Internal(fmt.Errorf("encoding response: %w", err))
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}

// setRaw sets a header under exactly the given name: AWS writes
// "x-amzn-RequestId", and Go would canonicalize it to "X-Amzn-Requestid".
func setRaw(h http.Header, name, value string) {
	h[name] = []string{value}
}
