package functions

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseARN(t *testing.T) {
	tests := []struct {
		arn  string
		ok   bool
		want ARN
	}{
		{"arn:aws:lambda:us-east-1:123456789012:function:pre-signup", true, ARN{"aws", "us-east-1", "123456789012", "pre-signup", ""}},
		{"arn:aws:lambda:eu-west-3:123456789012:function:f_1:$LATEST", true, ARN{"aws", "eu-west-3", "123456789012", "f_1", "$LATEST"}},
		{"arn:aws:lambda:us-gov-west-1:123456789012:function:f:prod", true, ARN{"aws", "us-gov-west-1", "123456789012", "f", "prod"}},
		{"arn:aws-cn:lambda:cn-north-1:123456789012:function:f:7", true, ARN{"aws-cn", "cn-north-1", "123456789012", "f", "7"}},
		{"arn:aws:lambda:us-east-1:123456789012:function:" + strings.Repeat("n", 64), true, ARN{"aws", "us-east-1", "123456789012", strings.Repeat("n", 64), ""}},
		{"arn:aws:lambda:us-east-1:123456789012:function:" + strings.Repeat("n", 65), false, ARN{}},
		{"arn:aws:lambda:us-east-1:12345678901:function:f", false, ARN{}},
		{"arn:aws:lambda:us-east-1:123456789012:layer:f", false, ARN{}},
		{"arn:aws:s3:us-east-1:123456789012:function:f", false, ARN{}},
		{"arn:aws:lambda:US-EAST-1:123456789012:function:f", false, ARN{}},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:", false, ARN{}},
		{"arn:aws:lambda:us-east-1:123456789012:function:f.g", false, ARN{}},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:a:b", false, ARN{}},
		{"pre-signup", false, ARN{}},
		{"", false, ARN{}},
	}
	for _, tt := range tests {
		got, err := ParseARN(tt.arn)
		if (err == nil) != tt.ok {
			t.Errorf("ParseARN(%q) error %v, want ok=%v", tt.arn, err, tt.ok)
			continue
		}
		if !tt.ok {
			if !errors.Is(err, ErrInvalidARN) {
				t.Errorf("ParseARN(%q) error %v, want ErrInvalidARN", tt.arn, err)
			}
			continue
		}
		if got != tt.want || got.String() != tt.arn {
			t.Errorf("ParseARN(%q) = %+v (%s), want %+v", tt.arn, got, got, tt.want)
		}
	}
}

