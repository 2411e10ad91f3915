// Package triggerfn is a Cognito trigger function written as a team writes
// one, with aws-lambda-go's event types, for tests that reach the same
// function through every kind of target: in process (New), and as the
// program of cmd/triggerfn, which is both a command target and a Lambda
// runtime under the Runtime Interface Emulator (Build builds it).
package triggerfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// The matrix function's rules, which the flow below relies on.
const (
	Question       = "What is seven times six?"
	Answer         = "42"
	LegacyUser     = "legacy"
	LegacyPassword = "legacy-Passw0rd"
)

// New returns the function as reached through the target kind, which it
// writes into tokens and messages so that a test sees which target
// answered. Its rules:
//   - PreSignUp_SignUp wants clientMetadata source=web and an address at
//     example.com; validationData invite=XYZ is confirmed with its email
//     address verified, invite=LATER left to confirm, and any other sign-up
//     refused with "Invitation only";
//   - PostConfirmation fails with "CRM is down" for clientMetadata crm=down;
//   - CustomMessage_SignUp sets the subject "Welcome (kind)" and the
//     message "Your code from kind: {####}";
//   - PreAuthentication fails with "Account blocked" for validationData
//     blocked=yes, PostAuthentication with "Audit log unavailable" for
//     clientMetadata audit=down;
//   - pre token generation (V2_0) adds target=kind and source=<the
//     triggerSource> to the ID token and target=kind to the access token;
//   - custom authentication asks Question once and issues tokens for
//     Answer, failing the sign-in otherwise;
//   - UserMigration_Authentication knows LegacyUser with LegacyPassword,
//     confirmed with a verified address at legacy.example.com, and fails
//     with "Bad password" for anything else.
func New(kind string) func(ctx context.Context, event []byte) ([]byte, error) {
	return func(_ context.Context, event []byte) ([]byte, error) {
		var h events.CognitoEventUserPoolsHeader
		if err := json.Unmarshal(event, &h); err != nil {
			return nil, err
		}
		if h.Version == "" || h.Region != "us-east-1" || !strings.HasPrefix(h.UserPoolID, "us-east-1_") || h.CallerContext.ClientID == "" || h.UserName == "" {
			return nil, fmt.Errorf("unexpected event header %+v", h)
		}
		switch h.TriggerSource {
		case "PreSignUp_SignUp":
			return apply(event, func(e *events.CognitoEventUserPoolsPreSignup) error {
				if e.Request.ClientMetadata["source"] != "web" || e.Request.UserAttributes["email"] != e.UserName+"@example.com" {
					return fmt.Errorf("unexpected request %+v", e.Request)
				}
				switch e.Request.ValidationData["invite"] {
				case "XYZ":
					e.Response.AutoConfirmUser, e.Response.AutoVerifyEmail = true, true
				case "LATER": // confirmed by the code sent
				default:
					return refusal("Invitation only")
				}
				return nil
			})
		case "PostConfirmation_ConfirmSignUp":
			return apply(event, func(e *events.CognitoEventUserPoolsPostConfirmation) error {
				if e.Request.UserAttributes["cognito:user_status"] != "CONFIRMED" || e.Request.UserAttributes["sub"] == "" {
					return fmt.Errorf("unexpected attributes %v", e.Request.UserAttributes)
				}
				if e.Request.ClientMetadata["crm"] == "down" {
					return refusal("CRM is down")
				}
				return nil
			})
		case "CustomMessage_SignUp":
			return apply(event, func(e *events.CognitoEventUserPoolsCustomMessage) error {
				if e.Request.CodeParameter != "{####}" {
					return fmt.Errorf("unexpected code parameter %q", e.Request.CodeParameter)
				}
				e.Response.EmailSubject = "Welcome (" + kind + ")"
				e.Response.EmailMessage = "Your code from " + kind + ": {####}"
				return nil
			})
		case "PreAuthentication_Authentication":
			return apply(event, func(e *events.CognitoEventUserPoolsPreAuthentication) error {
				if e.Request.UserAttributes["sub"] == "" {
					return fmt.Errorf("unexpected attributes %v", e.Request.UserAttributes)
				}
				if e.Request.ValidationData["blocked"] == "yes" {
					return refusal("Account blocked")
				}
				return nil
			})
		case "PostAuthentication_Authentication":
			return apply(event, func(e *events.CognitoEventUserPoolsPostAuthentication) error {
				if e.Request.ClientMetadata["audit"] == "down" {
					return refusal("Audit log unavailable")
				}
				return nil
			})
		case "TokenGeneration_Authentication", "TokenGeneration_RefreshTokens":
			return apply(event, func(e *events.CognitoEventUserPoolsPreTokenGenV2_0) error {
				d := &e.Response.ClaimsAndScopeOverrideDetails
				d.IDTokenGeneration.ClaimsToAddOrOverride = map[string]any{"target": kind, "source": e.TriggerSource}
				d.AccessTokenGeneration.ClaimsToAddOrOverride = map[string]any{"target": kind}
				return nil
			})
		case "DefineAuthChallenge_Authentication":
			return apply(event, func(e *events.CognitoEventUserPoolsDefineAuthChallenge) error {
				switch s := e.Request.Session; {
				case len(s) == 0:
					e.Response.ChallengeName = "CUSTOM_CHALLENGE"
				case s[len(s)-1].ChallengeResult:
					e.Response.IssueTokens = true
				default:
					e.Response.FailAuthentication = true
				}
				return nil
			})
		case "CreateAuthChallenge_Authentication":
			return apply(event, func(e *events.CognitoEventUserPoolsCreateAuthChallenge) error {
				e.Response.PublicChallengeParameters = map[string]string{"question": Question}
				e.Response.PrivateChallengeParameters = map[string]string{"answer": Answer}
				e.Response.ChallengeMetadata = "CAPTCHA"
				return nil
			})
		case "VerifyAuthChallengeResponse_Authentication":
			return apply(event, func(e *events.CognitoEventUserPoolsVerifyAuthChallenge) error {
				answer, _ := e.Request.ChallengeAnswer.(string)
				e.Response.AnswerCorrect = answer == e.Request.PrivateChallengeParameters["answer"]
				return nil
			})
		case "UserMigration_Authentication":
			return apply(event, func(e *events.CognitoEventUserPoolsMigrateUser) error {
				if e.UserName != LegacyUser || e.CognitoEventUserPoolsMigrateUserRequest.Password != LegacyPassword {
					return refusal("Bad password")
				}
				r := &e.CognitoEventUserPoolsMigrateUserResponse
				r.UserAttributes = map[string]string{"email": LegacyUser + "@legacy.example.com", "email_verified": "true"}
				r.FinalUserStatus, r.MessageAction = "CONFIRMED", "SUPPRESS"
				return nil
			})
		}
		return nil, errors.New("unexpected trigger " + h.TriggerSource)
	}
}

// apply decodes an event as E, lets fn set its response, and encodes it.
func apply[E any](event []byte, fn func(*E) error) ([]byte, error) {
	var e E
	if err := json.Unmarshal(event, &e); err != nil {
		return nil, err
	}
	if err := fn(&e); err != nil {
		return nil, err
	}
	return json.Marshal(e)
}

// refusal is an error of the function's own, its text the message Cognito
// shows the caller ("PreSignUp failed with error <text>.").
type refusal string

func (r refusal) Error() string { return string(r) }
