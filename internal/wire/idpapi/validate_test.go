package idpapi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// unimplemented answers every operation that passes validation with
// UnsupportedOperationException, which tells valid requests apart.
var unimplemented = Operations(UnimplementedService{})

// invoke runs one operation on a raw body, as the server does.
func invoke(t testing.TB, op, body string) error {
	t.Helper()
	o, ok := unimplemented[op]
	if !ok {
		t.Fatalf("no operation %s", op)
	}
	_, err := o.Invoke(context.Background(), []byte(body))
	return err
}

func TestValidation(t *testing.T) {
	const (
		client = `"ClientId":"1example23456789"`
		pool   = `"UserPoolId":"us-east-1_EXAMPLE"`
	)
	tests := []struct {
		name, op, body string
		want           string // "" when the request is valid
	}{
		{"valid InitiateAuth", "InitiateAuth",
			`{"AuthFlow":"USER_SRP_AUTH",` + client + `,"AuthParameters":{"USERNAME":"alice","SRP_A":"abc"}}`, ""},
		{"missing required members, in model order", "InitiateAuth", `{}`,
			"2 validation errors detected: Value null at 'authFlow' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"enum", "InitiateAuth", `{"AuthFlow":"SRP",` + client + `}`,
			"1 validation error detected: Value 'SRP' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: " +
				"[USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"},
		// The message Cognito gives Amplify users who leave the username blank.
		{"empty username is checked, not null", "SignUp", `{` + client + `,"Username":"","Password":"Passw0rd!"}`,
			`2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+; ` +
				`Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1`},
		{"empty client id", "ForgotPassword", `{"ClientId":"","Username":"alice"}`,
			`2 validation errors detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+]+; ` +
				`Value at 'clientId' failed to satisfy constraint: Member must have length greater than or equal to 1`},
		{"missing confirmation code", "ConfirmSignUp", `{` + client + `,"Username":"alice"}`,
			"1 validation error detected: Value null at 'confirmationCode' failed to satisfy constraint: Member must not be null"},
		{"pattern matches the whole value", "AdminGetUser", `{"UserPoolId":"us-east-1_abc!","Username":"alice"}`,
			`1 validation error detected: Value 'us-east-1_abc!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
		{"sensitive values are not repeated", "SignUp", `{` + client + `,"Username":"alice","Password":"has space"}`,
			`1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+`},
		{"128 two-byte characters fit", "SignUp", `{` + client + `,"Username":"` + strings.Repeat("é", 128) + `"}`, ""},
		{"129 characters do not", "SignUp", `{` + client + `,"Username":"` + strings.Repeat("日", 129) + `"}`,
			"1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"nested list member", "AdminCreateUser",
			`{` + pool + `,"Username":"alice","UserAttributes":[{"Name":"email","Value":"a@example.com"},{"Name":"` + strings.Repeat("n", 33) + `","Value":"x"}]}`,
			"1 validation error detected: Value '" + strings.Repeat("n", 33) + "' at 'userAttributes.2.member.name' failed to satisfy constraint: Member must have length less than or equal to 32"},
		{"missing name in a list member", "AdminUpdateUserAttributes",
			`{` + pool + `,"Username":"alice","UserAttributes":[{"Value":"secret"}]}`,
			"1 validation error detected: Value null at 'userAttributes.1.member.name' failed to satisfy constraint: Member must not be null"},
		{"integer range", "ListUsers", `{` + pool + `,"Limit":61}`,
			"1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"enum list", "CreateUserPoolClient", `{` + pool + `,"ClientName":"web","ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ADMIN_USER_PASSWORD_AUTH"]}`,
			"1 validation error detected: Value '[ALLOW_USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH]' at 'explicitAuthFlows' failed to satisfy constraint: " +
				"Member must satisfy constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, " +
				"ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]"},
		{"nested structure range", "CreateUserPool", `{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":5}}}`,
			"1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
		{"several errors", "CreateUserPool", `{"MfaConfiguration":"false","UserPoolTags":{"":"v"}}`,
			"3 validation errors detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null; " +
				"Value 'false' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]; " +
				"Value '{=v}' at 'userPoolTags' failed to satisfy constraint: Map keys must satisfy constraint: " +
				"[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]"},
		{"sensitive structure", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH",` + client + `,"Session":"short"}`,
			"1 validation error detected: Value at 'session' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		// Cognate's limits where the model sets none (modelgen's limits.go).
		{"token of 32 KiB", "GetUser", `{"AccessToken":"` + strings.Repeat("a", 32<<10) + `"}`, ""},
		{"longer token", "GetUser", `{"AccessToken":"` + strings.Repeat("a", 32<<10+1) + `"}`,
			"1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must have length less than or equal to 32768"},
		{"a long token is not matched against the pattern", "RevokeToken", `{` + client + `,"Token":"` + strings.Repeat("!", 32<<10+1) + `"}`,
			"1 validation error detected: Value at 'token' failed to satisfy constraint: Member must have length less than or equal to 32768"},
		{"64 authentication parameters", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH",` + client + `,"AuthParameters":` + stringMap(64, 1) + `}`, ""},
		{"65 authentication parameters", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH",` + client + `,"AuthParameters":` + stringMap(65, 1) + `}`,
			"1 validation error detected: Value at 'authParameters' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"long authentication parameter", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH",` + client + `,"AuthParameters":` + stringMap(1, 32<<10+1) + `}`,
			"1 validation error detected: Value at 'authParameters' failed to satisfy constraint: Map value must satisfy constraint: " +
				"[Member must have length less than or equal to 32768, Member must have length greater than or equal to 0]"},
		{"65 challenge responses", "RespondToAuthChallenge", `{"ChallengeName":"PASSWORD_VERIFIER",` + client + `,"ChallengeResponses":` + stringMap(65, 1) + `}`,
			"1 validation error detected: Value at 'challengeResponses' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"65 client metadata entries", "SignUp", `{` + client + `,"Username":"alice","ClientMetadata":` + stringMap(65, 1) + `}`,
			"1 validation error detected: Value '" + renderedMap(65) + "' at 'clientMetadata' failed to satisfy constraint: " +
				"Member must have length less than or equal to 64"},
		{"long pagination token", "ListUsers", `{` + pool + `,"PaginationToken":"` + strings.Repeat("p", 2049) + `"}`,
			"1 validation error detected: Value '" + strings.Repeat("p", 2049) + "' at 'paginationToken' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"unknown members are ignored", "GetUser", `{"AccessToken":"eyJ.a.b","FutureMember":{"x":1}}`, ""},
		{"wrong JSON type", "InitiateAuth", `{"AuthFlow":"USER_SRP_AUTH",` + client + `,"AuthParameters":["USERNAME"]}`,
			"Member 'AuthParameters' must be an object, not an array."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := apierr.As(invoke(t, tt.op, tt.body))
			if tt.want == "" {
				if e.Code != "UnsupportedOperationException" {
					t.Fatalf("valid request rejected: %s: %s", e.Code, e.Message)
				}
				return
			}
			if e.Message != tt.want {
				t.Errorf("message\n got: %s\nwant: %s", e.Message, tt.want)
			}
			if status := apierr.StatusOf(e.Code, ExceptionStatus(e.Code)); status != 400 {
				t.Errorf("%s, status %d", e.Code, status)
			}
		})
	}
}

func TestValidateWithoutBody(t *testing.T) {
	err := (&SignUpRequest{}).Validate()
	want := "2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; " +
		"Value null at 'username' failed to satisfy constraint: Member must not be null"
	if e := apierr.As(err); e.Code != apierr.InvalidParameter || e.Message != want {
		t.Fatalf("got %s: %s", e.Code, e.Message)
	}
	ok := &SignUpRequest{ClientId: "abc", Username: "alice", UserAttributes: []AttributeType{{Name: "email", Value: "a@example.com"}}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
}

// stringMap renders a JSON object of n entries whose values have size
// characters.
func stringMap(n, size int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"K%d":"%s"`, i, strings.Repeat("v", size))
	}
	b.WriteByte('}')
	return b.String()
}

// renderedMap is stringMap(n, 1) as a message quotes it: keys in order.
func renderedMap(n int) string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("K%d", i)
	}
	slices.Sort(keys)
	return "{" + strings.Join(keys, "=v, ") + "=v}"
}
