package integration

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/config"
	"github.com/cognate-auth/cognate/internal/server"
	"github.com/cognate-auth/cognate/internal/testutil/lambdatest"
)

// preSignUpHandler is a pre sign-up function as a team writes one with
// aws-lambda-go: invitation only, and invited users are confirmed at once.
// The test binary runs it under the Runtime Interface Emulator (TestMain).
func preSignUpHandler(_ context.Context, e events.CognitoEventUserPoolsPreSignup) (events.CognitoEventUserPoolsPreSignup, error) {
	if e.TriggerSource != "PreSignUp_SignUp" || e.CallerContext.ClientID == "" {
		return e, errors.New("unexpected event " + e.TriggerSource)
	}
	if e.Request.ValidationData["invite"] != "XYZ" || e.Request.ClientMetadata["source"] != "web" {
		return e, errors.New("Invitation only")
	}
	if !strings.HasSuffix(e.Request.UserAttributes["email"], "@example.com") {
		return e, errors.New("Invitation only")
	}
	e.Response.AutoConfirmUser = true
	e.Response.AutoVerifyEmail = true
	return e, nil
}

// The pre sign-up trigger runs on a real Lambda runtime: the Runtime
// Interface Emulator with an aws-lambda-go handler, reached through the
// Lambda Invoke API.
func TestPreSignUpOnLambdaRuntime(t *testing.T) {
	storeEngines(t, func(t *testing.T, db string) {
		endpoint := lambdatest.Start(t, "")
		file := functionsFile(t, t.TempDir(), map[string]any{
			preSignUpARN: map[string]any{"lambda": map[string]string{"endpoint": endpoint, "functionName": "function"}}})
		e := startServer(t, db, t.TempDir(), "", server.Options{}, func(c *config.Config) {
			c.FunctionsFile = file
			// Every other ARN goes to the Lambda endpoint, so any is accepted.
			c.LambdaEndpoint = endpoint
		})
		poolID, clientID := e.triggerPool(t, &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN),
			PostAuthentication: aws.String(unmappedARN)})
		invite := []types.AttributeType{{Name: aws.String("invite"), Value: aws.String("XYZ")}}
		web := map[string]string{"source": "web"}

		out, err := e.signUp(t, clientID, "grace", invite, web)
		if err != nil {
			t.Fatal(err)
		}
		if !out.UserConfirmed {
			t.Error("the function's autoConfirmUser was not applied")
		}
		u, err := e.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String("grace")})
		if err != nil {
			t.Fatal(err)
		}
		if u.UserStatus != types.UserStatusTypeConfirmed || attr(u.UserAttributes, "email_verified") != "true" {
			t.Errorf("status %s, email_verified %q", u.UserStatus, attr(u.UserAttributes, "email_verified"))
		}

		_, err = e.signUp(t, clientID, "heidi", nil, web)
		wantError(t, err, "UserLambdaValidationException", "PreSignUp failed with error Invitation only.")
		e.wantNoUser(t, poolID, "heidi")
	})
}
