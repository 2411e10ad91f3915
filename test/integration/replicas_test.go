package integration

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/auth/cognitosrp"
	"github.com/cognate-auth/cognate/internal/testutil/pgtest"
)

// TestReplicasShareNothingButTheDatabase runs two servers on one
// PostgreSQL database and spreads every flow across them.
func TestReplicasShareNothingButTheDatabase(t *testing.T) {
	db, keyDir := pgtest.URL(t), t.TempDir()
	a, b := startIn(t, db, keyDir, "https://auth.example.test"), startIn(t, db, keyDir, "https://auth.example.test")
	poolID, clientID := a.poolWithClient(t, nil)
	b.signUpConfirmed(t, poolID, clientID, "jane", password)

	// SRP's first step on one replica, the second on the other.
	c, _ := cognitosrp.NewClient(poolID, "jane", password)
	init, err := a.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeUserSrpAuth,
		ClientId: aws.String(clientID), AuthParameters: c.AuthParameters()})
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := c.ChallengeResponses(init.ChallengeParameters, time.Now())
	first, err := b.Anon.RespondToAuthChallenge(ctx(t), &cip.RespondToAuthChallengeInput{ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ClientId: aws.String(clientID), ChallengeResponses: resp})
	if err != nil {
		t.Fatalf("second SRP step on the other replica: %v", err)
	}
	second, err := b.srpSignIn(t, poolID, clientID, "jane", password)
	if err != nil {
		t.Fatal(err)
	}
	// Tokens minted by one replica are accepted by the other.
	if _, err := a.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: first.AuthenticationResult.AccessToken}); err != nil {
		t.Fatal(err)
	}

	// Revoking one sign-in's refresh token on one replica refuses its
	// access tokens on the other at once, and leaves the other sign-in be.
	if _, err := b.Anon.RevokeToken(ctx(t), &cip.RevokeTokenInput{ClientId: aws.String(clientID), Token: first.AuthenticationResult.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	_, err = a.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: first.AuthenticationResult.AccessToken})
	wantCode(t, err, "NotAuthorizedException")
	_, err = a.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": *first.AuthenticationResult.RefreshToken}})
	wantCode(t, err, "NotAuthorizedException")
	if _, err := a.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: second.AccessToken}); err != nil {
		t.Fatalf("the other sign-in was revoked too: %v", err)
	}

	// Global sign-out on one replica refuses the rest on the other.
	if _, err := a.Anon.GlobalSignOut(ctx(t), &cip.GlobalSignOutInput{AccessToken: second.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = b.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: second.AccessToken})
	wantCode(t, err, "NotAuthorizedException")

	// Disabling a user on one replica refuses its sign-ins on the other.
	third, err := b.srpSignIn(t, poolID, clientID, "jane", password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Admin.AdminDisableUser(ctx(t), &cip.AdminDisableUserInput{UserPoolId: aws.String(poolID), Username: aws.String("jane")}); err != nil {
		t.Fatal(err)
	}
	_, err = b.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: third.AccessToken})
	wantCode(t, err, "NotAuthorizedException")
	_, err = b.srpSignIn(t, poolID, clientID, "jane", password)
	wantCode(t, err, "NotAuthorizedException")
}
