// Package lambdatest runs the AWS Lambda Runtime Interface Emulator in
// tests: a real Lambda runtime API and Invoke endpoint on loopback. The
// emulator is a Go module (a tool of go.mod), built once per test binary;
// its runtime is the program a test names, usually the test binary itself,
// which serves the invocations through aws-lambda-go when it sees
// AWS_LAMBDA_RUNTIME_API (see IsRuntime).
package lambdatest

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Module is the emulator's Go module.
const Module = "github.com/aws/aws-lambda-runtime-interface-emulator"

var rie struct {
	once sync.Once
	dir  string
	path string
	skip string // why the emulator is unavailable
	err  error  // why it failed to build although available
}

// IsRuntime reports whether this process was started by the emulator as its
// runtime: a TestMain then serves invocations (lambda.Start) instead of
// running tests.
func IsRuntime() bool { return os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" }

// Binary builds the emulator once and returns its path. It skips the test
// where the emulator cannot exist: not on Linux, or the module cannot be
// downloaded.
func Binary(t testing.TB) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the AWS Lambda Runtime Interface Emulator runs on Linux only")
	}
	rie.once.Do(build)
	if rie.skip != "" {
		t.Skip(rie.skip)
	}
	if rie.err != nil {
		t.Fatalf("building the Runtime Interface Emulator: %v", rie.err)
	}
	return rie.path
}

// Unavailable says why the emulator cannot run here (not Linux, or its
// module cannot be downloaded), or returns "" when it can: a test with
// other work to do leaves the emulator out instead of skipping.
func Unavailable() string {
	if runtime.GOOS != "linux" {
		return "the AWS Lambda Runtime Interface Emulator runs on Linux only"
	}
	rie.once.Do(build)
	return rie.skip
}

func build() {
	gobin, err := exec.LookPath("go")
	if err != nil {
		rie.skip = "no go command to build " + Module + " with"
		return
	}
	if out, err := exec.Command(gobin, "mod", "download", Module).CombinedOutput(); err != nil {
		rie.skip = "module " + Module + " unavailable: " + string(bytes.TrimSpace(out))
		return
	}
	dir, err := os.MkdirTemp("", "cognate-rie-")
	if err != nil {
		rie.err = err
		return
	}
	rie.dir = dir
	rie.path = filepath.Join(dir, "aws-lambda-rie")
	if out, err := exec.Command(gobin, "build", "-o", rie.path, Module+"/cmd/aws-lambda-rie").CombinedOutput(); err != nil {
		rie.err = &buildError{err, out}
	}
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return e.err.Error() + ": " + string(e.out) }

// Remove deletes the built emulator; call it from TestMain after m.Run.
func Remove() {
	if rie.dir != "" {
		os.RemoveAll(rie.dir)
	}
}

// Start runs the emulator on free loopback ports with the program runtime
// (the test binary when empty) as its runtime, extra environment variables
// added, and returns its Invoke endpoint. The emulator and its runtime are
// killed when the test ends.
func Start(t testing.TB, runtime string, env ...string) string {
	t.Helper()
	bin := Binary(t)
	if runtime == "" {
		self, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		runtime = self
	}
	invokeAddr, apiAddr := FreeAddr(t), FreeAddr(t)
	cmd := exec.Command(bin,
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", apiAddr,
		runtime)
	cmd.Dir = t.TempDir()
	cmd.Env = append(append(os.Environ(), "AWS_LAMBDA_FUNCTION_TIMEOUT=30", "LOG_LEVEL=warn"), env...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the runtime is its child
	cmd.WaitDelay = 500 * time.Millisecond                // a runtime in a group of its own may hold the pipe
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		if t.Failed() {
			t.Logf("emulator output:\n%s", logs.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", invokeAddr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return "http://" + invokeAddr
		}
		if time.Now().After(deadline) {
			t.Fatalf("the emulator did not listen on %s: %v", invokeAddr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// FreeAddr returns a loopback address with a port free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
