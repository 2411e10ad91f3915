package integration

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/testutil/pgtest"
)

// rotatingClient adds to poolID a client that rotates refresh tokens with
// the given grace period.
func (e *env) rotatingClient(t *testing.T, poolID string, grace int32) string {
	t.Helper()
	c, err := e.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("rotating"),
		ExplicitAuthFlows:     []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		EnableTokenRevocation: aws.Bool(true),
		RefreshTokenRotation:  &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(grace)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return *c.UserPoolClient.ClientId
}

func (e *env) refreshWith(t *testing.T, clientID, token string) (*types.AuthenticationResultType, error) {
	t.Helper()
	out, err := e.Anon.GetTokensFromRefreshToken(ctx(t), &cip.GetTokensFromRefreshTokenInput{ClientId: aws.String(clientID), RefreshToken: aws.String(token)})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

func TestRefreshTokenRotation(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, _ := e.poolWithClient(t, nil)
		clientID := e.rotatingClient(t, poolID, 10)
		d, err := e.Admin.DescribeUserPoolClient(ctx(t), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID)})
		if err != nil {
			t.Fatal(err)
		}
		if r := d.UserPoolClient.RefreshTokenRotation; r == nil || r.Feature != types.FeatureTypeEnabled || aws.ToInt32(r.RetryGracePeriodSeconds) != 10 {
			t.Fatalf("DescribeUserPoolClient RefreshTokenRotation = %+v", r)
		}
		e.signUpConfirmed(t, poolID, clientID, "kim", password)
		r0 := *e.passwordSignIn(t, clientID, "kim").AuthenticationResult.RefreshToken

		first, err := e.refreshWith(t, clientID, r0)
		if err != nil {
			t.Fatal(err)
		}
		r1 := aws.ToString(first.RefreshToken)
		if r1 == "" || r1 == r0 {
			t.Fatalf("rotation gave refresh token %q (old %q)", r1, r0)
		}
		if _, err := e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: first.AccessToken}); err != nil {
			t.Fatalf("GetUser with the rotated session's access token: %v", err)
		}
		// A retry with the old token within the grace period gets the same answer.
		retry, err := e.refreshWith(t, clientID, r0)
		if err != nil {
			t.Fatalf("retry within the grace period: %v", err)
		}
		if aws.ToString(retry.RefreshToken) != r1 {
			t.Errorf("retry gave a different refresh token")
		}
		// REFRESH_TOKEN_AUTH is not for rotating clients.
		_, err = e.Anon.InitiateAuth(ctx(t), &cip.InitiateAuthInput{AuthFlow: types.AuthFlowTypeRefreshTokenAuth, ClientId: aws.String(clientID),
			AuthParameters: map[string]string{"REFRESH_TOKEN": r1}})
		wantCode(t, err, "InvalidParameterException")

		e.Clock.Advance(11 * time.Second)
		_, err = e.refreshWith(t, clientID, r0)
		wantCode(t, err, "RefreshTokenReuseException")

		second, err := e.refreshWith(t, clientID, r1)
		if err != nil {
			t.Fatal(err)
		}
		r2 := aws.ToString(second.RefreshToken)
		if r2 == "" || r2 == r1 || r2 == r0 {
			t.Fatal("second rotation did not give a new token")
		}
		// r1 is the previous token now, past its grace period (at r2's
		// rotation); r0 is forgotten altogether.
		e.Clock.Advance(11 * time.Second)
		_, err = e.refreshWith(t, clientID, r1)
		wantCode(t, err, "RefreshTokenReuseException")
		_, err = e.refreshWith(t, clientID, r0)
		wantCode(t, err, "NotAuthorizedException")

		// Revoking the newest token ends the whole sign-in.
		if _, err := e.Anon.RevokeToken(ctx(t), &cip.RevokeTokenInput{ClientId: aws.String(clientID), Token: aws.String(r2)}); err != nil {
			t.Fatal(err)
		}
		_, err = e.refreshWith(t, clientID, r2)
		wantCode(t, err, "NotAuthorizedException")
		_, err = e.Anon.GetUser(ctx(t), &cip.GetUserInput{AccessToken: second.AccessToken})
		wantCode(t, err, "NotAuthorizedException")

		// Without a grace period the old token stops at once.
		strict := e.rotatingClient(t, poolID, 0)
		s0 := *e.passwordSignIn(t, strict, "kim").AuthenticationResult.RefreshToken
		if _, err := e.refreshWith(t, strict, s0); err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(time.Millisecond)
		_, err = e.refreshWith(t, strict, s0)
		wantCode(t, err, "RefreshTokenReuseException")

		// Clients that do not rotate return no refresh token on refresh.
		plainPool, plain := e.poolWithClient(t, &cip.CreateUserPoolClientInput{
			ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
		e.signUpConfirmed(t, plainPool, plain, "kim", password)
		p0 := *e.passwordSignIn(t, plain, "kim").AuthenticationResult.RefreshToken
		for range 2 {
			out, err := e.refreshWith(t, plain, p0)
			if err != nil {
				t.Fatal(err)
			}
			if out.RefreshToken != nil {
				t.Errorf("a client without rotation returned a refresh token on refresh")
			}
		}
	})
}

// A retried refresh may land on another replica: it gets the same new token.
func TestRefreshTokenRotationAcrossReplicas(t *testing.T) {
	db, keyDir := pgtest.URL(t), t.TempDir()
	a, b := startIn(t, db, keyDir, "https://auth.example.test"), startIn(t, db, keyDir, "https://auth.example.test")
	poolID, _ := a.poolWithClient(t, nil)
	clientID := a.rotatingClient(t, poolID, 30)
	a.signUpConfirmed(t, poolID, clientID, "lee", password)
	r0 := *b.passwordSignIn(t, clientID, "lee").AuthenticationResult.RefreshToken
	first, err := a.refreshWith(t, clientID, r0)
	if err != nil {
		t.Fatal(err)
	}
	again, err := b.refreshWith(t, clientID, r0)
	if err != nil {
		t.Fatalf("retry on the other replica: %v", err)
	}
	if aws.ToString(first.RefreshToken) != aws.ToString(again.RefreshToken) {
		t.Error("the replicas rotated to different refresh tokens")
	}
}
