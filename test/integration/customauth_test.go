package integration

import (
	"encoding/base64"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
)

// The custom authentication functions of these tests, webhooks of the
// hook, which answers them as a CAPTCHA would (captcha).
const (
	defineARN = "arn:aws:lambda:us-east-1:000000000000:function:define-auth-challenge"
	createARN = "arn:aws:lambda:us-east-1:000000000000:function:create-auth-challenge"
	verifyARN = "arn:aws:lambda:us-east-1:000000000000:function:verify-auth-challenge"
)

// The CAPTCHA's question, its answer, and a private parameter no response
// may ever show.
const (
	captchaQuestion = "What is seven times six?"
	captchaAnswer   = "42"
	privateMarker   = "private-marker-9f1c2b"
	maxWrongAnswers = 3
)

// captcha answers the custom authentication triggers: SRP_A leads to the
// password verifier, a right password or a wrong answer to a question, a
// right answer to tokens, and the third wrong answer fails the sign-in.
func captcha(w http.ResponseWriter, event map[string]any) {
	session, _ := member(event, "request.session").([]any)
	last := map[string]any{}
	if len(session) > 0 {
		last = session[len(session)-1].(map[string]any)
	}
	wrong := 0
	for _, r := range session {
		if r := r.(map[string]any); r["challengeName"] == "CUSTOM_CHALLENGE" && r["challengeResult"] == false {
			wrong++
		}
	}
	switch event["triggerSource"] {
	case "DefineAuthChallenge_Authentication":
		resp := map[string]any{"issueTokens": false, "failAuthentication": false, "challengeName": "CUSTOM_CHALLENGE"}
		switch {
		case last["challengeName"] == "SRP_A":
			resp["challengeName"] = "PASSWORD_VERIFIER"
		case last["challengeName"] == "CUSTOM_CHALLENGE" && last["challengeResult"] == true:
			resp = map[string]any{"issueTokens": true, "failAuthentication": false}
		case wrong >= maxWrongAnswers:
			resp = map[string]any{"issueTokens": false, "failAuthentication": true}
		}
		reply(w, event, resp)
	case "CreateAuthChallenge_Authentication":
		if event["userName"] == "hoarder" { // more private data than a session carries
			reply(w, event, map[string]any{"publicChallengeParameters": map[string]any{"question": captchaQuestion},
				"privateChallengeParameters": map[string]any{"answer": strings.Repeat("x", 3000)}})
			return
		}
		reply(w, event, map[string]any{
			"publicChallengeParameters":  map[string]any{"question": captchaQuestion},
			"privateChallengeParameters": map[string]any{"answer": captchaAnswer, "marker": privateMarker},
			"challengeMetadata":          "CAPTCHA-" + string(rune('0'+len(session))),
		})
	case "VerifyAuthChallengeResponse_Authentication":
		ok := member(event, "request.challengeAnswer") == member(event, "request.privateChallengeParameters.answer")
		reply(w, event, map[string]any{"answerCorrect": ok})
	default:
		reply(w, event, nil)
	}
}

// customFile writes a functions file mapping the custom authentication
// ARNs, and the pre authentication one, to the hook.
func (h *hook) customFile(t *testing.T) string {
	fns := map[string]any{}
	for _, arn := range []string{defineARN, createARN, verifyARN, preAuthenticationARN} {
		fns[arn] = map[string]string{"url": h.srv.URL + "/custom", "secret": string(h.secret)}
	}
	return functionsFile(t, t.TempDir(), fns)
}

// customEngines runs fn once per store engine, with a hook answering as
// captcha does.
func customEngines(t *testing.T, fn func(t *testing.T, e *env, h *hook)) {
	storeEngines(t, func(t *testing.T, db string) {
		h := newHook(t)
		h.on(captcha)
		file := h.customFile(t)
		e := startServer(t, db, t.TempDir(), "", server.Options{FunctionTimeout: triggerTimeout},
			func(c *config.Config) { c.FunctionsFile = file })
		fn(t, e, h)
	})
}

var customTriggers = &types.LambdaConfigType{DefineAuthChallenge: aws.String(defineARN), CreateAuthChallenge: aws.String(createARN),
	VerifyAuthChallengeResponse: aws.String(verifyARN), PreAuthentication: aws.String(preAuthenticationARN)}

// customPool creates a pool with the custom triggers, a user alice, and a
// client allowing CUSTOM_AUTH (and SRP, to sign up).
func (e *env) customPool(t *testing.T, hide bool) (poolID, clientID string) {
	t.Helper()
	poolID, _ = e.triggerPool(t, customTriggers)
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("custom"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}}
	if hide {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	}
	c, err := e.Admin.CreateUserPoolClient(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	clientID = *c.UserPoolClient.ClientId
	e.signUpConfirmed(t, poolID, clientID, "alice", password)
	return poolID, clientID
}

