package functions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// DefaultTimeout is Cognito's limit on a trigger's answer.
const DefaultTimeout = 5 * time.Second

// Func is an in-process function: it receives the event JSON and returns the
// response JSON. An error it returns is the function's error (its message
// is the error's text, or a *FunctionError's fields); it should return when
// ctx is done.
type Func func(ctx context.Context, event []byte) ([]byte, error)

// Config says how functions are reached.
type Config struct {
	// Functions maps ARNs to webhooks, commands, in-process functions and
	// Lambda endpoints of their own (LoadFile reads it from the functions
	// file).
	Functions File
	// Funcs are the in-process functions, by the names Functions' "go"
	// targets use.
	Funcs map[string]Func
	// Lambda is the Lambda Invoke API that every ARN not in Functions goes to.
	Lambda LambdaConfig
	// Timeout bounds each invocation; zero is DefaultTimeout.
	Timeout time.Duration
	// Logger receives one debug record per invocation (never its event or
	// response) and nil means slog.Default().
	Logger *slog.Logger
}

// LambdaConfig is the Lambda Invoke API endpoint (AWS Lambda itself,
// LocalStack, the AWS Lambda Runtime Interface Emulator) and how requests to
// it are signed.
type LambdaConfig struct {
	// Endpoint is the API's base URL, e.g. https://lambda.us-east-1.amazonaws.com
	// or http://127.0.0.1:9001. Empty: ARNs not in Functions have no target.
	Endpoint string
	// Region signs the requests; empty means each function ARN's region.
	Region string
	// Static credentials; with no access key, requests are not signed.
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// FunctionName is sent instead of each ARN when set: "function" for the
	// AWS Lambda Runtime Interface Emulator, which serves that name only.
	FunctionName string
}

// Invoker invokes functions by ARN. It is safe for concurrent use.
type Invoker struct {
	targets  map[string]target
	fallback target // the Lambda endpoint, or nil
	timeout  time.Duration
	log      *slog.Logger
}

// target reaches one kind of function. It returns what the function
// answered and the X-Amz-Function-Error it came with, or its own error
// (*FunctionError, ErrUnexpected, ErrInvalidResponse).
type target interface {
	kind() Kind
	invoke(ctx context.Context, arn ARN, event []byte) (payload []byte, functionError string, err error)
}

// New checks cfg and builds an Invoker.
func New(cfg Config) (*Invoker, error) {
	inv := &Invoker{targets: map[string]target{}, timeout: cfg.Timeout, log: cfg.Logger}
	if inv.timeout <= 0 {
		inv.timeout = DefaultTimeout
	}
	if inv.log == nil {
		inv.log = slog.Default()
	}
	client := newHTTPClient()
	var errs []error
	if cfg.Lambda.Endpoint != "" {
		t, err := newLambdaTarget(cfg.Lambda, cfg.Lambda.Endpoint, cfg.Lambda.FunctionName, client)
		if err != nil {
			errs = append(errs, fmt.Errorf("lambda endpoint: %w", err))
		} else {
			inv.fallback = t
		}
	}
	for arn, spec := range cfg.Functions.Functions {
		if _, err := ParseARN(arn); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := spec.check(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", arn, err))
			continue
		}
		var t target
		var err error
		switch spec.Kind() {
		case KindWebhook:
			t = &webhookTarget{url: spec.URL, secret: []byte(spec.Secret), client: client}
		case KindCommand:
			t = newCommandTarget(spec.Command, spec.Env)
		case KindGo:
			fn := cfg.Funcs[spec.Go]
			if fn == nil {
				err = fmt.Errorf("no in-process function %q is registered", spec.Go)
			}
			t = goTarget{fn: fn}
		case KindLambda:
			t, err = newLambdaTarget(cfg.Lambda, spec.Lambda.Endpoint, spec.Lambda.FunctionName, client)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", arn, err))
			continue
		}
		inv.targets[arn] = t
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("functions: %w", errors.Join(errs...))
	}
	return inv, nil
}

// Resolve says how the function arn would be reached, or why it cannot be:
// ErrInvalidARN, ErrNoTarget. CreateUserPool can call it to refuse a
// LambdaConfig early.
func (inv *Invoker) Resolve(arn string) (Kind, error) {
	_, t, err := inv.resolve(arn)
	if err != nil {
		return "", err
	}
	return t.kind(), nil
}

func (inv *Invoker) resolve(s string) (ARN, target, error) {
	a, err := ParseARN(s)
	if err != nil {
		return ARN{}, nil, err
	}
	if t := inv.targets[a.String()]; t != nil {
		return a, t, nil
	}
	if t := inv.targets[a.Unqualified().String()]; t != nil {
		return a, t, nil
	}
	if inv.fallback != nil {
		return a, inv.fallback, nil
	}
	return ARN{}, nil, fmt.Errorf("%w: %s is not in the functions file and no Lambda endpoint is configured", ErrNoTarget, s)
}

// Invoke calls the function arn with event and returns its response, a JSON
// object. Its errors are ErrInvalidARN or ErrNoTarget (configuration),
// *FunctionError (the function failed), ErrUnexpected (unreachable, timed
// out) or ErrInvalidResponse.
func (inv *Invoker) Invoke(ctx context.Context, arn string, event []byte) ([]byte, error) {
	a, t, err := inv.resolve(arn)
	if err != nil {
		return nil, err
	}
	if len(event) > MaxPayload {
		return nil, unexpected("event larger than %d bytes", MaxPayload)
	}
	ctx, cancel := context.WithTimeout(ctx, inv.timeout)
	defer cancel()
	start := time.Now()
	payload, fnErr, err := t.invoke(ctx, a, event)
	if err == nil {
		payload, err = decodeResponse(payload, fnErr)
	}
	if err != nil && ctx.Err() != nil && !isFunctionError(err) {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("%w (%v)", ErrTimeout, inv.timeout)
		} else {
			err = unexpected("%w", ctx.Err())
		}
	}
	inv.logInvocation(ctx, a, t.kind(), time.Since(start), len(payload), err)
	if err != nil {
		return nil, err
	}
	return payload, nil
}

func isFunctionError(err error) bool {
	var fe *FunctionError
	return errors.As(err, &fe)
}

func (inv *Invoker) logInvocation(ctx context.Context, a ARN, k Kind, d time.Duration, size int, err error) {
	attrs := []slog.Attr{
		slog.String("function", a.String()),
		slog.String("target", string(k)),
		slog.Duration("duration", d),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	} else {
		attrs = append(attrs, slog.Int("response_bytes", size))
	}
	inv.log.LogAttrs(ctx, slog.LevelDebug, "function invoked", attrs...)
}

// newHTTPClient is the client of webhooks and Lambda endpoints: responses are
// bounded, and redirects are not followed (they would drop the body).
func newHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	return &http.Client{
		Transport: boundedTransport{tr},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
