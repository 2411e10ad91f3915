package integration

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// TestTokensVerifyAgainstPublishedKeys checks the tokens a sign-in yields
// with an independent OIDC verifier that knows only the issuer URL, and
// checks the claims Cognito puts in each token.
func TestTokensVerifyAgainstPublishedKeys(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, &cip.CreateUserPoolClientInput{ReadAttributes: []string{"email", "email_verified"}})
		sub := e.signUpConfirmed(t, poolID, clientID, "frank", password)
		auth, err := e.srpSignIn(t, poolID, clientID, "frank", password)
		if err != nil {
			t.Fatal(err)
		}
		issuer := e.URL + "/" + poolID

		provider, err := oidc.NewProvider(ctx(t), issuer)
		if err != nil {
			t.Fatalf("discovery: %v", err)
		}
		idToken, err := provider.Verifier(&oidc.Config{ClientID: clientID}).Verify(ctx(t), *auth.IdToken)
		if err != nil {
			t.Fatalf("ID token does not verify against the published keys: %v", err)
		}
		var id map[string]any
		if err := idToken.Claims(&id); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"sub": sub, "iss": issuer, "aud": clientID, "token_use": "id", "cognito:username": "frank",
			"email": "frank@example.com", "email_verified": true}
		for k, v := range want {
			if id[k] != v {
				t.Errorf("ID token %s = %v, want %v", k, id[k], v)
			}
		}
		if _, ok := id["custom:tenant"]; ok {
			t.Error("ID token carries an attribute the client may not read")
		}

		access := verifyWithJWKS(t, e.URL+"/"+poolID+"/.well-known/jwks.json", *auth.AccessToken)
		for k, v := range map[string]any{"sub": sub, "iss": issuer, "client_id": clientID, "token_use": "access",
			"scope": "aws.cognito.signin.user.admin", "username": "frank"} {
			if access[k] != v {
				t.Errorf("access token %s = %v, want %v", k, access[k], v)
			}
		}
		if access["origin_jti"] != id["origin_jti"] || access["origin_jti"] == nil || access["event_id"] != id["event_id"] {
			t.Errorf("origin_jti/event_id differ between tokens: %v %v", access, id)
		}
		exp, iat := access["exp"].(float64), access["iat"].(float64)
		if exp-iat != 3600 || access["auth_time"] == nil || access["jti"] == nil {
			t.Errorf("access token times: exp %v iat %v auth_time %v", exp, iat, access["auth_time"])
		}
	})
}

// verifyWithJWKS fetches a JWKS and verifies a compact JWS with it.
func verifyWithJWKS(t *testing.T, url, token string) map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil || len(set.Keys) == 0 {
		t.Fatalf("JWKS %s: %v", body, err)
	}
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	keys := set.Key(parsed.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q not in the JWKS", parsed.Headers[0].KeyID)
	}
	var claims map[string]any
	if err := parsed.Claims(keys[0].Key, &claims); err != nil {
		t.Fatalf("signature: %v", err)
	}
	return claims
}

func TestExpiries(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, clientID := e.poolWithClient(t, nil)
		signUp := func(name string) {
			if _, err := e.Anon.SignUp(ctx(t), &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String(name),
				Password: aws.String(password), UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}}); err != nil {
				t.Fatal(err)
			}
		}
		confirm := func(name, code string) error {
			_, err := e.Anon.ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String(name), ConfirmationCode: aws.String(code)})
			return err
		}
		signUp("gina")
		signUp("hank")
		// Five tries an hour from one address; they do not burn the code.
		for range 5 {
			wantCode(t, confirm("hank", "999999x"), "CodeMismatchException")
		}
		wantCode(t, confirm("hank", "999999x"), "TooManyFailedAttemptsException")
		wantCode(t, confirm("hank", e.lastCode(poolID, "hank")), "TooManyFailedAttemptsException")
		if _, err := e.from("198.51.100.7").ConfirmSignUp(ctx(t), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID),
			Username: aws.String("hank"), ConfirmationCode: aws.String(e.lastCode(poolID, "hank"))}); err != nil {
			t.Fatalf("confirming from another address: %v", err)
		}

		code := e.lastCode(poolID, "gina")
		e.Clock.Advance(25 * time.Hour)
		wantCode(t, confirm("gina", code), "ExpiredCodeException")
		if _, err := e.Anon.ResendConfirmationCode(ctx(t), &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String("gina")}); err != nil {
			t.Fatal(err)
		}
		if err := confirm("gina", e.lastCode(poolID, "gina")); err != nil {
			t.Fatal(err)
		}

		// The sign-in session between SRP's two steps lasts 3 minutes.
		c, _ := cognitosrp.NewClient(poolID, "gina", password)
		init, err := e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String(clientID), AuthParameters: c.AuthParameters()})
		if err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(4 * time.Minute)
		resp, _ := c.ChallengeResponses(init.ChallengeParameters, e.Clock.Now())
		_, err = e.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
			ClientId: aws.String(clientID), ChallengeResponses: resp})
		wantCode(t, err, "NotAuthorizedException")
	})
}
