package integration

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cognate-auth/cognate/internal/config"
)

// TestSTSAccessTokens: AssumeRoleWithWebIdentity with a ProviderId takes
// Facebook and Login with Amazon access tokens straight to STS, no identity
// pool between. Cognate asks the providers' stand-ins about each token, and
// the role's trust policy, on the token's app id, decides.
func TestSTSAccessTokens(t *testing.T) {
	t.Parallel()
	providers := startSocialProviders(t)
	e := startIn(t, "", t.TempDir(), "", func(c *config.Config) {
		c.FacebookGraphURL, c.AmazonAPIURL = providers.URL, providers.URL
	})
	c := newIdentityClients(e.URL)
	trust := func(provider, key, value string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},
			"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + key + `":"` + value + `"}}}]}`
	}
	roles := map[string]string{
		"facebook-app": c.createRole(t, "facebook-app", trust("graph.facebook.com", "graph.facebook.com:app_id", socialFacebookApp)),
		"amazon-app":   c.createRole(t, "amazon-app", trust("www.amazon.com", "www.amazon.com:app_id", socialAmazonApp)),
		// Login with Amazon names the app by its client id too.
		"amazon-client": c.createRole(t, "amazon-client", trust("www.amazon.com", "www.amazon.com:app_id", socialAmazonOA2)),
		"amazon-ada":    c.createRole(t, "amazon-ada", trust("www.amazon.com", "www.amazon.com:user_id", socialAmazonAda)),
	}
	anon := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL), Credentials: aws.AnonymousCredentials{}})
	assume := func(t *testing.T, role, provider, token string) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		t.Helper()
		return anon.AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roles[role]),
			RoleSessionName: aws.String("web-app"), WebIdentityToken: aws.String(token), ProviderId: aws.String(provider)})
	}

	for _, tt := range []struct {
		role, provider, token, subject, audience string
	}{
		{"facebook-app", "graph.facebook.com", "EAAfb-ada", socialFacebookAda, socialFacebookApp},
		{"amazon-app", "www.amazon.com", "Atza|ada", socialAmazonAda, socialAmazonOA2},
		{"amazon-client", "www.amazon.com", socialOddToken, socialAmazonAda, socialAmazonOA2},
		{"amazon-ada", "www.amazon.com", "Atza|ada", socialAmazonAda, socialAmazonOA2},
	} {
		t.Run(tt.role, func(t *testing.T) {
			out, err := assume(t, tt.role, tt.provider, tt.token)
			if err != nil {
				t.Fatal(err)
			}
			if *out.Provider != tt.provider || *out.SubjectFromWebIdentityToken != tt.subject || *out.Audience != tt.audience {
				t.Fatalf("Provider %s, SubjectFromWebIdentityToken %s, Audience %s; want %s, %s, %s",
					*out.Provider, *out.SubjectFromWebIdentityToken, *out.Audience, tt.provider, tt.subject, tt.audience)
			}
			want := "arn:aws:sts::000000000000:assumed-role/" + tt.role + "/web-app"
			if *out.AssumedRoleUser.Arn != want {
				t.Fatalf("AssumedRoleUser %s, want %s", *out.AssumedRoleUser.Arn, want)
			}
			cr := out.Credentials
			as := sts.New(sts.Options{Region: region, BaseEndpoint: aws.String(e.URL),
				Credentials: credentials.NewStaticCredentialsProvider(*cr.AccessKeyId, *cr.SecretAccessKey, *cr.SessionToken)})
			who, err := as.GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
			if err != nil || *who.Arn != want {
				t.Fatalf("GetCallerIdentity = %v, %v; want %s", who, err, want)
			}
		})
	}
	if !providers.got(socialOddToken) {
		t.Fatalf("the provider never got the token %q intact", socialOddToken)
	}

	for _, tt := range []struct {
		name, role, provider, token, code string
		status                            int
	}{
		{"facebook token of another app", "facebook-app", "graph.facebook.com", "EAAfb-other-app", "AccessDenied", 403},
		{"amazon token of another app", "amazon-app", "www.amazon.com", "Atza|other-app", "AccessDenied", 403},
		{"amazon token of another user", "amazon-ada", "www.amazon.com", "Atza|other-app", "AccessDenied", 403},
		{"facebook token for a role trusting amazon", "amazon-app", "graph.facebook.com", "EAAfb-ada", "AccessDenied", 403},
		{"facebook token the provider refuses", "facebook-app", "graph.facebook.com", "EAAfb-forged", "IDPRejectedClaim", 403},
		{"amazon token the provider refuses", "amazon-app", "www.amazon.com", "Atza|forged", "IDPRejectedClaim", 403},
		{"amazon token injecting another", "amazon-app", "www.amazon.com", "x&access_token=Atza|ada", "IDPRejectedClaim", 403},
		{"ID token with a ProviderId", "facebook-app", "graph.facebook.com",
			"eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSIsInN1YiI6ImFkYSJ9.c2lnbmF0dXJl", "InvalidIdentityToken", 400},
		{"ProviderId of no OAuth 2.0 provider", "facebook-app", "accounts.google.com", "ya29.a0token", "ValidationError", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assume(t, tt.role, tt.provider, tt.token)
			wantCode(t, err, tt.code)
			wantStatus(t, err, tt.status)
		})
	}

	t.Run("provider down", func(t *testing.T) {
		providers.setFailing(true)
		defer providers.setFailing(false)
		for provider, role := range map[string]string{"graph.facebook.com": "facebook-app", "www.amazon.com": "amazon-app"} {
			token := map[string]string{"graph.facebook.com": "EAAfb-ada", "www.amazon.com": "Atza|ada"}[provider]
			_, err := assume(t, role, provider, token)
			wantCode(t, err, "IDPCommunicationError")
			wantStatus(t, err, 400)
		}
	})
}