func (e *env) startCustom(t *testing.T, clientID, username string) (*cip.InitiateAuthOutput, error) {
	return e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"USERNAME": username}}, noRetry)
}

func (e *env) answerCustom(t *testing.T, clientID, username string, session *string, answer string) (*cip.RespondToAuthChallengeOutput, error) {
	return e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypeCustomChallenge,
		ClientId: aws.String(clientID), Session: session, ChallengeResponses: map[string]string{"USERNAME": username, "ANSWER": answer}}, noRetry)
}

// wantQuestion checks a CUSTOM_CHALLENGE: the public parameters and the
// username, and nothing private, in clear or in the session.
func wantQuestion(t *testing.T, name types.ChallengeNameType, params map[string]string, session *string, username string) {
	t.Helper()
	if name != types.ChallengeNameTypeCustomChallenge {
		t.Fatalf("challenge %s, want CUSTOM_CHALLENGE", name)
	}
	if want := map[string]string{"question": captchaQuestion, "USERNAME": username}; !reflect.DeepEqual(params, want) {
		t.Errorf("ChallengeParameters = %v, want %v", params, want)
	}
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(session))
	if err != nil || len(raw) == 0 {
		t.Fatalf("Session %q: %v", aws.ToString(session), err)
	}
	if strings.Contains(string(raw), privateMarker) || strings.Contains(aws.ToString(session), privateMarker) {
		t.Error("the session shows a private challenge parameter")
	}
}

// histories are the sessions the pool's DefineAuthChallenge got, in order.
func histories(h *hook, poolID string) [][]any {
	var out [][]any
	for _, ev := range h.received(poolID) {
		if ev["triggerSource"] == "DefineAuthChallenge_Authentication" {
			s, _ := member(ev, "request.session").([]any)
			out = append(out, s)
		}
	}
	return out
}

func round(name string, result bool, metadata string) map[string]any {
	r := map[string]any{"challengeName": name, "challengeResult": result}
	if metadata != "" {
		r["challengeMetadata"] = metadata
	}
	return r
}

