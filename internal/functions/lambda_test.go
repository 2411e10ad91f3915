package functions

import (
	"bytes"
	"context"
	"errors"
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

// The Lambda target is tested against the AWS Lambda Runtime Interface
// Emulator, a real Lambda runtime API and Invoke endpoint. It is a Go module
// (a tool of go.mod), built once per test run; its runtime is this test
// binary, which serves the invocations through aws-lambda-go (TestMain).
const rieModule = "github.com/aws/aws-lambda-runtime-interface-emulator"

var rie struct {
	once sync.Once
	dir  string
	path string
	skip string // why the emulator is unavailable
	err  error  // why it failed to build although available
}

// rieBinary builds the emulator once.
func rieBinary(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the AWS Lambda Runtime Interface Emulator runs on Linux only")
	}
	rie.once.Do(func() {
		gobin, err := exec.LookPath("go")
		if err != nil {
			rie.skip = "no go command to build " + rieModule + " with"
			return
		}
		if out, err := exec.Command(gobin, "mod", "download", rieModule).CombinedOutput(); err != nil {
			rie.skip = "module " + rieModule + " unavailable: " + string(bytes.TrimSpace(out))
			return
		}
		dir, err := os.MkdirTemp("", "cognate-rie-")
		if err != nil {
			rie.err = err
			return
		}
		rie.dir = dir
		rie.path = filepath.Join(dir, "aws-lambda-rie")
		out, err := exec.Command(gobin, "build", "-o", rie.path, rieModule+"/cmd/aws-lambda-rie").CombinedOutput()
		if err != nil {
			rie.err = &buildError{err, out}
		}
	})
	if rie.skip != "" {
		t.Skip(rie.skip)
	}
	if rie.err != nil {
		t.Fatalf("building the Runtime Interface Emulator: %v", rie.err)
	}
	return rie.path
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return e.err.Error() + ": " + string(e.out) }

func removeRIE() {
	if rie.dir != "" {
		os.RemoveAll(rie.dir)
	}
}

// startRIE runs the emulator on free loopback ports with this test binary as
// its runtime and returns its Invoke endpoint.
func startRIE(t *testing.T) string {
	t.Helper()
	bin := rieBinary(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	invokeAddr, apiAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin,
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", apiAddr,
		self)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_FUNCTION_TIMEOUT=30", "LOG_LEVEL=warn")
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

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestLambdaRuntimeInterfaceEmulator(t *testing.T) {
	for _, tc := range commonCases {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := New(Config{
				Lambda: LambdaConfig{
					Endpoint:        startRIE(t),
					AccessKeyID:     "AKIDEXAMPLE",
					SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
					FunctionName:    "function",
				},
				Timeout: tc.timeout,
			})
			if err != nil {
				t.Fatal(err)
			}
			if k, err := inv.Resolve(testARN); err != nil || k != KindLambda {
				t.Fatalf("Resolve = %v, %v; want lambda", k, err)
			}
			check(t, inv, testARN, tc)
		})
	}
}

// TestLambdaFileEntry reaches the emulator through a functions file entry of
// its own, with no Lambda endpoint configured for other ARNs.
func TestLambdaFileEntry(t *testing.T) {
	endpoint := startRIE(t)
	file, err := ParseFile([]byte(`{"functions":{"`+testARN+`":{"lambda":{"endpoint":"`+endpoint+`","functionName":"function"}}}}`), "")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := New(Config{Functions: file})
	if err != nil {
		t.Fatal(err)
	}
	check(t, inv, testARN, invokeCase{name: "echo", mode: "echo", want: outcome{echo: true}})
	if _, err := inv.Invoke(context.Background(), "arn:aws:lambda:us-east-1:000000000000:function:other", eventFor("echo")); err == nil {
		t.Fatal("an ARN outside the file reached a target")
	}
}

// TestLambdaUnknownFunction: the emulator serves one name; any other is the
// Invoke API's ResourceNotFound-like failure, which Cognito reports as
// unexpected.
func TestLambdaUnknownFunction(t *testing.T) {
	inv, err := New(Config{Lambda: LambdaConfig{Endpoint: startRIE(t)}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, inv, testARN, invokeCase{name: "unknown", mode: "echo", want: outcome{sentinel: ErrUnexpected}})
}

// TestLambdaOversizedResponse: the emulator passes a response past Lambda's
// limit on; the bounded body cuts it through the SDK, so Cognate never
// buffers more than MaxPayload.
func TestLambdaOversizedResponse(t *testing.T) {
	inv, err := New(Config{Lambda: LambdaConfig{Endpoint: startRIE(t), FunctionName: "function"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = inv.Invoke(context.Background(), testARN, eventFor("huge"))
	if !errors.Is(err, ErrInvalidResponse) || !errors.Is(err, errTooLarge) {
		t.Fatalf("Invoke error %v, want ErrInvalidResponse from the bounded body", err)
	}
}
