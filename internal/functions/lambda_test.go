package functions

import (
	"context"
	"errors"
	"testing"

	"github.com/cognate-auth/cognate/internal/testutil/lambdatest"
)

// The Lambda target is tested against the AWS Lambda Runtime Interface
// Emulator (package lambdatest), a real Lambda runtime API and Invoke
// endpoint, whose runtime is this test binary serving the invocations
// through aws-lambda-go (TestMain).

// startRIE runs the emulator with this test binary as its runtime and
// returns its Invoke endpoint.
func startRIE(t *testing.T) string { return lambdatest.Start(t, "") }

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
