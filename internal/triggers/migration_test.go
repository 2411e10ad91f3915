package triggers

import (
	"context"
	"errors"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/functions"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

func TestUserMigrationOutcomes(t *testing.T) {
	caller := events.Caller{Region: "us-east-1", UserPoolID: "us-east-1_abc", UserName: "linda", ClientID: "client"}
	run := func(src events.UserMigrationSource, fn functions.Func) (events.UserMigrationResponse, error) {
		return runner(t, fn).UserMigration(context.Background(), arn, src, caller, "legacy-pw", map[string]string{"v": "1"}, map[string]string{"m": "2"})
	}
	confirmed, suppress, force := "CONFIRMED", "SUPPRESS", true
	tests := []struct {
		name     string
		src      events.UserMigrationSource
		fn       functions.Func
		want     events.UserMigrationResponse
		wantCode string
		wantMsg  string
	}{
		{"sign-in, the password sent", events.UserMigrationAuthentication,
			answer(map[string]any{"triggerSource": "UserMigration_Authentication", "userName": "linda",
				"request": map[string]any{"password": "legacy-pw", "validationData": map[string]any{"v": "1"}, "clientMetadata": map[string]any{"m": "2"}}},
				`{"userAttributes":{"email":"l@example.com"},"finalUserStatus":"CONFIRMED","messageAction":"SUPPRESS",
					"desiredDeliveryMediums":["EMAIL"],"forceAliasCreation":true}`),
			events.UserMigrationResponse{UserAttributes: map[string]string{"email": "l@example.com"}, FinalUserStatus: &confirmed,
				MessageAction: &suppress, DesiredDeliveryMediums: []string{"EMAIL"}, ForceAliasCreation: &force}, "", ""},
		{"forgot password, no password sent", events.UserMigrationForgotPassword,
			answer(map[string]any{"triggerSource": "UserMigration_ForgotPassword",
				"request": map[string]any{"validationData": map[string]any{"v": "1"}, "clientMetadata": map[string]any{"m": "2"}}},
				`{"userAttributes":{"email":"l@example.com"}}`),
			events.UserMigrationResponse{UserAttributes: map[string]string{"email": "l@example.com"}}, "", ""},
		{"an attribute that is not a string", events.UserMigrationAuthentication, answer(nil, `{"userAttributes":{"email_verified":true}}`),
			events.UserMigrationResponse{}, apierr.InvalidLambdaResponse, "Unrecognizable lambda output"},
		{"function error", events.UserMigrationAuthentication,
			func(context.Context, []byte) ([]byte, error) { return nil, errors.New("Bad password") },
			events.UserMigrationResponse{}, apierr.UserLambdaValidation, "UserMigration failed with error Bad password."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := run(tt.src, tt.fn)
			wantOutcome(t, got, err, tt.want, tt.wantCode, tt.wantMsg)
		})
	}
}
