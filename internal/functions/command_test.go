package functions

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func commandInvoker(t *testing.T, target Target, timeout time.Duration) *Invoker {
	t.Helper()
	inv, err := New(Config{Functions: File{Functions: map[string]Target{testARN: target}}, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestCommand runs the common cases with this test binary as the command.
func TestCommand(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	target := Target{Command: []string{self}, Env: map[string]string{commandModeEnv: "1"}}
	for _, tc := range commonCases {
		t.Run(tc.name, func(t *testing.T) {
			check(t, commandInvoker(t, target, tc.timeout), testARN, tc)
		})
	}
}

// TestCommandScript runs shell scripts, as a developer's hooks would be.
func TestCommandScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	t.Setenv("COGNATE_MASTER_KEY", "must-not-reach-the-command")
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!"+bash+"\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		command []string
		timeout time.Duration
		check   func(t *testing.T, out []byte, err error)
	}{
		{"echo", []string{script("echo", "cat")}, 0, func(t *testing.T, out []byte, err error) {
			if err != nil || string(out) != string(eventFor("echo")) {
				t.Fatalf("got %s, %v; want the event", out, err)
			}
		}},
		{"stderr's last line is the message", []string{script("fail", `echo starting >&2; echo "  Invalid invitation code  " >&2; echo >&2; exit 2`)}, 0, func(t *testing.T, _ []byte, err error) {
			var fe *FunctionError
			if !errors.As(err, &fe) || fe.Message != "Invalid invitation code" || fe.Type != "Runtime.ExitError" {
				t.Fatalf("got %v, want the function error Invalid invitation code", err)
			}
		}},
		{"no stderr", []string{script("quiet", "exit 1")}, 0, func(t *testing.T, _ []byte, err error) {
			var fe *FunctionError
			if !errors.As(err, &fe) || fe.Message != "exit status 1" {
				t.Fatalf("got %v, want the function error exit status 1", err)
			}
		}},
		{"environment is not inherited", []string{script("env", `printf '{"key":"%s","extra":"%s"}' "$COGNATE_MASTER_KEY" "$EXTRA"`)}, 0, func(t *testing.T, out []byte, err error) {
			if err != nil || string(out) != `{"key":"","extra":"given"}` {
				t.Fatalf("got %s, %v; want only the entry's env", out, err)
			}
		}},
		{"children killed at the timeout", []string{script("sleep", "sleep 30 & sleep 30; wait")}, 300 * time.Millisecond, func(t *testing.T, _ []byte, err error) {
			if !errors.Is(err, ErrUnexpected) || isFunctionError(err) {
				t.Fatalf("got %v, want ErrUnexpected", err)
			}
		}},
		{"crash is the function's error", []string{script("crash", `echo "segfault-ish" >&2; kill -SEGV $$`)}, 0, func(t *testing.T, _ []byte, err error) {
			var fe *FunctionError
			if !errors.As(err, &fe) || fe.Message != "segfault-ish" {
				t.Fatalf("got %v, want the function error segfault-ish", err)
			}
		}},
		{"not JSON", []string{script("text", "echo hello")}, 0, func(t *testing.T, _ []byte, err error) {
			if !errors.Is(err, ErrInvalidResponse) {
				t.Fatalf("got %v, want ErrInvalidResponse", err)
			}
		}},
		{"missing program", []string{filepath.Join(dir, "absent")}, 0, func(t *testing.T, _ []byte, err error) {
			if !errors.Is(err, ErrUnexpected) {
				t.Fatalf("got %v, want ErrUnexpected", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := Target{Command: tt.command, Env: map[string]string{"EXTRA": "given"}}
			start := time.Now()
			out, err := commandInvoker(t, target, tt.timeout).Invoke(context.Background(), testARN, eventFor("echo"))
			if tt.timeout > 0 && time.Since(start) > tt.timeout+time.Second {
				t.Fatalf("took %v with a timeout of %v", time.Since(start), tt.timeout)
			}
			tt.check(t, out, err)
		})
	}
}
