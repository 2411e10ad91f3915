package events

import (
	"encoding/json"
	"errors"
	"testing"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

// decoders runs every Decode…Response on one input, for the rules all of them share.
var decoders = map[string]func([]byte) (any, error){
	"PreSignUp":            func(b []byte) (any, error) { return DecodePreSignUpResponse(b) },
	"PreTokenGenerationV1": func(b []byte) (any, error) { return DecodePreTokenGenerationV1Response(b) },
	"PreTokenGenerationV2": func(b []byte) (any, error) { return DecodePreTokenGenerationV2Response(b) },
	"DefineAuthChallenge":  func(b []byte) (any, error) { return DecodeDefineAuthChallengeResponse(b) },
	"CreateAuthChallenge":  func(b []byte) (any, error) { return DecodeCreateAuthChallengeResponse(b) },
	"VerifyAuthChallenge":  func(b []byte) (any, error) { return DecodeVerifyAuthChallengeResponse(b) },
	"CustomMessage":        func(b []byte) (any, error) { return DecodeCustomMessageResponse(b) },
	"UserMigration":        func(b []byte) (any, error) { return DecodeUserMigrationResponse(b) },
	"InboundFederation":    func(b []byte) (any, error) { return DecodeInboundFederationResponse(b) },
	"Empty":                func(b []byte) (any, error) { return nil, DecodeEmptyResponse("PostConfirmation", b) },
}

func TestDecodersShareTheRules(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"event without response", `{"version":"1","request":{}}`, true},
		{"null response", `{"response":null}`, true},
		{"empty response", `{"response":{}}`, true},
		{"unknown members ignored", `{"extra":[1,2],"response":{"somethingNew":{"a":1}}}`, true},
		{"null returned", `null`, false},
		{"string returned", `"ok"`, false},
		{"array returned", `[{}]`, false},
		{"empty body", ``, false},
		{"truncated", `{"response":{`, false},
		{"trailing garbage", `{"response":{}} x`, false},
		{"response not an object", `{"response":"done"}`, false},
		{"response an array", `{"response":[]}`, false},
		{"invalid UTF-8", "{\"response\":{},\"x\":\"\xff\"}", false},
	}
	for name, decode := range decoders {
		for _, tt := range tests {
			_, err := decode([]byte(tt.in))
			if (err == nil) != tt.ok {
				t.Errorf("%s, %s: err = %v, want ok %v", name, tt.name, err, tt.ok)
			}
			var re *ResponseError
			if err != nil && !errors.As(err, &re) {
				t.Errorf("%s, %s: %T is not a *ResponseError", name, tt.name, err)
			}
		}
	}
}

