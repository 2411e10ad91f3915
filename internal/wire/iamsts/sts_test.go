package iamsts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

const (
	poolID     = "us-east-1:11111111-2222-3333-4444-555555555555"
	identityID = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
)

func TestGetCallerIdentityOfTheAdministrator(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out, err := e.stsClient(admin).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	must(t, err)
	want := e.svc.AdminCaller()
	if *out.Account != account || *out.Arn != want.ARN || *out.UserId != want.UserID {
		t.Errorf("GetCallerIdentity = %s %s %s", *out.Account, *out.Arn, *out.UserId)
	}
	_, err = e.stsClient(credentials.NewStaticCredentialsProvider(adminKey, "wrong", "")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "SignatureDoesNotMatch", 403, "")
}

// TestAssumeRoleWithWebIdentity takes on a role with an identity token,
// as the classic flow does, then signs with the credentials it got.
func TestAssumeRoleWithWebIdentity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	role, err := e.iamClient(admin).CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("Auth"),
		AssumeRolePolicyDocument: aws.String(cognitoTrust), MaxSessionDuration: aws.Int32(7200)})
	must(t, err)
	arn := *role.Role.Arn
	token, err := e.verifier.Mint(ctx, poolID, identityID, []string{"authenticated", "accounts.google.com", "accounts.google.com:1"}, nil, 10*time.Minute)
	must(t, err)
	anon := e.stsClient(aws.AnonymousCredentials{})

	before := time.Now().Add(-time.Second)
	out, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(arn),
		RoleSessionName: aws.String("app"), WebIdentityToken: aws.String(token), DurationSeconds: aws.Int32(5400)})
	must(t, err)
	cr := out.Credentials
	if !strings.HasPrefix(*cr.AccessKeyId, "ASIA") || *cr.SecretAccessKey == "" || *cr.SessionToken == "" ||
		cr.Expiration.Before(before.Add(90*time.Minute)) || cr.Expiration.After(time.Now().Add(90*time.Minute)) {
		t.Errorf("credentials = %+v", cr)
	}
	if *out.SubjectFromWebIdentityToken != identityID || *out.Audience != poolID || *out.Provider != "cognito-identity.amazonaws.com" {
		t.Errorf("response = %s %s %s", *out.SubjectFromWebIdentityToken, *out.Audience, *out.Provider)
	}
	if *out.AssumedRoleUser.Arn != "arn:aws:sts::123456789012:assumed-role/Auth/app" ||
		*out.AssumedRoleUser.AssumedRoleId != *role.Role.RoleId+":app" {
		t.Errorf("AssumedRoleUser = %+v", out.AssumedRoleUser)
	}

	// The credentials sign requests as the session.
	session := credentials.NewStaticCredentialsProvider(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken)
	who, err := e.stsClient(session).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err)
	if *who.Arn != *out.AssumedRoleUser.Arn || *who.UserId != *out.AssumedRoleUser.AssumedRoleId || *who.Account != account {
		t.Errorf("GetCallerIdentity as the session = %s %s %s", *who.Arn, *who.UserId, *who.Account)
	}
	_, err = e.iamClient(session).GetUser(ctx, &awsiam.GetUserInput{})
	wantAPIError(t, err, "ValidationError", 400, "Must specify userName when calling with non-User credentials")

	unauth, err := e.verifier.Mint(ctx, poolID, identityID, []string{"unauthenticated"}, nil, 10*time.Minute)
	must(t, err)
	otherPool, err := e.verifier.Mint(ctx, "us-east-1:other", identityID, []string{"authenticated"}, nil, 10*time.Minute)
	must(t, err)
	tests := []struct {
		name   string
		in     sts.AssumeRoleWithWebIdentityInput
		code   string
		status int
		msg    string
	}{
		{"unauthenticated identity", sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("ss"), WebIdentityToken: aws.String(unauth)},
			"AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"other pool", sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("ss"), WebIdentityToken: aws.String(otherPool)},
			"AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"missing role", sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/Gone"), RoleSessionName: aws.String("ss"), WebIdentityToken: aws.String(token)},
			"AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"longer than the role allows", sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("ss"), WebIdentityToken: aws.String(token), DurationSeconds: aws.Int32(7201)},
			"ValidationError", 400, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"forged token", sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("ss"), WebIdentityToken: aws.String(token[:len(token)-4] + "AAAA")},
			"InvalidIdentityToken", 400, "Couldn't verify signed token."},
		{"ID token with a ProviderId", sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("ss"), WebIdentityToken: aws.String(token),
			ProviderId: aws.String("graph.facebook.com")}, "InvalidIdentityToken", 400,
			"The web identity token is a JSON web token: ProviderId is only for OAuth 2.0 access tokens; pass an OpenID Connect ID token without it."},
		{"ProviderId of no OAuth 2.0 provider", sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("ss"), WebIdentityToken: aws.String("ya29.a0token"),
			ProviderId: aws.String("accounts.google.com")}, "ValidationError", 400,
			"ProviderId accounts.google.com is not an OAuth 2.0 provider STS accepts (graph.facebook.com, www.amazon.com); an OpenID Connect ID token is passed without a ProviderId."},
		{"session policy", sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("ss"), WebIdentityToken: aws.String(token),
			PolicyArns: []ststypes.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}}},
			"InvalidInput", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := anon.AssumeRoleWithWebIdentity(ctx, &tt.in)
			wantAPIError(t, err, tt.code, tt.status, tt.msg)
		})
	}
}
