package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/requestctx"
	"github.com/cognate-auth/cognate/internal/sigv4"
)

var update = flag.Bool("update", false, "rewrite golden files")

type echoInput struct {
	ClientId string
	Note     string
}

func (x *echoInput) ValidateAt(v *Validation, p Path) {
	v.String(p.Member("ClientId"), x.ClientId, true, ruleClient)
}

type echoOutput struct {
	ClientId string `json:",omitempty"`
	Note     string `json:",omitempty"`
	Caller   string `json:",omitempty"`
	Region   string `json:",omitempty"`
}

type ctxKey string

// testService returns a handler with a few operations and a buffer holding
// its logs.
func testService(t *testing.T, mutate func(*Config)) (*Handler, *bytes.Buffer) {
	t.Helper()
	logs := new(bytes.Buffer)
	echo := func(ctx context.Context, in *echoInput) (*echoOutput, error) {
		caller, _ := ctx.Value(ctxKey("caller")).(string)
		region, _ := ctx.Value(ctxKey("region")).(string)
		return &echoOutput{ClientId: in.ClientId, Note: in.Note, Caller: caller, Region: region}, nil
	}
	cfg := Config{
		TargetPrefix: "TestService",
		Operations: map[string]Operation{
			"Echo":       {Unsigned: true, Invoke: Bind(echo)},
			"SignedEcho": {Invoke: Bind(echo)},
			"Nothing": {Unsigned: true, Invoke: Bind(func(context.Context, *echoInput) (*struct{}, error) {
				return nil, nil
			})},
			"Fail": {Unsigned: true, Invoke: Bind(func(context.Context, *echoInput) (*echoOutput, error) {
				return nil, apierr.New(apierr.NotAuthorized, "Incorrect username or password.")
			})},
			"Break": {Unsigned: true, Invoke: Bind(func(context.Context, *echoInput) (*echoOutput, error) {
				return nil, errors.New("database password is hunter2")
			})},
			"Panic": {Unsigned: true, Invoke: Bind(func(context.Context, *echoInput) (*echoOutput, error) {
				panic("secret detail")
			})},
		},
		Authenticate: func(r *http.Request, body []byte) (context.Context, error) {
			if r.Header.Get("Authorization") != "good" {
				return nil, apierr.New(apierr.MissingAuthenticationToken, "Missing Authentication Token")
			}
			return context.WithValue(r.Context(), ctxKey("caller"), "admin"), nil
		},
		Annotate: func(r *http.Request) context.Context {
			return context.WithValue(r.Context(), ctxKey("region"), r.Header.Get("X-Test-Region"))
		},
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
	if mutate != nil {
		mutate(&cfg)
	}
	h, err := NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h, logs
}

type call struct {
	method  string
	target  string
	body    string
	headers map[string]string
}

func (c call) do(h http.Handler) *httptest.ResponseRecorder {
	method := c.method
	if method == "" {
		method = http.MethodPost
	}
	r := httptest.NewRequest(method, "/", strings.NewReader(c.body))
	r.Header.Set("Content-Type", ContentType)
	if c.target != "" {
		r.Header.Set("X-Amz-Target", c.target)
	}
	for k, v := range c.headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestServe(t *testing.T) {
	h, _ := testService(t, nil)
	tests := []struct {
		name       string
		call       call
		wantStatus int
		wantBody   string
	}{
		{"unsigned operation", call{target: "TestService.Echo", body: `{"ClientId":"abc","Note":"<hi>","Unknown":1}`, headers: map[string]string{"X-Test-Region": "eu-west-1"}},
			200, `{"ClientId":"abc","Note":"<hi>","Region":"eu-west-1"}`},
		{"signed operation", call{target: "TestService.SignedEcho", body: `{"ClientId":"abc"}`, headers: map[string]string{"Authorization": "good"}},
			200, `{"ClientId":"abc","Caller":"admin"}`},
		{"signature checked before the body is decoded", call{target: "TestService.SignedEcho", body: `{not json`},
			400, `{"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}`},
		{"nil output is {}", call{target: "TestService.Nothing", body: `{"ClientId":"a"}`}, 200, `{}`},
		{"empty body decodes as {}", call{target: "TestService.Echo"},
			400, `{"__type":"InvalidParameterException","message":"1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"}`},
		{"unknown operation", call{target: "TestService.Nope", body: `{}`}, 400, `{"__type":"UnknownOperationException"}`},
		{"missing target", call{body: `{}`}, 400, `{"__type":"UnknownOperationException"}`},
		{"wrong prefix", call{target: "OtherService.Echo", body: `{}`}, 400, `{"__type":"UnknownOperationException"}`},
		{"wrong method", call{method: http.MethodGet, target: "TestService.Echo"},
			400, `{"__type":"BadRequest","message":"The server did not understand the operation that was requested."}`},
		{"bad JSON", call{target: "TestService.Echo", body: `{"ClientId":`},
			400, `{"__type":"SerializationException","message":"The request body is not valid JSON."}`},
		{"wrong JSON type", call{target: "TestService.Echo", body: `{"ClientId":123456}`},
			400, `{"__type":"SerializationException","message":"Member 'ClientId' must be a string, not a number."}`},
		{"not an object", call{target: "TestService.Echo", body: `[1]`},
			400, `{"__type":"SerializationException","message":"The request body must be a JSON object, not an array."}`},
		{"service error", call{target: "TestService.Fail", body: `{"ClientId":"a"}`},
			400, `{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`},
		{"internal error hides its cause", call{target: "TestService.Break", body: `{"ClientId":"a"}`},
			500, `{"__type":"InternalErrorException","message":"Internal server error."}`},
		{"panic becomes an internal error", call{target: "TestService.Panic", body: `{"ClientId":"a"}`},
			500, `{"__type":"InternalErrorException","message":"Internal server error."}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.call.do(h)
			if w.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", w.Code, tt.wantStatus)
			}
			if got := w.Body.String(); got != tt.wantBody {
				t.Errorf("body\n got: %s\nwant: %s", got, tt.wantBody)
			}
			if got := w.Header().Get("Content-Type"); got != ContentType {
				t.Errorf("Content-Type %q", got)
			}
			if id := raw(w.Header(), "x-amzn-RequestId"); len(id) != 1 || !uuidRE.MatchString(id[0]) {
				t.Errorf("x-amzn-RequestId %q is not a UUID", id)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q", got)
			}
			if tt.wantStatus != 200 {
				var body errorBody
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
					t.Fatal(err)
				}
				if got := raw(w.Header(), "x-amzn-ErrorType"); len(got) != 1 || got[0] != body.Type {
					t.Errorf("x-amzn-ErrorType %q, want %q", got, body.Type)
				}
			}
		})
	}
}

func TestServeLogsInternalErrors(t *testing.T) {
	h, logs := testService(t, nil)
	call{target: "TestService.Break", body: `{"ClientId":"a"}`}.do(h)
	call{target: "TestService.Panic", body: `{"ClientId":"a"}`}.do(h)
	out := logs.String()
	for _, want := range []string{"database password is hunter2", "secret detail", "stack=", "level=ERROR"} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
}

// Every client error and every signed operation is logged at info with
// what an operator needs to find it; unsigned successes only at debug; and
// nothing the client sent but the pool and client ids.
func TestServeLogs(t *testing.T) {
	const (
		password = "correct-horse-battery-staple"
		token    = "eyJraWQiOiJzZWNyZXQifQ.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
		code     = "918273"
	)
	secrets := `"Password":"` + password + `","AccessToken":"` + token + `","ConfirmationCode":"` + code + `"`
	tests := []struct {
		name  string
		call  call
		level string // "" when nothing is logged at info
		want  map[string]any
	}{
		{name: "client error of an unsigned operation",
			call:  call{target: "TestService.Fail", body: `{"UserPoolId":"us-east-1_Pool1","ClientId":"client1",` + secrets + `}`},
			level: "INFO",
			want: map[string]any{"operation": "Fail", "pool_id": "us-east-1_Pool1", "client_id": "client1",
				"status": 400.0, "exception": "NotAuthorizedException", "signed": false}},
		{name: "validation error",
			call:  call{target: "TestService.Echo", body: `{"UserPoolId":"us-east-1_Pool1",` + secrets + `}`},
			level: "INFO",
			want:  map[string]any{"operation": "Echo", "pool_id": "us-east-1_Pool1", "status": 400.0, "exception": "InvalidParameterException"}},
		{name: "signed operation",
			call: call{target: "TestService.SignedEcho", body: `{"UserPoolId":"us-east-1_Pool2","ClientId":"client2",` + secrets + `}`,
				headers: map[string]string{"Authorization": "good"}},
			level: "INFO",
			want:  map[string]any{"operation": "SignedEcho", "pool_id": "us-east-1_Pool2", "client_id": "client2", "status": 200.0, "signed": true}},
		{name: "refused signature",
			call:  call{target: "TestService.SignedEcho", body: `{"UserPoolId":"us-east-1_Pool2",` + secrets + `}`},
			level: "INFO",
			want:  map[string]any{"operation": "SignedEcho", "status": 400.0, "exception": "MissingAuthenticationTokenException", "signed": true}},
		{name: "what the handler recorded",
			call:  call{target: "TestService.Whoami", body: `{"ClientId":"a",` + secrets + `}`},
			level: "INFO",
			want:  map[string]any{"operation": "Whoami", "pool_id": "us-east-1_FromToken", "client_id": "clientFromToken", "status": 400.0}},
		{name: "unknown operation",
			call:  call{target: "TestService.Nope", body: `{` + secrets + `}`},
			level: "INFO",
			want:  map[string]any{"operation": "", "status": 400.0, "exception": "UnknownOperationException"}},
		{name: "success of an unsigned operation",
			call:  call{target: "TestService.Echo", body: `{"ClientId":"client3",` + secrets + `}`},
			level: "DEBUG",
			want:  map[string]any{"operation": "Echo", "client_id": "client3", "status": 200.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			h, _ := testService(t, func(c *Config) {
				c.Logger = slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
				c.Operations["Whoami"] = Operation{Unsigned: true, Invoke: Bind(func(ctx context.Context, _ *echoInput) (*echoOutput, error) {
					requestctx.SetResources(ctx, "us-east-1_FromToken", "clientFromToken")
					return nil, apierr.New(apierr.NotAuthorized, "Invalid Access Token")
				})}
			})
			w := tt.call.do(h)
			for _, secret := range []string{password, token, code} {
				if strings.Contains(out.String(), secret) {
					t.Fatalf("the logs hold %q:\n%s", secret, out.String())
				}
			}
			var line map[string]any
			for l := range strings.SplitSeq(strings.TrimSpace(out.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("log line %q: %v", l, err)
				}
				if m["msg"] == "awsjson request" {
					line = m
				}
			}
			if line == nil {
				t.Fatalf("no request line in:\n%s", out.String())
			}
			if line["level"] != tt.level {
				t.Errorf("level %v, want %s", line["level"], tt.level)
			}
			if line["request_id"] != raw(w.Header(), "x-amzn-RequestId")[0] {
				t.Errorf("request_id %v, header %v", line["request_id"], raw(w.Header(), "x-amzn-RequestId"))
			}
			for k, want := range tt.want {
				if line[k] != want {
					t.Errorf("%s = %#v, want %#v", k, line[k], want)
				}
			}
		})
	}
}

func TestServeBodyLimit(t *testing.T) {
	h, _ := testService(t, func(c *Config) { c.MaxBodyBytes = 64 })
	big := `{"ClientId":"a","Note":"` + strings.Repeat("x", 100) + `"}`
	want := `{"__type":"RequestEntityTooLargeException","message":"The request body exceeds the limit of 64 bytes."}`

	w := call{target: "TestService.Echo", body: big}.do(h)
	if w.Code != http.StatusRequestEntityTooLarge || w.Body.String() != want {
		t.Errorf("with Content-Length: %d %s", w.Code, w.Body)
	}

	// Without Content-Length (chunked), the limit applies while reading.
	r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(big)))
	r.ContentLength = -1
	r.Header.Set("X-Amz-Target", "TestService.Echo")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge || w.Body.String() != want {
		t.Errorf("chunked: %d %s", w.Code, w.Body)
	}

	if w := (call{target: "TestService.Echo", body: `{"ClientId":"a"}`}).do(h); w.Code != 200 {
		t.Errorf("small body: %d %s", w.Code, w.Body)
	}
}

func TestServeCORSPreflight(t *testing.T) {
	h, _ := testService(t, nil)
	r := httptest.NewRequest(http.MethodOptions, "/", nil)
	r.Header.Set("Origin", "http://localhost:5173")
	r.Header.Set("Access-Control-Request-Method", "POST")
	r.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("preflight: %d %q", w.Code, w.Body)
	}
	hdr := w.Header()
	if hdr.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(hdr.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight headers %v", hdr)
	}
	allowed := hdr.Get("Access-Control-Allow-Headers")
	for _, h := range []string{"content-type", "x-amz-target", "x-amz-user-agent", "authorization", "x-amz-date",
		"x-amz-security-token", "x-amz-content-sha256", "amz-sdk-invocation-id", "amz-sdk-request", "cache-control"} {
		if !strings.Contains(allowed, h) {
			t.Errorf("Access-Control-Allow-Headers lacks %s: %q", h, allowed)
		}
	}
	expose := strings.ToLower(hdr.Get("Access-Control-Expose-Headers"))
	for _, h := range []string{"x-amzn-requestid", "x-amzn-errortype", "x-amzn-errormessage", "date"} {
		if !strings.Contains(expose, h) {
			t.Errorf("Access-Control-Expose-Headers lacks %s: %q", h, expose)
		}
	}
}

func TestServeContext(t *testing.T) {
	var gotID, gotOp string
	h, _ := testService(t, func(c *Config) {
		c.Operations["Echo"] = Operation{Unsigned: true, Invoke: Bind(func(ctx context.Context, in *echoInput) (*echoOutput, error) {
			gotID, gotOp = requestctx.RequestID(ctx), requestctx.Operation(ctx)
			return &echoOutput{}, nil
		})}
	})
	w := call{target: "TestService.Echo", body: `{"ClientId":"a"}`}.do(h)
	if gotOp != "Echo" || gotID != raw(w.Header(), "x-amzn-RequestId")[0] {
		t.Errorf("context: request %q operation %q; header %v", gotID, gotOp, w.Header())
	}
}

func TestNewHandlerChecksConfig(t *testing.T) {
	op := Operation{Invoke: func(context.Context, []byte) (any, error) { return nil, nil }}
	for name, cfg := range map[string]Config{
		"no prefix":                 {Operations: map[string]Operation{"A": op}},
		"signed without a verifier": {TargetPrefix: "P", Operations: map[string]Operation{"A": op}},
		"no invoker":                {TargetPrefix: "P", Operations: map[string]Operation{"A": {Unsigned: true}}},
	} {
		if _, err := NewHandler(cfg); err == nil {
			t.Errorf("%s: NewHandler accepted it", name)
		}
	}
}

// The wire form of an error, pinned by a golden file.
func TestErrorBodyGolden(t *testing.T) {
	w := httptest.NewRecorder()
	writeErrorBody(w, 400, apierr.InvalidParameter, "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+ & <more>")
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, w.Body.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	golden(t, "error_body.golden.json", append(pretty.Bytes(), '\n'))
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n got: %s\nwant: %s", name, got, want)
	}
}

// SigV4 rejections are named in AWS JSON's words by the error writer; the
// answers are those AWS's front door sends.
func TestServeSignatureErrors(t *testing.T) {
	tests := []struct {
		err        error
		wantStatus int
		wantBody   string
	}{
		{&sigv4.Error{Kind: sigv4.MissingToken, Message: "Missing Authentication Token"},
			400, `{"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}`},
		{&sigv4.Error{Kind: sigv4.Incomplete, Message: "Authorization header requires 'Signature' parameter. "},
			400, `{"__type":"IncompleteSignatureException","message":"Authorization header requires 'Signature' parameter. "}`},
		{&sigv4.Error{Kind: sigv4.Invalid, Message: "Signature expired", Cause: errors.New("canonical request")},
			400, `{"__type":"InvalidSignatureException","message":"Signature expired"}`},
		{&sigv4.Error{Kind: sigv4.UnknownKey, Message: "The security token included in the request is invalid."},
			400, `{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}`},
		{fmt.Errorf("authenticating: %w", &sigv4.Error{Kind: sigv4.Internal, Message: "x", Cause: errors.New("database is down")}),
			500, `{"__type":"InternalErrorException","message":"Internal server error."}`},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			h, logs := testService(t, func(c *Config) {
				c.Authenticate = func(*http.Request, []byte) (context.Context, error) { return nil, tt.err }
			})
			w := call{target: "TestService.SignedEcho", body: `{"ClientId":"a"}`}.do(h)
			if w.Code != tt.wantStatus || w.Body.String() != tt.wantBody {
				t.Errorf("got %d %s\nwant %d %s", w.Code, w.Body, tt.wantStatus, tt.wantBody)
			}
			if tt.wantStatus == 500 && !strings.Contains(logs.String(), "database is down") {
				t.Errorf("the internal cause is not logged:\n%s", logs)
			}
		})
	}
}

// The error writer takes statuses from the table of the service that
// answers, by Cognito's rule: client errors are 400, faults keep their 5xx.
func TestServeStatusFromTheServiceTable(t *testing.T) {
	failWith := func(code string) Operation {
		return Operation{Unsigned: true, Invoke: func(context.Context, []byte) (any, error) {
			return nil, apierr.New(code, "m")
		}}
	}
	table := map[string]int{"ThrottledException": 429, "UnavailableException": 503, "BrokenException": 500}
	tests := []struct {
		name   string
		table  func(string) int
		code   string
		status int
	}{
		{"client error of the model", func(c string) int { return table[c] }, "ThrottledException", 400},
		{"fault of the model", func(c string) int { return table[c] }, "UnavailableException", 503},
		{"same name in a service without it", nil, "UnavailableException", 400},
		{"name no model lists", func(c string) int { return table[c] }, "OtherException", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := testService(t, func(c *Config) {
				c.ExceptionStatus = tt.table
				c.Operations["Fail"] = failWith(tt.code)
			})
			w := call{target: "TestService.Fail", body: `{}`}.do(h)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d (%s)", w.Code, tt.status, w.Body)
			}
		})
	}
}

