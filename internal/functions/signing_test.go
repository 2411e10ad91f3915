package functions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cognate-auth/cognate/internal/sigv4"
)

// secretKeys are the credentials Cognate's own SigV4 verifier accepts.
type secretKeys map[string]string

func (k secretKeys) SecretKey(_ context.Context, id, token string) (string, error) {
	if s, ok := k[id+"/"+token]; ok {
		return s, nil
	}
	return "", fmt.Errorf("%w: %s", sigv4.ErrUnknownKey, id)
}

// TestLambdaSigning covers what the emulator cannot, since it ignores
// signatures and drops X-Amz-Function-Error: requests reach a loopback
// endpoint that verifies their SigV4 signature with Cognate's verifier
// (service lambda) and answers as the Invoke API does.
func TestLambdaSigning(t *testing.T) {
	verifier := &sigv4.Verifier{
		Credentials: secretKeys{"AKIDLAMBDA/": "lambda-secret", "ASIATEMP/session-token": "temp-secret"},
		Services:    []string{"lambda"},
	}
	var mu sync.Mutex
	var last struct {
		result sigv4.Result
		path   string
	}
	srv := loopbackServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		res, err := verifier.Verify(r, body)
		if err != nil {
			w.Header().Set("X-Amzn-ErrorType", "InvalidSignatureException")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"message":%q}`, err.Error())
			return
		}
		mu.Lock()
		last.result, last.path = res, r.URL.Path
		mu.Unlock()
		if strings.Contains(string(body), `"mode":"fail"`) {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.Write([]byte(`{"errorMessage":"from the header path","errorType":"Error"}`))
			return
		}
		w.Write(body)
	}))
	const euARN = "arn:aws:lambda:eu-west-1:123456789012:function:tokens:live"
	tests := []struct {
		name       string
		cfg        LambdaConfig
		mode       string
		wantRegion string
		wantKey    string
		wantName   string // function name in the path
		want       error
		fnMsg      string
	}{
		{"ARN's region and name", LambdaConfig{AccessKeyID: "AKIDLAMBDA", SecretAccessKey: "lambda-secret"}, "echo", "eu-west-1", "AKIDLAMBDA", euARN, nil, ""},
		{"configured region", LambdaConfig{Region: "us-west-2", AccessKeyID: "AKIDLAMBDA", SecretAccessKey: "lambda-secret"}, "echo", "us-west-2", "AKIDLAMBDA", euARN, nil, ""},
		{"session token", LambdaConfig{AccessKeyID: "ASIATEMP", SecretAccessKey: "temp-secret", SessionToken: "session-token"}, "echo", "eu-west-1", "ASIATEMP", euARN, nil, ""},
		{"function name", LambdaConfig{AccessKeyID: "AKIDLAMBDA", SecretAccessKey: "lambda-secret", FunctionName: "function"}, "echo", "eu-west-1", "AKIDLAMBDA", "function", nil, ""},
		{"function error header", LambdaConfig{AccessKeyID: "AKIDLAMBDA", SecretAccessKey: "lambda-secret"}, "fail", "", "", "", nil, "from the header path"},
		{"wrong secret", LambdaConfig{AccessKeyID: "AKIDLAMBDA", SecretAccessKey: "not-it"}, "echo", "", "", "", ErrUnexpected, ""},
		{"unsigned", LambdaConfig{}, "echo", "", "", "", ErrUnexpected, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Endpoint = srv.URL
			inv, err := New(Config{Lambda: tt.cfg})
			if err != nil {
				t.Fatal(err)
			}
			out, err := inv.Invoke(context.Background(), euARN, eventFor(tt.mode))
			switch {
			case tt.fnMsg != "":
				var fe *FunctionError
				if !errors.As(err, &fe) || fe.Message != tt.fnMsg || fe.Type != "Error" {
					t.Fatalf("Invoke error %v, want the function error %q", err, tt.fnMsg)
				}
				return
			case tt.want != nil:
				if !errors.Is(err, tt.want) {
					t.Fatalf("Invoke error %v, want %v", err, tt.want)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if string(out) != string(eventFor(tt.mode)) {
				t.Fatalf("response %s", out)
			}
			mu.Lock()
			defer mu.Unlock()
			if last.result.Region != tt.wantRegion || last.result.AccessKeyID != tt.wantKey || last.result.Service != "lambda" {
				t.Fatalf("signed as %+v, want %s in %s", last.result, tt.wantKey, tt.wantRegion)
			}
			if want := "/2015-03-31/functions/" + tt.wantName + "/invocations"; last.path != want {
				t.Fatalf("path %s, want %s", last.path, want)
			}
		})
	}
}
