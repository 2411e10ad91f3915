package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/functions"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

// answer returns a function answering the event with response, once the
// event's members named in want have the values given.
func answer(want map[string]any, response string) functions.Func {
	return func(_ context.Context, event []byte) ([]byte, error) {
		var e map[string]json.RawMessage
		if err := json.Unmarshal(event, &e); err != nil {
			return nil, err
		}
		for k, v := range want {
			var got any
			if err := json.Unmarshal(e[k], &got); err != nil || !cmp.Equal(got, v) {
				return nil, errors.New("unexpected " + k + ": " + string(e[k]))
			}
		}
		e["response"] = json.RawMessage(response)
		return json.Marshal(e)
	}
}

func TestPreTokenGenerationOutcomes(t *testing.T) {
	caller := events.Caller{Region: "us-east-1", UserPoolID: "us-east-1_abc", UserName: "alice", ClientID: "client"}
	groups := events.Groups{Names: []string{"staff"}}
	v1 := func(fn functions.Func) (any, error) {
		d, err := runner(t, fn).PreTokenGenerationV1(context.Background(), arn, events.TokenGenerationRefreshTokens, caller,
			map[string]string{"sub": "s"}, groups, map[string]string{"k": "v"})
		return d, err
	}
	v2 := func(fn functions.Func) (any, error) {
		d, err := runner(t, fn).PreTokenGenerationV2(context.Background(), arn, events.PreTokenGenerationV2, events.TokenGenerationAuthentication,
			caller, map[string]string{"sub": "s"}, groups, []string{"aws.cognito.signin.user.admin"}, nil)
		return d, err
	}
	preferred := "r"
	tests := []struct {
		name     string
		run      func(functions.Func) (any, error)
		fn       functions.Func
		want     any
		wantCode string
		wantMsg  string
	}{
		{"V1_0 claims and groups", v1, answer(map[string]any{"version": "1", "triggerSource": "TokenGeneration_RefreshTokens",
			"request": map[string]any{"userAttributes": map[string]any{"sub": "s"}, "clientMetadata": map[string]any{"k": "v"},
				"groupConfiguration": map[string]any{"groupsToOverride": []any{"staff"}, "iamRolesToOverride": []any{}, "preferredRole": nil}}},
			`{"claimsOverrideDetails":{"claimsToAddOrOverride":{"a":"b"},"claimsToSuppress":["email"],
				"groupOverrideDetails":{"groupsToOverride":["x"],"iamRolesToOverride":[],"preferredRole":"r"}}}`),
			&events.ClaimsOverrideDetails{ClaimsToAddOrOverride: map[string]string{"a": "b"}, ClaimsToSuppress: []string{"email"},
				GroupOverrideDetails: &events.GroupConfiguration{GroupsToOverride: []string{"x"}, IAMRolesToOverride: []string{}, PreferredRole: &preferred}},
			"", ""},
		{"V1_0 nothing changed", v1, answer(nil, `{"claimsOverrideDetails":null}`), (*events.ClaimsOverrideDetails)(nil), "", ""},
		{"V1_0 a number as a claim", v1, answer(nil, `{"claimsOverrideDetails":{"claimsToAddOrOverride":{"a":1}}}`), nil,
			apierr.InvalidLambdaResponse, "Unrecognizable lambda output"},
		{"V2_0 both tokens", v2, answer(map[string]any{"version": "2", "triggerSource": "TokenGeneration_Authentication",
			"request": map[string]any{"userAttributes": map[string]any{"sub": "s"}, "scopes": []any{"aws.cognito.signin.user.admin"},
				"groupConfiguration": map[string]any{"groupsToOverride": []any{"staff"}, "iamRolesToOverride": []any{}, "preferredRole": nil}}},
			`{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"n":2,"o":{"p":[true]}}},
				"accessTokenGeneration":{"claimsToSuppress":["x"],"scopesToAdd":["s/a"],"scopesToSuppress":["s/b"]}}}`),
			&events.ClaimsAndScopeOverrideDetails{
				IDTokenGeneration: &events.IDTokenGeneration{ClaimsToAddOrOverride: map[string]any{"n": json.Number("2"), "o": map[string]any{"p": []any{true}}}},
				AccessTokenGeneration: &events.AccessTokenGeneration{ClaimsToSuppress: []string{"x"}, ScopesToAdd: []string{"s/a"},
					ScopesToSuppress: []string{"s/b"}}},
			"", ""},
		{"V2_0 scopes not a list", v2, answer(nil, `{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"scopesToAdd":"s/a"}}}`), nil,
			apierr.InvalidLambdaResponse, "Unrecognizable lambda output"},
		{"function error", v2, func(context.Context, []byte) ([]byte, error) { return nil, errors.New("No tokens today") }, nil,
			apierr.UserLambdaValidation, "PreTokenGeneration failed with error No tokens today."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.run(tt.fn)
			wantOutcome(t, got, err, tt.want, tt.wantCode, tt.wantMsg)
		})
	}
}