// Text that is not Unicode is refused before any logic, never rewritten
// into U+FFFD as encoding/json would.
func TestServeRefusesTextThatIsNotUnicode(t *testing.T) {
	const (
		notUTF8   = `{"__type":"InvalidParameterException","message":"The request body is not valid UTF-8."}`
		surrogate = `{"__type":"InvalidParameterException","message":"The request body escapes a lone UTF-16 surrogate (\\ud800 to \\udfff), which is not a character."}`
	)
	tests := []struct {
		name     string
		body     string
		wantBody string // "" for accepted: the note comes back as decoded
		wantNote string
	}{
		{name: "invalid byte", body: "{\"ClientId\":\"a\",\"Note\":\"pass\xffword\"}", wantBody: notUTF8},
		{name: "overlong encoding", body: "{\"ClientId\":\"a\",\"Note\":\"\xc0\xaf\"}", wantBody: notUTF8},
		{name: "surrogate encoded as UTF-8", body: "{\"ClientId\":\"a\",\"Note\":\"\xed\xa0\x80\"}", wantBody: notUTF8},
		{name: "truncated sequence", body: "{\"ClientId\":\"a\",\"Note\":\"\xe2\x82\"}", wantBody: notUTF8},
		{name: "invalid byte in a member name", body: "{\"ClientId\":\"a\",\"N\xffte\":\"x\"}", wantBody: notUTF8},
		{name: "lone high surrogate", body: `{"ClientId":"a","Note":"x\ud800y"}`, wantBody: surrogate},
		{name: "lone high surrogate at the end", body: `{"ClientId":"a","Note":"\uD800"}`, wantBody: surrogate},
		{name: "lone low surrogate", body: `{"ClientId":"a","Note":"\udc00"}`, wantBody: surrogate},
		{name: "high surrogate before a letter", body: `{"ClientId":"a","Note":"\ud800\u0041"}`, wantBody: surrogate},
		{name: "two high surrogates", body: `{"ClientId":"a","Note":"\ud800\ud800\udc00"}`, wantBody: surrogate},
		{name: "surrogate pair", body: `{"ClientId":"a","Note":"\ud83d\ude00"}`, wantNote: "😀"},
		{name: "escaped backslash before u", body: `{"ClientId":"a","Note":"\\ud800"}`, wantNote: `\ud800`},
		{name: "plain escapes", body: `{"ClientId":"a","Note":"\u00e9\"\n\\"}`, wantNote: "é\"\n\\"},
		{name: "UTF-8 text", body: `{"ClientId":"a","Note":"zoë 🙂"}`, wantNote: "zoë 🙂"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			h, _ := testService(t, func(c *Config) {
				c.Operations["Echo"] = Operation{Unsigned: true, Invoke: Bind(func(_ context.Context, in *echoInput) (*echoOutput, error) {
					called = true
					return &echoOutput{Note: in.Note}, nil
				})}
			})
			w := call{target: "TestService.Echo", body: tt.body}.do(h)
			if tt.wantBody != "" {
				if w.Code != 400 || w.Body.String() != tt.wantBody || called {
					t.Errorf("got %d %s (called %v), want 400 %s", w.Code, w.Body, called, tt.wantBody)
				}
				return
			}
			var out echoOutput
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != 200 || out.Note != tt.wantNote {
				t.Errorf("got %d %s, want the note %q", w.Code, w.Body, tt.wantNote)
			}
		})
	}
}

// raw reads a header by its exact key: the server sets x-amzn-* keys in
// AWS's spelling, which canonical lookups would miss.
func raw(h http.Header, key string) []string { return h[key] }