func TestCustomAuth(t *testing.T) {
	customEngines(t, func(t *testing.T, e *env, h *hook) {
		t.Run("one right answer", func(t *testing.T) {
			poolID, clientID := e.customPool(t, false)
			init, err := e.startCustom(t, clientID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			wantQuestion(t, init.ChallengeName, init.ChallengeParameters, init.Session, "alice")
			out, err := e.answerCustom(t, clientID, "alice", init.Session, captchaAnswer)
			if err != nil {
				t.Fatal(err)
			}
			if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" {
				t.Fatalf("no tokens: %+v", out)
			}
			want := [][]any{{}, {round("CUSTOM_CHALLENGE", true, "CAPTCHA-0")}}
			if got := histories(h, poolID); !reflect.DeepEqual(got, want) {
				t.Errorf("DefineAuthChallenge sessions = %v, want %v", got, want)
			}
			evs := h.received(poolID)
			if evs[0]["triggerSource"] != "PreAuthentication_Authentication" {
				t.Errorf("first trigger %v, want the pre authentication one", evs[0]["triggerSource"])
			}
			for _, ev := range evs {
				if ev["triggerSource"] == "VerifyAuthChallengeResponse_Authentication" {
					if got := member(ev, "request.privateChallengeParameters.marker"); got != privateMarker {
						t.Errorf("VerifyAuthChallengeResponse got private parameters %v", member(ev, "request.privateChallengeParameters"))
					}
				}
				if ev["triggerSource"] != "PreAuthentication_Authentication" && member(ev, "request.userNotFound") != false {
					t.Errorf("%v: userNotFound %v", ev["triggerSource"], member(ev, "request.userNotFound"))
				}
			}
		})

		t.Run("a wrong answer, then a right one", func(t *testing.T) {
			poolID, clientID := e.customPool(t, false)
			init, err := e.startCustom(t, clientID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			again, err := e.answerCustom(t, clientID, "alice", init.Session, "41")
			if err != nil {
				t.Fatal(err)
			}
			wantQuestion(t, again.ChallengeName, again.ChallengeParameters, again.Session, "alice")
			out, err := e.answerCustom(t, clientID, "alice", again.Session, captchaAnswer)
			if err != nil || out.AuthenticationResult == nil {
				t.Fatalf("right answer: %+v, %v", out, err)
			}
			want := [][]any{{}, {round("CUSTOM_CHALLENGE", false, "CAPTCHA-0")},
				{round("CUSTOM_CHALLENGE", false, "CAPTCHA-0"), round("CUSTOM_CHALLENGE", true, "CAPTCHA-1")}}
			if got := histories(h, poolID); !reflect.DeepEqual(got, want) {
				t.Errorf("DefineAuthChallenge sessions = %v, want %v", got, want)
			}
		})

		t.Run("failAuthentication after wrong answers", func(t *testing.T) {
			_, clientID := e.customPool(t, false)
			init, err := e.startCustom(t, clientID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			session := init.Session
			for i := 1; i < maxWrongAnswers; i++ {
				out, err := e.answerCustom(t, clientID, "alice", session, "wrong")
				if err != nil {
					t.Fatalf("wrong answer %d: %v", i, err)
				}
				session = out.Session
			}
			_, err = e.answerCustom(t, clientID, "alice", session, "wrong")
			wantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		})

		t.Run("a replayed session", func(t *testing.T) {
			_, clientID := e.customPool(t, false)
			init, err := e.startCustom(t, clientID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.answerCustom(t, clientID, "alice", init.Session, "wrong"); err != nil {
				t.Fatal(err)
			}
			_, err = e.answerCustom(t, clientID, "alice", init.Session, captchaAnswer)
			wantError(t, err, "NotAuthorizedException", "Invalid session for the user.")
			// A right answer's session is no more reusable.
			init, err = e.startCustom(t, clientID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.answerCustom(t, clientID, "alice", init.Session, captchaAnswer); err != nil {
				t.Fatal(err)
			}
			_, err = e.answerCustom(t, clientID, "alice", init.Session, captchaAnswer)
			wantError(t, err, "NotAuthorizedException", "Invalid session for the user.")
		})

		t.Run("an administrator's custom sign-in", func(t *testing.T) {
			poolID, clientID := e.customPool(t, false)
			init, err := e.Admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID),
				AuthFlow: types.AuthFlowTypeCustomAuth, AuthParameters: map[string]string{"USERNAME": "alice"}})
			if err != nil {
				t.Fatal(err)
			}
			wantQuestion(t, init.ChallengeName, init.ChallengeParameters, init.Session, "alice")
			out, err := e.Admin.AdminRespondToAuthChallenge(ctx(t), &cip.AdminRespondToAuthChallengeInput{UserPoolId: aws.String(poolID),
				ClientId: aws.String(clientID), ChallengeName: types.ChallengeNameTypeCustomChallenge, Session: init.Session,
				ChallengeResponses: map[string]string{"USERNAME": "alice", "ANSWER": captchaAnswer}})
			if err != nil || out.AuthenticationResult == nil {
				t.Fatalf("AdminRespondToAuthChallenge: %+v, %v", out, err)
			}
		})

		t.Run("CUSTOM_WITH_SRP", func(t *testing.T) {
			poolID, clientID := e.customPool(t, false)
			c, err := cognitosrp.NewClient(poolID, "alice", password)
			if err != nil {
				t.Fatal(err)
			}
			params := c.AuthParameters()
			params["CHALLENGE_NAME"] = "SRP_A"
			init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: aws.String(clientID),
				AuthParameters: params})
			if err != nil {
				t.Fatal(err)
			}
			if init.ChallengeName != types.ChallengeNameTypePasswordVerifier {
				t.Fatalf("challenge %s, want PASSWORD_VERIFIER", init.ChallengeName)
			}
			r, err := c.ChallengeResponses(init.ChallengeParameters, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			q, err := e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
				ClientId: aws.String(clientID), ChallengeResponses: r, Session: init.Session}, noRetry)
			if err != nil {
				t.Fatal(err)
			}
			wantQuestion(t, q.ChallengeName, q.ChallengeParameters, q.Session, "alice")
			out, err := e.answerCustom(t, clientID, "alice", q.Session, captchaAnswer)
			if err != nil || out.AuthenticationResult == nil {
				t.Fatalf("right answer: %+v, %v", out, err)
			}
			srpA, pv := round("SRP_A", true, ""), round("PASSWORD_VERIFIER", true, "")
			want := [][]any{{srpA}, {srpA, pv}, {srpA, pv, round("CUSTOM_CHALLENGE", true, "CAPTCHA-2")}}
			if got := histories(h, poolID); !reflect.DeepEqual(got, want) {
				t.Errorf("DefineAuthChallenge sessions = %v, want %v", got, want)
			}

			// A wrong password ends the sign-in.
			c, err = cognitosrp.NewClient(poolID, "alice", "Wrong-Passw0rd!")
			if err != nil {
				t.Fatal(err)
			}
			params = c.AuthParameters()
			params["CHALLENGE_NAME"] = "SRP_A"
			init, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeCustomAuth, ClientId: aws.String(clientID),
				AuthParameters: params})
			if err != nil {
				t.Fatal(err)
			}
			if r, err = c.ChallengeResponses(init.ChallengeParameters, time.Now()); err != nil {
				t.Fatal(err)
			}
			_, err = e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
				ClientId: aws.String(clientID), ChallengeResponses: r, Session: init.Session}, noRetry)
			wantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		})

		t.Run("a name that is no user, existence hidden", func(t *testing.T) {
			poolID, clientID := e.customPool(t, true)
			init, err := e.startCustom(t, clientID, "nobody")
			if err != nil {
				t.Fatal(err)
			}
			wantQuestion(t, init.ChallengeName, init.ChallengeParameters, init.Session, "nobody")
			user, err := e.startCustom(t, clientID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			if len(*user.Session) != len(*init.Session) {
				t.Errorf("a user's session is %d characters long, a decoy's %d", len(*user.Session), len(*init.Session))
			}
			_, err = e.answerCustom(t, clientID, "nobody", init.Session, captchaAnswer)
			wantError(t, err, "NotAuthorizedException", "Incorrect username or password.")
			for _, ev := range h.received(poolID) {
				if want := ev["userName"] == "nobody"; member(ev, "request.userNotFound") != want {
					t.Errorf("%v for %v: userNotFound %v, want %v", ev["triggerSource"], ev["userName"], member(ev, "request.userNotFound"), want)
				}
			}
			// Without hiding, the name is refused.
			_, plain := e.customPool(t, false)
			_, err = e.startCustom(t, plain, "nobody")
			wantError(t, err, "UserNotFoundException", "User does not exist.")
		})

		t.Run("refusals", func(t *testing.T) {
			poolID, srpOnly := e.triggerPool(t, customTriggers)
			e.signUpConfirmed(t, poolID, srpOnly, "alice", password)
			_, err := e.startCustom(t, srpOnly, "alice")
			wantError(t, err, "InvalidParameterException", "CUSTOM_AUTH flow not enabled for this client")

			bare, _ := e.triggerPool(t, nil)
			c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(bare), ClientName: aws.String("c"),
				ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowCustomAuth}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.startCustom(t, *c.UserPoolClient.ClientId, "alice")
			wantError(t, err, "InvalidParameterException", "Custom auth lambda trigger is not configured for the user pool.")
		})

		t.Run("private data too large for a session", func(t *testing.T) {
			poolID, clientID := e.customPool(t, false)
			e.signUpConfirmed(t, poolID, clientID, "hoarder", password)
			_, err := e.startCustom(t, clientID, "hoarder")
			wantError(t, err, "InvalidLambdaResponseException", "CreateAuthChallenge returned more private challenge data than a session can carry.")
		})

		t.Run("MFA after the custom challenge", func(t *testing.T) {
			poolID, clientID := e.customPool(t, false)
			if _, err := e.Admin.SetUserPoolMfaConfig(ctx(t), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID),
				MfaConfiguration:              types.UserPoolMfaTypeOn,
				SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
				t.Fatal(err)
			}
			init, err := e.startCustom(t, clientID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.answerCustom(t, clientID, "alice", init.Session, captchaAnswer)
			if err != nil {
				t.Fatal(err)
			}
			if out.ChallengeName != types.ChallengeNameTypeMfaSetup || out.AuthenticationResult != nil {
				t.Errorf("after the right answer: challenge %s, tokens %v; want MFA_SETUP", out.ChallengeName, out.AuthenticationResult != nil)
			}
		})

		t.Run("answers are bounded", func(t *testing.T) {
			_, clientID := e.customPool(t, false)
			answers := 0
			for answers < 9 { // three sign-ins, each failed by its third wrong answer
				init, err := e.startCustom(t, clientID, "alice")
				if err != nil {
					t.Fatal(err)
				}
				session := init.Session
				for i := 0; i < maxWrongAnswers; i++ {
					out, err := e.answerCustom(t, clientID, "alice", session, "wrong")
					answers++
					if i == maxWrongAnswers-1 {
						wantCode(t, err, "NotAuthorizedException")
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					session = out.Session
				}
			}
			signIn := func() error {
				init, err := e.startCustom(t, clientID, "alice")
				if err != nil {
					t.Fatal(err)
				}
				_, err = e.answerCustom(t, clientID, "alice", init.Session, captchaAnswer)
				return err
			}
			if err := signIn(); err != nil {
				t.Fatalf("the tenth answer: %v", err)
			}
			// Past the budget from this address, not even the right answer is checked.
			wantError(t, signIn(), "LimitExceededException", "Attempt limit exceeded, please try after some time.")
		})

		// Last: it moves the server's clock.
		t.Run("an expired session", func(t *testing.T) {
			_, clientID := e.customPool(t, false)
			init, err := e.startCustom(t, clientID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(4 * time.Minute)
			_, err = e.answerCustom(t, clientID, "alice", init.Session, captchaAnswer)
			wantError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
		})
	})
}
