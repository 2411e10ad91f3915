package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// awsCLI runs `aws cognito-idp` against one server, with the administrator
// key and nothing from the machine's AWS configuration.
type awsCLI struct {
	bin      string
	endpoint string
	env      []string
	dir      string
}

func newAWSCLI(t *testing.T, endpoint string) *awsCLI {
	t.Helper()
	bin := tool(t, "aws", "the aws CLI interop test drives it")
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(cleanEnv("AWS_", "COGNATE_"),
		"AWS_ACCESS_KEY_ID="+adminKeyID, "AWS_SECRET_ACCESS_KEY="+adminSecret,
		"AWS_CONFIG_FILE="+empty, "AWS_SHARED_CREDENTIALS_FILE="+empty, "AWS_PAGER=")
	return &awsCLI{bin: bin, endpoint: endpoint, env: env, dir: dir}
}

// cliResult is one finished aws command.
type cliResult struct {
	args   []string
	stdout []byte
	stderr string
	err    error
}

// run runs `aws cognito-idp <args>` with extra environment variables
// (which override the defaults).
func (c *awsCLI) run(t *testing.T, extraEnv []string, args ...string) cliResult {
	t.Helper()
	full := append([]string{"cognito-idp"}, args...)
	full = append(full, "--endpoint-url", c.endpoint, "--region", region, "--output", "json")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, full...)
	cmd.Env = append(append([]string{}, c.env...), extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return cliResult{args: args, stdout: stdout.Bytes(), stderr: stderr.String(), err: err}
}

// ok runs a command that must succeed and decodes its output into out
// (when not nil).
func (c *awsCLI) ok(t *testing.T, out any, args ...string) {
	t.Helper()
	r := c.run(t, nil, args...)
	if r.err != nil {
		t.Fatalf("aws cognito-idp %s: %v\n%s", strings.Join(args, " "), r.err, r.stderr)
	}
	if out != nil {
		if err := json.Unmarshal(r.stdout, out); err != nil {
			t.Fatalf("aws cognito-idp %s printed %q: %v", strings.Join(args, " "), r.stdout, err)
		}
	}
}

// fails runs a command that must exit non-zero naming the exception code,
// as `An error occurred (<code>) when calling ...`, and whose stderr holds
// every one of wantText.
func (c *awsCLI) fails(t *testing.T, extraEnv []string, code string, wantText []string, args ...string) {
	t.Helper()
	r := c.run(t, extraEnv, args...)
	if r.err == nil {
		t.Fatalf("aws cognito-idp %s succeeded, want %s:\n%s", strings.Join(args, " "), code, r.stdout)
	}
	if !strings.Contains(r.stderr, "An error occurred ("+code+")") {
		t.Fatalf("aws cognito-idp %s: exit %d, stderr does not name %s:\n%s", strings.Join(args, " "), exitCode(r.err), code, r.stderr)
	}
	for _, w := range wantText {
		if !strings.Contains(r.stderr, w) {
			t.Fatalf("aws cognito-idp %s: stderr lacks %q:\n%s", strings.Join(args, " "), w, r.stderr)
		}
	}
}

// configFile writes an AWS config file with the given lines and returns the
// variable pointing the CLI at it.
func (c *awsCLI) configFile(t *testing.T, name string, lines ...string) string {
	t.Helper()
	path := filepath.Join(c.dir, name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return "AWS_CONFIG_FILE=" + path
}
