package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/google/go-cmp/cmp"
	"testing"
	"time"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/functions"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

const arn = "arn:aws:lambda:us-east-1:000000000000:function:pre-signup"

// runner invokes fn in-process, as the functions file's "go" targets do.
func runner(t *testing.T, fn functions.Func) *Runner {
	t.Helper()
	inv, err := functions.New(functions.Config{
		Functions: functions.File{Functions: map[string]functions.Target{arn: {Go: "fn"}}},
		Funcs:     map[string]functions.Func{"fn": fn},
		Timeout:   200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return New(inv)
}

func TestPreSignUpOutcomes(t *testing.T) {
	caller := events.Caller{Region: "us-east-1", UserPoolID: "us-east-1_abc", UserName: "alice", ClientID: "client"}
	tests := []struct {
		name     string
		fn       functions.Func
		want     events.PreSignUpResponse
		wantCode string
		wantMsg  string
	}{
		{name: "auto-confirm", fn: func(_ context.Context, event []byte) ([]byte, error) {
			var e map[string]any
			if err := json.Unmarshal(event, &e); err != nil {
				return nil, err
			}
			if e["triggerSource"] != "PreSignUp_SignUp" || e["userName"] != "alice" {
				return nil, errors.New("unexpected event")
			}
			e["response"] = map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}
			return json.Marshal(e)
		}, want: events.PreSignUpResponse{AutoConfirmUser: true, AutoVerifyEmail: true}},
		{name: "function error", fn: func(context.Context, []byte) ([]byte, error) { return nil, errors.New("Invitation only") },
			wantCode: apierr.UserLambdaValidation, wantMsg: "PreSignUp failed with error Invitation only."},
		{name: "not an object", fn: func(context.Context, []byte) ([]byte, error) { return []byte(`"yes"`), nil },
			wantCode: apierr.InvalidLambdaResponse, wantMsg: "Unrecognizable lambda output"},
		{name: "wrong type", fn: func(context.Context, []byte) ([]byte, error) {
			return []byte(`{"response":{"autoConfirmUser":"true"}}`), nil
		}, wantCode: apierr.InvalidLambdaResponse, wantMsg: "Unrecognizable lambda output"},
		{name: "timeout", fn: func(ctx context.Context, _ []byte) ([]byte, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, wantCode: apierr.UnexpectedLambda, wantMsg: "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runner(t, tt.fn).PreSignUp(context.Background(), arn, events.PreSignUpSignUp, caller,
				map[string]string{"email": "a@example.com"}, nil, nil)
			if tt.wantCode == "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			var ae *apierr.Error
			if !errors.As(err, &ae) || ae.Code != tt.wantCode || ae.Message != tt.wantMsg {
				t.Fatalf("error %v, want %s %q", err, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	r := runner(t, func(context.Context, []byte) ([]byte, error) { return []byte(`{}`), nil })
	if err := r.Check(PreSignUp, arn); err != nil {
		t.Errorf("mapped ARN refused: %v", err)
	}
	for _, bad := range []string{"arn:aws:lambda:us-east-1:000000000000:function:unmapped", "not-an-arn"} {
		if err := r.Check(PreSignUp, bad); !apierr.HasCode(err, apierr.InvalidParameter) {
			t.Errorf("Check(%q) = %v, want InvalidParameterException", bad, err)
		}
	}
}

// wantOutcome checks a Runner call: the answer want when code is empty,
// else the *apierr.Error with that code and message.
func wantOutcome[T any](t *testing.T, got T, err error, want T, code, msg string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("(-want +got):\n%s", d)
		}
		return
	}
	var ae *apierr.Error
	if !errors.As(err, &ae) || ae.Code != code || ae.Message != msg {
		t.Fatalf("error %v, want %s %q", err, code, msg)
	}
}
