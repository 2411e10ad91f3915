package events

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden events in testdata")

// caller is the fixed envelope of every golden event.
var caller = Caller{
	Region:     "us-east-1",
	UserPoolID: "us-east-1_EXAMPLE",
	UserName:   "testuser",
	ClientID:   "1example23456789",
	SDKVersion: "aws-sdk-js-3.600.0",
}

var (
	attrs = map[string]string{
		"sub":                 "a36036a8-9061-424d-a737-56d57dae7bc6",
		"email":               "testuser@example.com",
		"email_verified":      "true",
		"cognito:user_status": "CONFIRMED",
	}
	metadata   = map[string]string{"campaign": "spring"}
	validation = map[string]string{"captcha": "tok-123"}
	history    = []ChallengeResult{
		{ChallengeName: "SRP_A", ChallengeResult: true},
		{ChallengeName: "PASSWORD_VERIFIER", ChallengeResult: true},
		{ChallengeName: "CUSTOM_CHALLENGE", ChallengeResult: false, ChallengeMetadata: "CAPTCHA"},
	}
	groups = Groups{
		Names:         []string{"admins", "readers"},
		Roles:         []string{"arn:aws:iam::123456789012:role/admin"},
		PreferredRole: "arn:aws:iam::123456789012:role/admin",
	}
)

// goldenCase is one representative event: the file it lives in and the value built from the constructors.
type goldenCase struct {
	name  string // testdata/<name>.json: <trigger>_<source without the trigger's prefix>
	event any
}

func fileName(trigger, source string) string {
	if _, rest, ok := strings.Cut(source, "_"); ok {
		return trigger + "_" + rest
	}
	return trigger + "_" + source
}

func goldenCases() []goldenCase {
	var cs []goldenCase
	add := func(trigger, source string, e any) {
		cs = append(cs, goldenCase{name: fileName(trigger, source), event: e})
	}
	for _, s := range PreSignUpSources {
		add("PreSignUp", string(s), NewPreSignUp(s, caller, attrs, validation, metadata))
	}
	for _, s := range PostConfirmationSources {
		add("PostConfirmation", string(s), NewPostConfirmation(s, caller, attrs, metadata))
	}
	add("PreAuthentication", PreAuthenticationAuthentication, NewPreAuthentication(caller, attrs, metadata, false))
	add("PostAuthentication", PostAuthenticationAuthentication, NewPostAuthentication(caller, attrs, metadata, true))
	for _, s := range PreTokenGenerationSources {
		add("PreTokenGenerationV1", string(s), NewPreTokenGenerationV1(s, caller, attrs, groups, metadata))
		add("PreTokenGenerationV2", string(s), NewPreTokenGenerationV2(PreTokenGenerationV2, s, caller, attrs, groups, []string{"openid", "aws.cognito.signin.user.admin"}, metadata))
		add("PreTokenGenerationV3", string(s), NewPreTokenGenerationV2(PreTokenGenerationV3, s, caller, attrs, groups, []string{"openid", "email"}, metadata))
	}
	m2m := caller
	m2m.UserName = ""
	add("PreTokenGenerationV3", string(TokenGenerationClientCredentials), NewPreTokenGenerationV2(PreTokenGenerationV3, TokenGenerationClientCredentials, m2m, nil, Groups{}, []string{"orders/read"}, nil))
	add("DefineAuthChallenge", DefineAuthChallengeAuthentication, NewDefineAuthChallenge(caller, attrs, history, metadata, false))
	add("CreateAuthChallenge", CreateAuthChallengeAuthentication, NewCreateAuthChallenge(caller, attrs, "CUSTOM_CHALLENGE", history[:2], metadata, false))
	add("VerifyAuthChallengeResponse", VerifyAuthChallengeResponseAuthentication, NewVerifyAuthChallengeResponse(caller, attrs, map[string]string{"answer": "5"}, "5", metadata, false))
	for _, s := range CustomMessageSources {
		add("CustomMessage", string(s), NewCustomMessage(s, caller, attrs, metadata))
	}
	for _, s := range UserMigrationSources {
		add("UserMigration", string(s), NewUserMigration(s, caller, "Passw0rd!", validation, metadata))
	}
	for _, s := range CustomEmailSenderSources {
		add("CustomEmailSender", string(s), NewCustomSender(s, caller, "AYADeBgA...base64...", attrs, metadata))
	}
	for _, s := range CustomSMSSenderSources {
		add("CustomSMSSender", string(s), NewCustomSender(s, caller, "AYADeBgA...base64...", attrs, metadata))
	}
	add("InboundFederation", InboundFederationExternalProvider+"_OIDC", NewInboundFederation(caller, "ExampleOIDC", ProviderOIDC, ProviderAttributes{
		TokenResponse: map[string]string{"token_type": "Bearer", "expires_in": "3600"},
		IDToken:       map[string]string{"sub": "idp-123", "email": "testuser@example.com"},
		UserInfo:      map[string]string{"given_name": "Test"},
	}))
	add("InboundFederation", InboundFederationExternalProvider+"_SAML", NewInboundFederation(caller, "ExampleSAML", ProviderSAML, ProviderAttributes{
		SAMLResponse: map[string]string{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "testuser@example.com"},
	}))
	return cs
}

func marshalGolden(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestGoldenEvents(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			if seen[c.name] {
				t.Fatalf("two cases write %s", c.name)
			}
			seen[c.name] = true
			got := marshalGolden(t, c.event)
			path := filepath.Join("testdata", c.name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the event built now:\n%s", path, got)
			}
		})
	}
}

// TestEveryGoldenFileIsBuilt keeps testdata free of files no case writes any more.
func TestEveryGoldenFileIsBuilt(t *testing.T) {
	built := map[string]bool{}
	for _, c := range goldenCases() {
		built[c.name+".json"] = true
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !built[filepath.Base(f)] {
			t.Errorf("%s is not built by any case", f)
		}
	}
}

// TestEnvelope pins the common members' order and the event versions.
func TestEnvelope(t *testing.T) {
	tests := []struct {
		event   any
		version string
	}{
		{NewPreSignUp(PreSignUpSignUp, caller, nil, nil, nil), "1"},
		{NewPreTokenGenerationV1(TokenGenerationAuthentication, caller, nil, Groups{}, nil), "1"},
		{NewPreTokenGenerationV2(PreTokenGenerationV2, TokenGenerationAuthentication, caller, nil, Groups{}, nil, nil), "2"},
		{NewPreTokenGenerationV2(PreTokenGenerationV3, TokenGenerationAuthentication, caller, nil, Groups{}, nil, nil), "3"},
	}
	order := []string{`"version"`, `"triggerSource"`, `"region"`, `"userPoolId"`, `"userName"`, `"callerContext"`, `"request"`, `"response"`}
	for _, tt := range tests {
		b, _ := json.Marshal(tt.event)
		last := -1
		for _, k := range order {
			i := bytes.Index(b, []byte(k))
			if i <= last {
				t.Errorf("%s: %s out of order in %s", tt.version, k, b)
			}
			last = i
		}
		if !bytes.HasPrefix(b, []byte(`{"version":"`+tt.version+`"`)) {
			t.Errorf("version: want %s in %s", tt.version, b)
		}
	}
	b, _ := json.Marshal(NewPreAuthentication(Caller{}, nil, nil, false))
	if !bytes.Contains(b, []byte(`"callerContext":{"awsSdkVersion":"`+DefaultSDKVersion+`","clientId":""}`)) {
		t.Errorf("default SDK version missing: %s", b)
	}
}
