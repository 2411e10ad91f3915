package userpool

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/store"
	"github.com/cognate-auth/cognate/internal/triggers/events"
)

func TestPreTokenGenerationConfig(t *testing.T) {
	a, b := "arn:aws:lambda:us-east-1:000000000000:function:a", "arn:aws:lambda:us-east-1:000000000000:function:b"
	tests := []struct {
		lc      store.LambdaConfig
		version events.PreTokenGenerationVersion
		arn     string
		refused string // "" accepted
	}{
		{store.LambdaConfig{}, "", "", ""},
		{store.LambdaConfig{PreTokenGeneration: a}, events.PreTokenGenerationV1, a, ""},
		{store.LambdaConfig{PreTokenGenerationConfig: store.LambdaVersionConfig{LambdaVersion: "V2_0", LambdaArn: a}}, events.PreTokenGenerationV2, a, ""},
		{store.LambdaConfig{PreTokenGeneration: a, PreTokenGenerationConfig: store.LambdaVersionConfig{LambdaVersion: "V3_0", LambdaArn: a}},
			events.PreTokenGenerationV3, a, ""},
		{store.LambdaConfig{PreTokenGeneration: a, PreTokenGenerationConfig: store.LambdaVersionConfig{LambdaVersion: "V2_0", LambdaArn: b}},
			"", "", "must be the same function"},
		{store.LambdaConfig{PreTokenGenerationConfig: store.LambdaVersionConfig{LambdaVersion: "V4_0", LambdaArn: a}}, "", "", "is not one of"},
		{store.LambdaConfig{PreTokenGenerationConfig: store.LambdaVersionConfig{LambdaVersion: "V1_0"}}, "", "", "LambdaArn is required"},
	}
	for _, tt := range tests {
		err := checkPreTokenGeneration(tt.lc)
		if tt.refused != "" {
			if !apierr.HasCode(err, apierr.InvalidParameter) || !strings.Contains(err.Error(), tt.refused) {
				t.Errorf("%+v: %v, want InvalidParameterException %q", tt.lc, err, tt.refused)
			}
			continue
		}
		if err != nil {
			t.Errorf("%+v refused: %v", tt.lc, err)
		}
		if v, arn := preTokenGeneration(tt.lc); v != tt.version || arn != tt.arn {
			t.Errorf("%+v: %s %s, want %s %s", tt.lc, v, arn, tt.version, tt.arn)
		}
	}
}

// The protected claims stay whatever a function asks; the others change.
func TestPreTokenClaimChanges(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{"sub": "s", "iss": "i", "aud": "c", "exp": 2, "iat": 1, "auth_time": 1, "token_use": "id",
			"cognito:username": "u", "origin_jti": "o", "event_id": "e", "jti": "j", "email": "a@example.com", "client_id": "c",
			"username": "u", "scope": "x", "cognito:groups": []string{"g"}}
	}
	tests := []struct {
		name     string
		access   bool
		add      map[string]any
		suppress []string
		want     map[string]any // changed members; nil values gone
	}{
		{"ID token", false,
			map[string]any{"tenant": "t", "email": "b@example.com", "sub": "x", "iss": "x", "aud": "x", "exp": 9, "jti": "x",
				"cognito:groups": []string{"x"}, "username": "x", "client_id": "x", "": "x"},
			[]string{"email", "origin_jti", "event_id", "token_use", "cognito:username", "username"},
			map[string]any{"tenant": "t", "email": nil, "username": nil, "client_id": "x"}}, // suppression wins
		{"access token", true,
			map[string]any{"tenant": json.Number("3"), "username": "x", "client_id": "x", "scope": "x y", "device_key": "x"},
			[]string{"username", "scope", "auth_time", "email"},
			map[string]any{"tenant": json.Number("3"), "email": nil}},
	}
	for _, tt := range tests {
		claims := base()
		for k, v := range tt.add {
			setClaim(claims, k, v, tt.access)
		}
		suppress(claims, tt.suppress, tt.access)
		want := base()
		for k, v := range tt.want {
			if v == nil {
				delete(want, k)
			} else {
				want[k] = v
			}
		}
		if d := cmp.Diff(want, claims); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestChangeScopes(t *testing.T) {
	for _, tt := range []struct {
		scopes, add, remove []string
		want                string
	}{
		{[]string{ScopeAdmin}, nil, nil, ScopeAdmin},
		{[]string{ScopeAdmin}, []string{"a/b", ScopeAdmin, "", "a/b"}, nil, ScopeAdmin + " a/b"},
		{[]string{ScopeAdmin, "openid"}, []string{"c"}, []string{ScopeAdmin, "c"}, "openid"},
	} {
		if got := changeScopes(tt.scopes, tt.add, tt.remove); got != tt.want {
			t.Errorf("changeScopes(%v, %v, %v) = %q, want %q", tt.scopes, tt.add, tt.remove, got, tt.want)
		}
	}
}

func TestOverrideGroups(t *testing.T) {
	role := "arn:aws:iam::000000000000:role/r"
	empty := ""
	for _, tt := range []struct {
		name       string
		g          *events.GroupConfiguration
		id, access map[string]any
	}{
		{"none", nil, map[string]any{"cognito:groups": []string{"g"}, "cognito:roles": []string{role}, "cognito:preferred_role": role},
			map[string]any{"cognito:groups": []string{"g"}}},
		{"all replaced", &events.GroupConfiguration{GroupsToOverride: []string{"a", "b"}, IAMRolesToOverride: []string{role + "2"}, PreferredRole: &role},
			map[string]any{"cognito:groups": []string{"a", "b"}, "cognito:roles": []string{role + "2"}, "cognito:preferred_role": role},
			map[string]any{"cognito:groups": []string{"a", "b"}}},
		// The object replaces the configuration whole: what it leaves out goes.
		{"groups only", &events.GroupConfiguration{GroupsToOverride: []string{"a"}},
			map[string]any{"cognito:groups": []string{"a"}}, map[string]any{"cognito:groups": []string{"a"}}},
		{"an empty object", &events.GroupConfiguration{}, map[string]any{}, map[string]any{}},
		{"all cleared", &events.GroupConfiguration{GroupsToOverride: []string{}, IAMRolesToOverride: []string{}, PreferredRole: &empty},
			map[string]any{}, map[string]any{}},
	} {
		id := map[string]any{"cognito:groups": []string{"g"}, "cognito:roles": []string{role}, "cognito:preferred_role": role}
		access := map[string]any{"cognito:groups": []string{"g"}}
		overrideGroups(tt.g, id, access)
		if d := cmp.Diff(tt.id, id); d != "" {
			t.Errorf("%s: ID token (-want +got):\n%s", tt.name, d)
		}
		if d := cmp.Diff(tt.access, access); d != "" {
			t.Errorf("%s: access token (-want +got):\n%s", tt.name, d)
		}
	}
}
