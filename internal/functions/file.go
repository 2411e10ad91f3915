package functions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxFileSize bounds the functions file.
const maxFileSize = 1 << 20

// minSecretLen is the shortest webhook secret accepted, in bytes.
const minSecretLen = 16

// File is the functions file: how functions named by ARN are reached other
// than through the Lambda endpoint. Its JSON form:
//
//	{"functions": {
//	  "arn:aws:lambda:us-east-1:000000000000:function:pre-signup": {"url": "https://hooks.example.com/pre-signup", "secret": "…"},
//	  "arn:aws:lambda:us-east-1:000000000000:function:custom-message": {"command": ["./hooks/custom-message"], "env": {"LANG": "C.UTF-8"}},
//	  "arn:aws:lambda:us-east-1:000000000000:function:define-auth": {"go": "define-auth"},
//	  "arn:aws:lambda:us-east-1:000000000000:function:migrate": {"lambda": {"endpoint": "http://127.0.0.1:9001", "functionName": "function"}}
//	}}
type File struct {
	Functions map[string]Target `json:"functions"`
}

// Target is how one function is reached; exactly one of URL, Command, Go and
// Lambda is set.
type Target struct {
	// URL is a webhook: the event is POSTed there, signed with Secret (see
	// package webhook). Plain http is allowed for loopback hosts only, since
	// events carry passwords and codes.
	URL    string `json:"url,omitempty"`
	Secret string `json:"secret,omitempty"`

	// Command is run with the event on its standard input; its standard
	// output is the response. A relative program path with a slash is taken
	// relative to the functions file's directory. The command sees PATH,
	// HOME, TMPDIR, LANG and TZ of Cognate's environment, and Env; nothing
	// else, so Cognate's own secrets stay out of it.
	Command []string          `json:"command,omitempty"`
	Env     map[string]string `json:"env,omitempty"`

	// Go names an in-process function registered in Config.Funcs.
	Go string `json:"go,omitempty"`

	// Lambda is a Lambda Invoke API endpoint for this function alone.
	Lambda *LambdaTarget `json:"lambda,omitempty"`
}

// LambdaTarget is a Lambda Invoke API endpoint for one function, with the
// credentials and region of Config.Lambda.
type LambdaTarget struct {
	Endpoint string `json:"endpoint"`
	// FunctionName is sent instead of the ARN when set: "function" for the
	// AWS Lambda Runtime Interface Emulator, which serves that name only.
	FunctionName string `json:"functionName,omitempty"`
}

// Kind is how a function is reached.
type Kind string

// The kinds of targets.
const (
	KindLambda  Kind = "lambda"
	KindWebhook Kind = "webhook"
	KindCommand Kind = "command"
	KindGo      Kind = "go"
)

// LoadFile reads and checks a functions file. Relative command paths are
// resolved against the file's directory.
func LoadFile(path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, fmt.Errorf("functions file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return File{}, fmt.Errorf("functions file: %w", err)
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return File{}, fmt.Errorf("functions file: %w", err)
	}
	return ParseFile(data, abs)
}

// ParseFile parses and checks a functions file, reporting every problem at
// once. Relative command paths are resolved against dir unless it is empty.
func ParseFile(data []byte, dir string) (File, error) {
	if len(data) > maxFileSize {
		return File{}, fmt.Errorf("functions file: larger than %d bytes", maxFileSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("functions file: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return File{}, errors.New("functions file: data after the top-level object")
	}
	if f.Functions == nil {
		return File{}, errors.New(`functions file: no "functions" object`)
	}
	errs := duplicateARNs(data)
	keys := make([]string, 0, len(f.Functions))
	for k := range f.Functions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, arn := range keys {
		t := f.Functions[arn]
		if _, err := ParseARN(arn); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := t.check(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", arn, err))
			continue
		}
		if len(t.Command) > 0 && dir != "" && strings.ContainsRune(t.Command[0], filepath.Separator) && !filepath.IsAbs(t.Command[0]) {
			t.Command = slices.Clone(t.Command)
			t.Command[0] = filepath.Join(dir, t.Command[0])
			f.Functions[arn] = t
		}
	}
	if len(errs) > 0 {
		return File{}, fmt.Errorf("functions file: %w", errors.Join(errs...))
	}
	return f, nil
}

// duplicateARNs reports ARNs given twice in the "functions" object, which
// encoding/json would silently resolve to the last. data is known to decode.
func duplicateARNs(data []byte) []error {
	var top struct {
		Functions json.RawMessage `json:"functions"`
	}
	if json.Unmarshal(data, &top) != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(top.Functions))
	if _, err := dec.Token(); err != nil { // {
		return nil
	}
	seen := map[string]bool{}
	var errs []error
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errs
		}
		key, _ := tok.(string)
		if seen[key] {
			errs = append(errs, fmt.Errorf("%s: given more than once", key))
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return errs
		}
	}
	return errs
}

// Kind is the target's kind, once check has passed.
func (t Target) Kind() Kind {
	switch {
	case t.URL != "":
		return KindWebhook
	case len(t.Command) > 0:
		return KindCommand
	case t.Go != "":
		return KindGo
	default:
		return KindLambda
	}
}

func (t Target) check() error {
	n := 0
	for _, set := range []bool{t.URL != "", t.Command != nil, t.Go != "", t.Lambda != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return errors.New(`exactly one of "url", "command", "go" and "lambda" must be given`)
	}
	if t.Secret != "" && t.URL == "" {
		return errors.New(`"secret" belongs to a "url"`)
	}
	if t.Env != nil && t.Command == nil {
		return errors.New(`"env" belongs to a "command"`)
	}
	switch {
	case t.URL != "":
		if err := checkURL(t.URL, true); err != nil {
			return err
		}
		if len(t.Secret) < minSecretLen {
			return fmt.Errorf(`a webhook needs a "secret" of at least %d bytes`, minSecretLen)
		}
	case t.Command != nil:
		if len(t.Command) == 0 || t.Command[0] == "" {
			return errors.New(`"command" needs a program`)
		}
		for k := range t.Env {
			if k == "" || strings.ContainsAny(k, "=\x00") {
				return fmt.Errorf("invalid environment variable name %q", k)
			}
		}
	case t.Lambda != nil:
		if err := checkURL(t.Lambda.Endpoint, false); err != nil {
			return fmt.Errorf("lambda endpoint: %w", err)
		}
	}
	return nil
}

// checkURL accepts absolute http(s) URLs; with loopbackHTTP, plain http only
// to a loopback host.
func checkURL(s string, loopbackHTTP bool) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("invalid URL: %w", err)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	if u.User != nil {
		return errors.New("URL must not carry credentials")
	}
	if loopbackHTTP && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("%q: plain http is allowed for loopback hosts only", s)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String describes the target without its secret or environment, for logs
// and errors.
func (t Target) String() string {
	switch t.Kind() {
	case KindWebhook:
		return "webhook " + t.URL
	case KindCommand:
		return "command " + strings.Join(t.Command, " ")
	case KindGo:
		return "in-process function " + t.Go
	default:
		if t.Lambda == nil {
			return "lambda"
		}
		return "lambda " + t.Lambda.Endpoint
	}
}
