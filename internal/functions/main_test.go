package functions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/cognate-auth/cognate/internal/testutil/lambdatest"
)

// The test binary doubles as the functions under test: the AWS Lambda
// Runtime Interface Emulator runs it as its runtime (it sets
// AWS_LAMBDA_RUNTIME_API), and the command target runs it with
// commandModeEnv set.
const commandModeEnv = "COGNATE_FUNCTIONS_TEST_COMMAND"

func TestMain(m *testing.M) {
	if lambdatest.IsRuntime() {
		lambda.Start(func(ctx context.Context, event json.RawMessage) (json.RawMessage, error) {
			return behave(ctx, event)
		})
		return // lambda.Start does not return
	}
	if os.Getenv(commandModeEnv) != "" {
		os.Exit(runCommand())
	}
	code := m.Run()
	lambdatest.Remove()
	os.Exit(code)
}

// runCommand is the command target's function: event on stdin, response on
// stdout, a failure on stderr with a non-zero status.
func runCommand() int {
	event, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	out, err := behave(context.Background(), event)
	if err != nil {
		fmt.Fprintln(os.Stderr, "some earlier diagnostic line")
		fmt.Fprintln(os.Stderr, err.Error())
		return 1
	}
	os.Stdout.Write(out)
	return 0
}

// testEvent is what the test functions read from an event: what to do.
type testEvent struct {
	Mode string `json:"mode"`
}

// behave is the one test function every target runs:
//
//	echo     answers the event itself
//	fail     fails with "no invitation for this address"
//	sleep    answers after 3 s
//	invalid  answers a JSON string
//	array    answers a JSON array
//	huge     answers an object larger than MaxPayload
func behave(ctx context.Context, event []byte) ([]byte, error) {
	var e testEvent
	if err := json.Unmarshal(event, &e); err != nil {
		return nil, err
	}
	switch e.Mode {
	case "echo":
		return event, nil
	case "fail":
		return nil, errors.New("no invitation for this address")
	case "sleep":
		select {
		case <-time.After(3 * time.Second):
		case <-ctx.Done():
		}
		return event, nil
	case "invalid":
		return []byte(`"not an object"`), nil
	case "array":
		return []byte(`[{"mode":"echo"}]`), nil
	case "huge":
		return fmt.Appendf(nil, `{"pad":%q}`, strings.Repeat("x", MaxPayload)), nil
	}
	return nil, fmt.Errorf("unknown mode %q", e.Mode)
}

// outcome is what a case expects of Invoke.
type outcome struct {
	echo     bool   // the response is the event
	fnMsg    string // a *FunctionError with this message
	sentinel error  // errors.Is(err, sentinel)
}

// invokeCase is one row of the table every target runs.
type invokeCase struct {
	name    string
	mode    string
	timeout time.Duration
	want    outcome
}

// commonCases are the outcomes every target must tell apart.
var commonCases = []invokeCase{
	{"success echo", "echo", 0, outcome{echo: true}},
	{"function error", "fail", 0, outcome{fnMsg: "no invitation for this address"}},
	{"timeout", "sleep", 400 * time.Millisecond, outcome{sentinel: ErrUnexpected}},
	{"string response", "invalid", 0, outcome{sentinel: ErrInvalidResponse}},
	{"array response", "array", 0, outcome{sentinel: ErrInvalidResponse}},
	{"oversized response", "huge", 0, outcome{sentinel: ErrInvalidResponse}},
}

func eventFor(mode string) []byte {
	// A trigger-like event; the password must never reach a log.
	return fmt.Appendf(nil, `{"mode":%q,"version":"1","triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{"email":"a@example.com"},"validationData":{"password":"hunter2-secret"}},"response":{}}`, mode)
}

// check runs Invoke and compares its outcome; it returns the error.
func check(t *testing.T, inv *Invoker, arn string, tc invokeCase) error {
	t.Helper()
	event := eventFor(tc.mode)
	start := time.Now()
	got, err := inv.Invoke(context.Background(), arn, event)
	elapsed := time.Since(start)
	switch {
	case tc.want.echo:
		if err != nil {
			t.Fatalf("Invoke: %v", err)
		}
		var a, b any
		if json.Unmarshal(got, &a) != nil || json.Unmarshal(event, &b) != nil || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("response %s, want the event %s", got, event)
		}
	case tc.want.fnMsg != "":
		var fe *FunctionError
		if !errors.As(err, &fe) {
			t.Fatalf("Invoke error %v, want a *FunctionError", err)
		}
		if fe.Message != tc.want.fnMsg {
			t.Fatalf("function error message %q, want %q", fe.Message, tc.want.fnMsg)
		}
		if errors.Is(err, ErrUnexpected) || errors.Is(err, ErrInvalidResponse) {
			t.Fatalf("function error %v also reads as another outcome", err)
		}
	default:
		if !errors.Is(err, tc.want.sentinel) {
			t.Fatalf("Invoke error %v, want %v", err, tc.want.sentinel)
		}
		if isFunctionError(err) {
			t.Fatalf("%v also reads as a function error", err)
		}
	}
	if tc.timeout > 0 && elapsed > tc.timeout+1500*time.Millisecond {
		t.Fatalf("Invoke took %v with a timeout of %v", elapsed, tc.timeout)
	}
	return err
}

func jsonObject(v any) ([]byte, error) { return json.Marshal(v) }
