package triggers

import (
	"context"
	"errors"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/functions"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

func TestCustomMessageOutcomes(t *testing.T) {
	caller := events.Caller{Region: "us-east-1", UserPoolID: "us-east-1_abc", UserName: "alice", ClientID: "CLIENT_ID_NOT_APPLICABLE"}
	body, subject := "Hi {username}, {####}", "Welcome"
	tests := []struct {
		name     string
		src      events.CustomMessageSource
		fn       functions.Func
		want     events.CustomMessageResponse
		wantCode string
		wantMsg  string
	}{
		{"invitation", events.CustomMessageAdminCreateUser, answer(map[string]any{"version": "1", "triggerSource": "CustomMessage_AdminCreateUser",
			"request": map[string]any{"userAttributes": map[string]any{"sub": "s"}, "codeParameter": "{####}", "usernameParameter": "{username}",
				"linkParameter": nil, "clientMetadata": map[string]any{"k": "v"}},
			"response": map[string]any{"smsMessage": nil, "emailMessage": nil, "emailSubject": nil}},
			`{"emailMessage":"Hi {username}, {####}","emailSubject":"Welcome","smsMessage":null}`),
			events.CustomMessageResponse{EmailMessage: &body, EmailSubject: &subject}, "", ""},
		{"sign-up link", events.CustomMessageSignUp, answer(map[string]any{"request": map[string]any{"userAttributes": map[string]any{"sub": "s"},
			"codeParameter": "{####}", "usernameParameter": nil, "linkParameter": "{##Click Here##}", "clientMetadata": map[string]any{"k": "v"}}},
			`{}`), events.CustomMessageResponse{}, "", ""},
		{"a number as a message", events.CustomMessageAuthentication, answer(nil, `{"smsMessage":7}`), events.CustomMessageResponse{},
			apierr.InvalidLambdaResponse, "Unrecognizable lambda output"},
		{"function error", events.CustomMessageForgotPassword, func(context.Context, []byte) ([]byte, error) { return nil, errors.New("No mail") },
			events.CustomMessageResponse{}, apierr.UserLambdaValidation, "CustomMessage failed with error No mail."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runner(t, tt.fn).CustomMessage(context.Background(), arn, tt.src, caller, map[string]string{"sub": "s"}, map[string]string{"k": "v"})
			wantOutcome(t, got, err, tt.want, tt.wantCode, tt.wantMsg)
		})
	}
}
