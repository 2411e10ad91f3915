package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/functions"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

func TestCustomSenderOutcomes(t *testing.T) {
	caller := events.Caller{Region: "us-east-1", UserPoolID: "us-east-1_abc", UserName: "alice", ClientID: "client"}
	// noResponse checks the event has no response member and answers with raw.
	noResponse := func(raw string) functions.Func {
		return func(_ context.Context, event []byte) ([]byte, error) {
			var e map[string]json.RawMessage
			if err := json.Unmarshal(event, &e); err != nil {
				return nil, err
			}
			if _, ok := e["response"]; ok {
				return nil, errors.New("the event has a response member")
			}
			return []byte(raw), nil
		}
	}
	tests := []struct {
		name     string
		src      events.CustomSenderSource
		fn       functions.Func
		wantCode string
		wantMsg  string
	}{
		{"email", events.CustomEmailSenderSignUp, answer(map[string]any{"version": "1", "triggerSource": "CustomEmailSender_SignUp",
			"request": map[string]any{"type": "customEmailSenderRequestV1", "code": "ZW5jcnlwdGVk",
				"userAttributes": map[string]any{"sub": "s"}, "clientMetadata": map[string]any{"k": "v"}}}, `{}`), "", ""},
		{"SMS", events.CustomSMSSenderAuthentication, answer(map[string]any{"triggerSource": "CustomSMSSender_Authentication",
			"request": map[string]any{"type": "customSMSSenderRequestV1", "code": "ZW5jcnlwdGVk",
				"userAttributes": map[string]any{"sub": "s"}, "clientMetadata": map[string]any{"k": "v"}}}, `{}`), "", ""},
		{"no response member, an empty answer", events.CustomEmailSenderForgotPassword, noResponse(`null`), "", ""},
		{"whatever is returned is not read", events.CustomSMSSenderResendCode, noResponse(`{"response":7}`), "", ""},
		{"email function error", events.CustomEmailSenderAdminCreateUser, func(context.Context, []byte) ([]byte, error) { return nil, errors.New("No mail") },
			apierr.UserLambdaValidation, "CustomEmailSender failed with error No mail."},
		{"SMS function error", events.CustomSMSSenderSignUp, func(context.Context, []byte) ([]byte, error) { return nil, errors.New("No SMS") },
			apierr.UserLambdaValidation, "CustomSMSSender failed with error No SMS."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := runner(t, tt.fn).CustomSender(context.Background(), arn, tt.src, caller, "ZW5jcnlwdGVk", map[string]string{"sub": "s"}, map[string]string{"k": "v"})
			wantOutcome(t, struct{}{}, err, struct{}{}, tt.wantCode, tt.wantMsg)
		})
	}
}