func TestParseFile(t *testing.T) {
	const a = "arn:aws:lambda:us-east-1:000000000000:function:"
	tests := []struct {
		name    string
		file    string
		wantErr []string // substrings of the error, every one reported
		check   func(t *testing.T, f File)
	}{
		{"every kind", `{"functions": {
			"` + a + `hook": {"url": "https://hooks.example.com/x?k=1", "secret": "0123456789abcdef"},
			"` + a + `local": {"url": "http://127.0.0.1:8080/", "secret": "0123456789abcdef"},
			"` + a + `cmd": {"command": ["./hooks/x", "--flag"], "env": {"A": "b"}},
			"` + a + `path": {"command": ["node"]},
			"` + a + `inproc": {"go": "name"},
			"` + a + `rie": {"lambda": {"endpoint": "http://127.0.0.1:9001", "functionName": "function"}}
		}}`, nil, func(t *testing.T, f File) {
			kinds := map[string]Kind{"hook": KindWebhook, "local": KindWebhook, "cmd": KindCommand, "path": KindCommand, "inproc": KindGo, "rie": KindLambda}
			for name, k := range kinds {
				if got := f.Functions[a+name].Kind(); got != k {
					t.Errorf("%s: kind %s, want %s", name, got, k)
				}
			}
			if got := f.Functions[a+"cmd"].Command[0]; got != filepath.Join("/etc/cognate", "hooks/x") {
				t.Errorf("relative command resolved to %q", got)
			}
			if got := f.Functions[a+"path"].Command[0]; got != "node" {
				t.Errorf("command from PATH became %q", got)
			}
		}},
		{"empty mapping", `{"functions": {}}`, nil, nil},
		{"every error at once", `{"functions": {
			"not-an-arn": {"go": "x"},
			"` + a + `two": {"go": "x", "command": ["y"]},
			"` + a + `none": {},
			"` + a + `insecure": {"url": "http://hooks.example.com/", "secret": "0123456789abcdef"},
			"` + a + `short": {"url": "https://hooks.example.com/", "secret": "short"},
			"` + a + `nosecret": {"url": "https://hooks.example.com/"},
			"` + a + `userinfo": {"url": "https://u:p@hooks.example.com/", "secret": "0123456789abcdef"},
			"` + a + `emptycmd": {"command": []},
			"` + a + `stray": {"go": "x", "secret": "0123456789abcdef"},
			"` + a + `badenv": {"command": ["x"], "env": {"A=B": "c"}},
			"` + a + `ftp": {"lambda": {"endpoint": "ftp://x"}}
		}}`, []string{"not-an-arn", "two:", "none:", "insecure:", "short:", "nosecret:", "userinfo:", "emptycmd:", "stray:", "badenv:", "ftp:"}, nil},
		{"duplicate ARN", `{"functions": {"` + a + `x": {"go": "x"}, "` + a + `y": {"go": "y"}, "` + a + `x": {"go": "z"}}}`, []string{a + "x: given more than once"}, nil},
		{"unknown member", `{"functions": {"` + a + `x": {"go": "x", "timeout": 3}}}`, []string{"unknown field"}, nil},
		{"unknown top-level member", `{"functions": {}, "other": 1}`, []string{"unknown field"}, nil},
		{"no functions", `{}`, []string{`no "functions"`}, nil},
		{"trailing data", `{"functions": {}} {}`, []string{"after the top-level object"}, nil},
		{"not JSON", `functions:`, []string{"invalid character"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFile([]byte(tt.file), "/etc/cognate")
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if tt.check != nil {
					tt.check(t, f)
				}
				return
			}
			if err == nil {
				t.Fatal("ParseFile accepted it")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "functions.json")
	os.WriteFile(p, []byte(`{"functions": {"`+testARN+`": {"command": ["./hook"]}}}`), 0o600)
	f, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Functions[testARN].Command[0]; got != filepath.Join(dir, "hook") {
		t.Fatalf("command %q, want it beside the file", got)
	}
	if _, err := LoadFile(filepath.Join(dir, "absent.json")); err == nil {
		t.Fatal("LoadFile of a missing file succeeded")
	}
}

func TestResolve(t *testing.T) {
	const other = "arn:aws:lambda:eu-west-1:111111111111:function:elsewhere"
	file := File{Functions: map[string]Target{testARN: {URL: "https://hooks.example.com/", Secret: string(testSecret)}}}
	withLambda, err := New(Config{Functions: file, Lambda: LambdaConfig{Endpoint: "http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	fileOnly, err := New(Config{Functions: file})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		inv  *Invoker
		arn  string
		want Kind
		err  error
	}{
		{"mapped", fileOnly, testARN, KindWebhook, nil},
		{"qualified falls back to the unqualified mapping", fileOnly, testARN + ":prod", KindWebhook, nil},
		{"unmapped without Lambda", fileOnly, other, "", ErrNoTarget},
		{"unmapped with Lambda", withLambda, other, KindLambda, nil},
		{"mapped wins over Lambda", withLambda, testARN, KindWebhook, nil},
		{"invalid", withLambda, "arn:aws:lambda:::function:x", "", ErrInvalidARN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := tt.inv.Resolve(tt.arn)
			if k != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("Resolve = %q, %v; want %q, %v", k, err, tt.want, tt.err)
			}
			if tt.err != nil {
				if _, ierr := tt.inv.Invoke(context.Background(), tt.arn, []byte(`{}`)); !errors.Is(ierr, tt.err) {
					t.Fatalf("Invoke error %v, want %v", ierr, tt.err)
				}
			}
		})
	}
}

func TestNewReportsEveryError(t *testing.T) {
	_, err := New(Config{
		Functions: File{Functions: map[string]Target{"bad": {Go: "x"}, testARN: {URL: "ftp://x"}}},
		Lambda:    LambdaConfig{Endpoint: "not a url", AccessKeyID: "AKID"},
	})
	if err == nil {
		t.Fatal("New accepted it")
	}
	for _, s := range []string{"bad", testARN, "lambda endpoint"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

// TestEventsAreNotLogged: whatever the outcome, the debug log has one record
// per invocation and no part of the event or response.
func TestEventsAreNotLogged(t *testing.T) {
	var logs bytes.Buffer
	srv := loopbackServer(t, receiver(t, testSecret, nil))
	inv, err := New(Config{
		Functions: File{Functions: map[string]Target{testARN: {URL: srv.URL, Secret: string(testSecret)}}},
		Logger:    slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"echo", "fail", "invalid"} {
		inv.Invoke(context.Background(), testARN, eventFor(mode))
	}
	if n := strings.Count(logs.String(), "function invoked"); n != 3 {
		t.Fatalf("%d log records, want 3:\n%s", n, logs.String())
	}
	for _, secret := range []string{"hunter2-secret", "a@example.com", "not an object"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the log contains %q:\n%s", secret, logs.String())
		}
	}
}

func TestTargetStringHidesSecrets(t *testing.T) {
	tg := Target{URL: "https://hooks.example.com/", Secret: "0123456789abcdef-secret"}
	for _, s := range []string{tg.String(), fmt.Sprint(tg), fmt.Sprintf("%+v", tg)} {
		if strings.Contains(s, "secret") || !strings.Contains(s, "hooks.example.com") {
			t.Fatalf("%q", s)
		}
	}
	cmd := Target{Command: []string{"./x"}, Env: map[string]string{"TOKEN": "hidden-value"}}
	if strings.Contains(fmt.Sprint(cmd), "hidden-value") {
		t.Fatalf("%v", cmd)
	}
}