func TestDecodePreSignUpResponse(t *testing.T) {
	tests := []struct {
		in      string
		want    PreSignUpResponse
		errPath string
	}{
		{`{"response":{"autoConfirmUser":true,"autoVerifyEmail":true}}`, PreSignUpResponse{AutoConfirmUser: true, AutoVerifyEmail: true}, ""},
		{`{"response":{"autoConfirmUser":null,"autoVerifyPhone":true}}`, PreSignUpResponse{AutoVerifyPhone: true}, ""},
		// Names match exactly: encoding/json alone would take AutoConfirmUser for autoConfirmUser.
		{`{"response":{"AutoConfirmUser":true}}`, PreSignUpResponse{}, ""},
		{`{"response":{"autoConfirmUser":"true"}}`, PreSignUpResponse{}, "response.autoConfirmUser"},
		{`{"response":{"autoVerifyEmail":1}}`, PreSignUpResponse{}, "response.autoVerifyEmail"},
	}
	for _, tt := range tests {
		got, err := DecodePreSignUpResponse([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
}

func TestDecodePreTokenGenerationResponses(t *testing.T) {
	v1 := []struct {
		in      string
		want    PreTokenGenerationV1Response
		errPath string
	}{
		{`{"response":{"claimsOverrideDetails":null}}`, PreTokenGenerationV1Response{}, ""},
		{`{"response":{"claimsOverrideDetails":{"claimsToAddOrOverride":{"tier":"gold"},"claimsToSuppress":["email"],` +
			`"groupOverrideDetails":{"groupsToOverride":["a"],"iamRolesToOverride":[],"preferredRole":null}}}}`,
			PreTokenGenerationV1Response{ClaimsOverrideDetails: &ClaimsOverrideDetails{
				ClaimsToAddOrOverride: map[string]string{"tier": "gold"},
				ClaimsToSuppress:      []string{"email"},
				GroupOverrideDetails:  &GroupConfiguration{GroupsToOverride: []string{"a"}, IAMRolesToOverride: []string{}},
			}}, ""},
		{`{"response":{"claimsOverrideDetails":{"claimsToAddOrOverride":{"n":2}}}}`, PreTokenGenerationV1Response{}, "response.claimsOverrideDetails.claimsToAddOrOverride.n"},
		{`{"response":{"claimsOverrideDetails":{"claimsToSuppress":"email"}}}`, PreTokenGenerationV1Response{}, "response.claimsOverrideDetails.claimsToSuppress"},
		{`{"response":{"claimsOverrideDetails":{"claimsToSuppress":["email",3]}}}`, PreTokenGenerationV1Response{}, "response.claimsOverrideDetails.claimsToSuppress[1]"},
		{`{"response":{"claimsOverrideDetails":{"groupOverrideDetails":{"preferredRole":7}}}}`, PreTokenGenerationV1Response{}, "response.claimsOverrideDetails.groupOverrideDetails.preferredRole"},
		{`{"response":{"claimsOverrideDetails":[]}}`, PreTokenGenerationV1Response{}, "response.claimsOverrideDetails"},
	}
	for _, tt := range v1 {
		got, err := DecodePreTokenGenerationV1Response([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
	v2 := []struct {
		in      string
		want    PreTokenGenerationV2Response
		errPath string
	}{
		{`{"response":{"claimsAndScopeOverrideDetails":{` +
			`"idTokenGeneration":{"claimsToAddOrOverride":{"n":2,"b":true,"l":["x",1],"o":{"k":"v"}},"claimsToSuppress":["email"]},` +
			`"accessTokenGeneration":{"claimsToAddOrOverride":{"s":"v"},"scopesToAdd":["a"],"scopesToSuppress":["b"]}}}}`,
			PreTokenGenerationV2Response{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
				IDTokenGeneration: &IDTokenGeneration{
					ClaimsToAddOrOverride: map[string]any{"n": json.Number("2"), "b": true, "l": []any{"x", json.Number("1")}, "o": map[string]any{"k": "v"}},
					ClaimsToSuppress:      []string{"email"},
				},
				AccessTokenGeneration: &AccessTokenGeneration{
					ClaimsToAddOrOverride: map[string]any{"s": "v"},
					ScopesToAdd:           []string{"a"},
					ScopesToSuppress:      []string{"b"},
				},
			}}, ""},
		{`{"response":{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"scopesToAdd":[null]}}}}`, PreTokenGenerationV2Response{}, "response.claimsAndScopeOverrideDetails.accessTokenGeneration.scopesToAdd[0]"},
		{`{"response":{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":[1]}}}}`, PreTokenGenerationV2Response{}, "response.claimsAndScopeOverrideDetails.idTokenGeneration.claimsToAddOrOverride"},
		{`{"response":{"claimsAndScopeOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":"a"}}}}`, PreTokenGenerationV2Response{}, "response.claimsAndScopeOverrideDetails.groupOverrideDetails.groupsToOverride"},
	}
	for _, tt := range v2 {
		got, err := DecodePreTokenGenerationV2Response([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
}

func TestDecodeCustomAuthResponses(t *testing.T) {
	define := []struct {
		in      string
		want    DefineAuthChallengeResponse
		errPath string
	}{
		{`{"response":{"challengeName":"CUSTOM_CHALLENGE","issueTokens":false,"failAuthentication":false}}`,
			DefineAuthChallengeResponse{ChallengeName: ptr("CUSTOM_CHALLENGE"), IssueTokens: ptr(false), FailAuthentication: ptr(false)}, ""},
		{`{"response":{"challengeName":null,"issueTokens":true,"failAuthentication":null}}`, DefineAuthChallengeResponse{IssueTokens: ptr(true)}, ""},
		{`{"response":{"issueTokens":"yes"}}`, DefineAuthChallengeResponse{}, "response.issueTokens"},
		{`{"response":{"challengeName":1}}`, DefineAuthChallengeResponse{}, "response.challengeName"},
	}
	for _, tt := range define {
		got, err := DecodeDefineAuthChallengeResponse([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
	create := []struct {
		in      string
		want    CreateAuthChallengeResponse
		errPath string
	}{
		{`{"response":{"publicChallengeParameters":{"q":"2+3?"},"privateChallengeParameters":{"answer":"5"},"challengeMetadata":"CAPTCHA"}}`,
			CreateAuthChallengeResponse{PublicChallengeParameters: map[string]string{"q": "2+3?"}, PrivateChallengeParameters: map[string]string{"answer": "5"}, ChallengeMetadata: ptr("CAPTCHA")}, ""},
		{`{"response":{"privateChallengeParameters":{"answer":5}}}`, CreateAuthChallengeResponse{}, "response.privateChallengeParameters.answer"},
		{`{"response":{"publicChallengeParameters":"q"}}`, CreateAuthChallengeResponse{}, "response.publicChallengeParameters"},
	}
	for _, tt := range create {
		got, err := DecodeCreateAuthChallengeResponse([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
	verify := []struct {
		in      string
		want    VerifyAuthChallengeResult
		errPath string
	}{
		{`{"response":{"answerCorrect":true}}`, VerifyAuthChallengeResult{AnswerCorrect: ptr(true)}, ""},
		{`{"response":{"answerCorrect":null}}`, VerifyAuthChallengeResult{}, ""},
		{`{"response":{"answerCorrect":"true"}}`, VerifyAuthChallengeResult{}, "response.answerCorrect"},
	}
	for _, tt := range verify {
		got, err := DecodeVerifyAuthChallengeResponse([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
}

func TestDecodeMessageMigrationFederationResponses(t *testing.T) {
	msg := []struct {
		in      string
		want    CustomMessageResponse
		errPath string
	}{
		{`{"response":{"smsMessage":"code {####}","emailMessage":"<b>{####}</b>","emailSubject":"Welcome"}}`,
			CustomMessageResponse{SMSMessage: ptr("code {####}"), EmailMessage: ptr("<b>{####}</b>"), EmailSubject: ptr("Welcome")}, ""},
		{`{"response":{"emailSubject":["x"]}}`, CustomMessageResponse{}, "response.emailSubject"},
	}
	for _, tt := range msg {
		got, err := DecodeCustomMessageResponse([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
	mig := []struct {
		in      string
		want    UserMigrationResponse
		errPath string
	}{
		{`{"response":{"userAttributes":{"email":"a@example.com"},"finalUserStatus":"CONFIRMED","messageAction":"SUPPRESS",` +
			`"desiredDeliveryMediums":["EMAIL"],"forceAliasCreation":false,"enableSMSMFA":true}}`,
			UserMigrationResponse{UserAttributes: map[string]string{"email": "a@example.com"}, FinalUserStatus: ptr("CONFIRMED"),
				MessageAction: ptr("SUPPRESS"), DesiredDeliveryMediums: []string{"EMAIL"}, ForceAliasCreation: ptr(false), EnableSMSMFA: ptr(true)}, ""},
		{`{"response":{"userAttributes":{"email_verified":true}}}`, UserMigrationResponse{}, "response.userAttributes.email_verified"},
		{`{"response":{"desiredDeliveryMediums":"EMAIL"}}`, UserMigrationResponse{}, "response.desiredDeliveryMediums"},
		{`{"response":{"forceAliasCreation":"false"}}`, UserMigrationResponse{}, "response.forceAliasCreation"},
	}
	for _, tt := range mig {
		got, err := DecodeUserMigrationResponse([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
	fed := []struct {
		in      string
		want    InboundFederationResponse
		errPath string
	}{
		{`{"response":{"userAttributesToMap":{"email":"a@example.com"}}}`, InboundFederationResponse{UserAttributesToMap: map[string]string{"email": "a@example.com"}}, ""},
		{`{"response":{"userAttributesToMap":{}}}`, InboundFederationResponse{UserAttributesToMap: map[string]string{}}, ""},
		{`{"response":{"userAttributesToMap":{"n":1}}}`, InboundFederationResponse{}, "response.userAttributesToMap.n"},
		{`{"response":{"userAttributesToMap":{"email":null}}}`, InboundFederationResponse{}, "response.userAttributesToMap.email"},
	}
	for _, tt := range fed {
		got, err := DecodeInboundFederationResponse([]byte(tt.in))
		checkDecoded(t, tt.in, got, tt.want, err, tt.errPath)
	}
}

func checkDecoded[T any](t *testing.T, in string, got, want T, err error, errPath string) {
	t.Helper()
	if errPath != "" {
		var re *ResponseError
		if !errors.As(err, &re) || re.Path != errPath {
			t.Errorf("%s: err = %v, want a ResponseError at %s", in, err, errPath)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %v", in, err)
		return
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s: (-want +got)\n%s", in, d)
	}
}

// TestDecodeWhatAWSLambdaGoHandlersReturn decodes events a handler written with aws-lambda-go returns.
func TestDecodeWhatAWSLambdaGoHandlersReturn(t *testing.T) {
	pre := lambdaevents.CognitoEventUserPoolsPreSignup{}
	pre.Response.AutoConfirmUser = true
	pre.Response.AutoVerifyPhone = true
	gotPre, err := DecodePreSignUpResponse(mustMarshal(t, pre))
	checkDecoded(t, "aws-lambda-go pre sign-up", gotPre, PreSignUpResponse{AutoConfirmUser: true, AutoVerifyPhone: true}, err, "")

	role := "arn:aws:iam::123456789012:role/r"
	v2 := lambdaevents.CognitoEventUserPoolsPreTokenGenV2_0{}
	v2.Response.ClaimsAndScopeOverrideDetails.IDTokenGeneration.ClaimsToAddOrOverride = map[string]any{"n": 2}
	v2.Response.ClaimsAndScopeOverrideDetails.AccessTokenGeneration.ScopesToAdd = []string{"a"}
	v2.Response.ClaimsAndScopeOverrideDetails.GroupOverrideDetails.PreferredRole = &role
	gotV2, err := DecodePreTokenGenerationV2Response(mustMarshal(t, v2))
	checkDecoded(t, "aws-lambda-go pre token generation V2_0", gotV2, PreTokenGenerationV2Response{ClaimsAndScopeOverrideDetails: &ClaimsAndScopeOverrideDetails{
		IDTokenGeneration:     &IDTokenGeneration{ClaimsToAddOrOverride: map[string]any{"n": json.Number("2")}},
		AccessTokenGeneration: &AccessTokenGeneration{ScopesToAdd: []string{"a"}},
		GroupOverrideDetails:  &GroupConfiguration{PreferredRole: &role},
	}}, err, "")

	def := lambdaevents.CognitoEventUserPoolsDefineAuthChallenge{}
	def.Response.ChallengeName = "CUSTOM_CHALLENGE"
	gotDef, err := DecodeDefineAuthChallengeResponse(mustMarshal(t, def))
	checkDecoded(t, "aws-lambda-go define auth challenge", gotDef, DefineAuthChallengeResponse{ChallengeName: ptr("CUSTOM_CHALLENGE"), IssueTokens: ptr(false), FailAuthentication: ptr(false)}, err, "")

	mig := lambdaevents.CognitoEventUserPoolsMigrateUser{}
	mig.CognitoEventUserPoolsMigrateUserResponse.UserAttributes = map[string]string{"email": "a@example.com"}
	mig.FinalUserStatus = "CONFIRMED"
	mig.MessageAction = "SUPPRESS"
	gotMig, err := DecodeUserMigrationResponse(mustMarshal(t, mig))
	checkDecoded(t, "aws-lambda-go user migration", gotMig, UserMigrationResponse{UserAttributes: map[string]string{"email": "a@example.com"},
		FinalUserStatus: ptr("CONFIRMED"), MessageAction: ptr("SUPPRESS"), ForceAliasCreation: ptr(false)}, err, "")
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHasLoneSurrogate(t *testing.T) {
	tests := []struct {
		in   string
		lone bool
	}{
		{`{"a":"plain"}`, false},
		{`{"a":"\u00e9 \n \\ \""}`, false},
		{`{"a":"\ud83d\ude00"}`, false},
		{`{"a":"\uD83D\uDE00"}`, false},
		{`{"a":"\ud800"}`, true},
		{`{"a":"\udc00"}`, true},
		{`{"a":"\ud800x"}`, true},
		{`{"a":"\ud800\u0041"}`, true},
		{`{"a":"\ud800\ud800\udc00"}`, true},
		{`{"a":"\\ud800"}`, false}, // an escaped backslash, then text
		{`{"a":"\\\ud800"}`, true},
		{`{"a":"\ud800\n"}`, true},
	}
	for _, tt := range tests {
		if got := hasLoneSurrogate([]byte(tt.in)); got != tt.lone {
			t.Errorf("hasLoneSurrogate(%s) = %v, want %v", tt.in, got, tt.lone)
		}
		_, err := DecodeCustomMessageResponse([]byte(tt.in))
		if (err != nil) != tt.lone {
			t.Errorf("DecodeCustomMessageResponse(%s): err = %v, want refused %v", tt.in, err, tt.lone)
		}
	}
}
