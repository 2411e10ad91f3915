package idpapi_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognate-auth/cognate/internal/apierr"
	"github.com/cognate-auth/cognate/internal/wire/awsjson"
	"github.com/cognate-auth/cognate/internal/wire/idpapi"
)

// echo is a toy Service: it answers from its input, which shows that the
// SDK's requests decode into the generated types and that the SDK decodes
// the generated responses.
type echo struct {
	idpapi.UnimplementedService
	created time.Time
}

func (echo) InitiateAuth(_ context.Context, in *idpapi.InitiateAuthRequest) (*idpapi.InitiateAuthResponse, error) {
	if in.AuthParameters["PASSWORD"] != "Passw0rd!" {
		return nil, apierr.New(apierr.NotAuthorized, "Incorrect username or password.")
	}
	expires := int32(3600)
	return &idpapi.InitiateAuthResponse{
		ChallengeParameters: map[string]string{},
		AuthenticationResult: &idpapi.AuthenticationResultType{
			AccessToken: "access-for-" + in.AuthParameters["USERNAME"], ExpiresIn: &expires, TokenType: "Bearer",
		},
	}, nil
}

func (e echo) DescribeUserPool(_ context.Context, in *idpapi.DescribeUserPoolRequest) (*idpapi.DescribeUserPoolResponse, error) {
	ts := awsjson.TimestampOf(e.created)
	minLen := int32(8)
	return &idpapi.DescribeUserPoolResponse{UserPool: &idpapi.UserPoolType{
		Id: in.UserPoolId, Name: "example", CreationDate: &ts, LastModifiedDate: &ts,
		MfaConfiguration:       idpapi.UserPoolMfaTypeOptional,
		Policies:               &idpapi.UserPoolPolicyType{PasswordPolicy: &idpapi.PasswordPolicyType{MinimumLength: &minLen}},
		AutoVerifiedAttributes: []string{idpapi.VerifiedAttributeTypeEmail},
		UserPoolTags:           map[string]string{"team": "auth"},
	}}, nil
}

func (echo) ListUsers(context.Context, *idpapi.ListUsersRequest) (*idpapi.ListUsersResponse, error) {
	return &idpapi.ListUsersResponse{Users: []idpapi.UserType{}}, nil
}

func (echo) DeleteUser(context.Context, *idpapi.DeleteUserRequest) (*idpapi.DeleteUserResponse, error) {
	return nil, nil
}

func (echo) GlobalSignOut(context.Context, *idpapi.GlobalSignOutRequest) (*idpapi.GlobalSignOutResponse, error) {
	panic("boom")
}

// newClient serves svc on 127.0.0.1 and returns an SDK client for it.
func newClient(t *testing.T, svc idpapi.Service) *cip.Client {
	t.Helper()
	h, err := awsjson.NewHandler(awsjson.Config{
		TargetPrefix: idpapi.TargetPrefix,
		Operations:   idpapi.Operations(svc),
		// Not a SigV4 check (that is internal/sigv4's job): it only shows
		// the hook runs for signed operations and sees what the SDK signs.
		Authenticate: func(r *http.Request, body []byte) (context.Context, error) {
			if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") ||
				!strings.Contains(r.Header.Get("Authorization"), "/us-east-1/cognito-idp/aws4_request") {
				return nil, apierr.New(apierr.MissingAuthenticationToken, "Missing Authentication Token")
			}
			return r.Context(), nil
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return cip.New(cip.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Source: "test"}, nil
		}),
		RetryMaxAttempts: 1,
	})
}

func TestSDK(t *testing.T) {
	created := time.Date(2026, 11, 22, 3, 4, 5, 678_000_000, time.UTC)
	client := newClient(t, echo{created: created})
	ctx := context.Background()

	t.Run("unsigned operation", func(t *testing.T) {
		out, err := client.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("1example23456789"),
			AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
		})
		if err != nil {
			t.Fatal(err)
		}
		r := out.AuthenticationResult
		if r == nil || aws.ToString(r.AccessToken) != "access-for-alice" || r.ExpiresIn != 3600 || aws.ToString(r.TokenType) != "Bearer" {
			t.Fatalf("got %+v", r)
		}
	})

	t.Run("signed operation with timestamps", func(t *testing.T) {
		out, err := client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_EXAMPLE")})
		if err != nil {
			t.Fatal(err)
		}
		p := out.UserPool
		if aws.ToString(p.Id) != "us-east-1_EXAMPLE" || p.MfaConfiguration != types.UserPoolMfaTypeOptional ||
			aws.ToInt32(p.Policies.PasswordPolicy.MinimumLength) != 8 || p.UserPoolTags["team"] != "auth" ||
			len(p.AutoVerifiedAttributes) != 1 || p.AutoVerifiedAttributes[0] != types.VerifiedAttributeTypeEmail {
			t.Fatalf("got %+v", p)
		}
		if !p.CreationDate.Equal(created) || !p.LastModifiedDate.Equal(created) {
			t.Fatalf("CreationDate %v, want %v", p.CreationDate, created)
		}
	})

	t.Run("empty list", func(t *testing.T) {
		out, err := client.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String("us-east-1_EXAMPLE")})
		if err != nil || out.Users == nil || len(out.Users) != 0 {
			t.Fatalf("got %+v, %v", out, err)
		}
	})

	t.Run("operation without output", func(t *testing.T) {
		if _, err := client.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: aws.String("eyJ.a.b")}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("service error", func(t *testing.T) {
		_, err := client.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow: types.AuthFlowTypeUserPasswordAuth, ClientId: aws.String("1example23456789"),
			AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "wrong"},
		})
		var e *types.NotAuthorizedException
		if !errors.As(err, &e) || e.ErrorMessage() != "Incorrect username or password." {
			t.Fatalf("got %T %v", err, err)
		}
		var re interface{ HTTPStatusCode() int }
		if !errors.As(err, &re) || re.HTTPStatusCode() != 400 { // as Cognito sends it, not the model's 403
			t.Fatalf("status: %v", err)
		}
	})

	t.Run("validation error", func(t *testing.T) {
		_, err := client.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String("1example23456789"), Username: aws.String("")})
		var e *types.InvalidParameterException
		want := `2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+; ` +
			`Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1`
		if !errors.As(err, &e) || e.ErrorMessage() != want {
			t.Fatalf("got %T %v", err, err)
		}
	})

	t.Run("unsupported operation", func(t *testing.T) {
		_, err := client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_EXAMPLE"), Username: aws.String("alice")})
		var e *types.UnsupportedOperationException
		if !errors.As(err, &e) || e.ErrorMessage() != "AdminGetUser is not supported by Cognate yet." {
			t.Fatalf("got %T %v", err, err)
		}
	})

	t.Run("internal error", func(t *testing.T) {
		_, err := client.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: aws.String("eyJ.a.b")})
		var e *types.InternalErrorException
		if !errors.As(err, &e) || e.ErrorMessage() != "Internal server error." {
			t.Fatalf("got %T %v", err, err)
		}
	})

	t.Run("rejected signature", func(t *testing.T) {
		_, err := client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_EXAMPLE")},
			func(o *cip.Options) {
				o.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
					return aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "x"}, nil
				})
			})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != apierr.MissingAuthenticationToken {
			t.Fatalf("got %T %v", err, err)
		}
	})
}
