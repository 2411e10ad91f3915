package integration

import (
	"net/url"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const certARN = "arn:aws:acm:us-east-1:000000000000:certificate/a1b2c3d4-5678-90ab-cdef-000000000001"

func TestUserPoolDomains(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		poolID, _ := e.poolWithClient(t, nil)
		otherID, _ := e.poolWithClient(t, nil)
		pool, other := aws.String(poolID), aws.String(otherID)
		u, _ := url.Parse(e.Config.PublicURL)
		target := u.Hostname()

		created, err := e.Admin.CreateUserPoolDomain(ctx(t), &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("my-app")})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt32(created.ManagedLoginVersion) != 1 || created.CloudFrontDomain != nil {
			t.Errorf("CreateUserPoolDomain (prefix) = version %v, CloudFrontDomain %v; want 1 and none", created.ManagedLoginVersion, created.CloudFrontDomain)
		}
		custom, err := e.Admin.CreateUserPoolDomain(ctx(t), &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("auth.example.com"),
			CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(certARN)}, ManagedLoginVersion: aws.Int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt32(custom.ManagedLoginVersion) != 2 || aws.ToString(custom.CloudFrontDomain) != target {
			t.Errorf("CreateUserPoolDomain (custom) = version %v, CloudFrontDomain %q; want 2 and %q", custom.ManagedLoginVersion, aws.ToString(custom.CloudFrontDomain), target)
		}

		d := e.describeDomain(t, "my-app")
		if aws.ToString(d.UserPoolId) != poolID || aws.ToString(d.Domain) != "my-app" || d.Status != types.DomainStatusTypeActive ||
			aws.ToString(d.CloudFrontDistribution) != target || aws.ToString(d.AWSAccountId) != e.Config.AccountID ||
			len(aws.ToString(d.Version)) != 14 || aws.ToInt32(d.ManagedLoginVersion) != 1 || d.CustomDomainConfig != nil {
			t.Errorf("DescribeUserPoolDomain (prefix) = %+v", d)
		}
		d = e.describeDomain(t, "auth.example.com")
		if d.CustomDomainConfig == nil || aws.ToString(d.CustomDomainConfig.CertificateArn) != certARN || aws.ToInt32(d.ManagedLoginVersion) != 2 {
			t.Errorf("DescribeUserPoolDomain (custom) = %+v", d)
		}
		if d := e.describeDomain(t, "nobody-has-this"); d.UserPoolId != nil || d.Domain != nil || d.Status != "" {
			t.Errorf("DescribeUserPoolDomain of an unknown domain = %+v, want it empty", d)
		}
		p, err := e.Admin.DescribeUserPool(ctx(t), &cip.DescribeUserPoolInput{UserPoolId: pool})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(p.UserPool.Domain) != "my-app" || aws.ToString(p.UserPool.CustomDomain) != "auth.example.com" {
			t.Errorf("DescribeUserPool Domain %q, CustomDomain %q", aws.ToString(p.UserPool.Domain), aws.ToString(p.UserPool.CustomDomain))
		}

		invalid := "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. " +
			`Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`
		refusals := []struct {
			name          string
			in            *cip.CreateUserPoolDomainInput
			code, message string
		}{
			{"second prefix", &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("second")},
				"InvalidParameterException", "User pool already has a domain configured."},
			{"second custom", &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("login.example.com"),
				CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(certARN)}},
				"InvalidParameterException", "User pool already has a domain configured."},
			{"taken prefix", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("my-app")},
				"InvalidParameterException", "Domain already associated with another user pool."},
			{"taken custom", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("auth.example.com"),
				CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(certARN)}},
				"InvalidParameterException", "Domain already associated with another user pool."},
			{"upper case", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("MyApp")}, "InvalidParameterException", invalid},
			{"dot without CustomDomainConfig", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("auth.other.com")}, "InvalidParameterException", invalid},
			{"hyphen first", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("-app")}, "InvalidParameterException", invalid},
			{"reserved aws", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("myaws-app")},
				"InvalidParameterException", "The domain prefix cannot contain the reserved word aws."},
			{"reserved cognito", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("cognito")},
				"InvalidParameterException", "The domain prefix cannot contain the reserved word cognito."},
			{"custom under the suffix", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("x.auth.localhost"),
				CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(certARN)}},
				"InvalidParameterException", "The custom domain x.auth.localhost is under auth.localhost, where prefix domains are served."},
			{"custom of one label", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("intranet"),
				CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(certARN)}},
				"InvalidParameterException", "The custom domain intranet is not a valid domain name: it needs two or more labels of lower-case letters, numbers and hyphens."},
			{"version 3", &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("v3"), ManagedLoginVersion: aws.Int32(3)},
				"InvalidParameterException", "ManagedLoginVersion must be 1 (hosted UI, classic) or 2 (managed login)."},
			{"unknown pool", &cip.CreateUserPoolDomainInput{UserPoolId: aws.String("us-east-1_NoSuchOne"), Domain: aws.String("fresh")},
				"ResourceNotFoundException", "User pool us-east-1_NoSuchOne does not exist."},
		}
		for _, r := range refusals {
			_, err := e.Admin.CreateUserPoolDomain(ctx(t), r.in)
			t.Run(r.name, func(t *testing.T) { wantError(t, err, r.code, r.message) })
		}
		// The model's own check: 63 characters at most. (That a custom domain
		// needs CertificateArn the SDK checks before sending.)
		_, err = e.Admin.CreateUserPoolDomain(ctx(t), &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("a234567890123456789012345678901234567890123456789012345678901234")})
		wantCode(t, err, "InvalidParameterException")

		// Updates: the version, a custom domain's certificate; only the pool's own domain.
		up, err := e.Admin.UpdateUserPoolDomain(ctx(t), &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("my-app"), ManagedLoginVersion: aws.Int32(2)})
		if err != nil || aws.ToInt32(up.ManagedLoginVersion) != 2 {
			t.Fatalf("UpdateUserPoolDomain = %+v, %v", up, err)
		}
		newCert := certARN[:len(certARN)-1] + "2"
		if _, err := e.Admin.UpdateUserPoolDomain(ctx(t), &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("auth.example.com"),
			CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(newCert)}}); err != nil {
			t.Fatal(err)
		}
		if d := e.describeDomain(t, "auth.example.com"); aws.ToString(d.CustomDomainConfig.CertificateArn) != newCert || aws.ToInt32(d.ManagedLoginVersion) != 2 {
			t.Errorf("after UpdateUserPoolDomain: %+v", d)
		}
		if d := e.describeDomain(t, "my-app"); aws.ToInt32(d.ManagedLoginVersion) != 2 {
			t.Errorf("after UpdateUserPoolDomain: version %v", d.ManagedLoginVersion)
		}
		_, err = e.Admin.UpdateUserPoolDomain(ctx(t), &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("my-app"),
			CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(certARN)}})
		wantError(t, err, "InvalidParameterException", "my-app is a prefix domain, which takes no CustomDomainConfig.")
		_, err = e.Admin.UpdateUserPoolDomain(ctx(t), &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("my-app"), ManagedLoginVersion: aws.Int32(0)})
		wantCode(t, err, "InvalidParameterException")
		for _, in := range []*cip.UpdateUserPoolDomainInput{
			{UserPoolId: other, Domain: aws.String("my-app"), ManagedLoginVersion: aws.Int32(1)},
			{UserPoolId: pool, Domain: aws.String("nobody-has-this"), ManagedLoginVersion: aws.Int32(1)},
		} {
			_, err := e.Admin.UpdateUserPoolDomain(ctx(t), in)
			wantError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
		}

		// A pool with a domain cannot be deleted; another pool cannot delete its domain.
		_, err = e.Admin.DeleteUserPool(ctx(t), &cip.DeleteUserPoolInput{UserPoolId: pool})
		wantError(t, err, "InvalidParameterException", "User pool cannot be deleted. It has a domain configured that should be deleted first.")
		_, err = e.Admin.DeleteUserPoolDomain(ctx(t), &cip.DeleteUserPoolDomainInput{UserPoolId: other, Domain: aws.String("my-app")})
		wantError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
		_, err = e.Admin.DeleteUserPoolDomain(ctx(t), &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String("us-east-1_NoSuchOne"), Domain: aws.String("my-app")})
		wantCode(t, err, "ResourceNotFoundException")
		for _, name := range []string{"my-app", "auth.example.com"} {
			if _, err := e.Admin.DeleteUserPoolDomain(ctx(t), &cip.DeleteUserPoolDomainInput{UserPoolId: pool, Domain: aws.String(name)}); err != nil {
				t.Fatal(err)
			}
			if d := e.describeDomain(t, name); d.Domain != nil {
				t.Errorf("%s described after its deletion: %+v", name, d)
			}
		}
		_, err = e.Admin.DeleteUserPoolDomain(ctx(t), &cip.DeleteUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("my-app")})
		wantError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
		// The freed name is anyone's.
		if _, err := e.Admin.CreateUserPoolDomain(ctx(t), &cip.CreateUserPoolDomainInput{UserPoolId: other, Domain: aws.String("my-app")}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Admin.DeleteUserPool(ctx(t), &cip.DeleteUserPoolInput{UserPoolId: pool}); err != nil {
			t.Fatalf("DeleteUserPool once its domains are gone: %v", err)
		}
		// Domains are administrators' operations.
		_, err = e.Anon.DescribeUserPoolDomain(ctx(t), &cip.DescribeUserPoolDomainInput{Domain: aws.String("my-app")})
		if err == nil {
			t.Error("an unsigned DescribeUserPoolDomain was answered")
		}
	})
}

// TestUserPoolDomainRace: pools racing for one prefix end with one owner,
// and every other learns the name is taken.
func TestUserPoolDomainRace(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		const racers = 8
		pools := make([]string, racers)
		for i := range pools {
			pools[i], _ = e.poolWithClient(t, nil)
		}
		errs := make([]error, racers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range racers {
			wg.Go(func() {
				<-start
				_, errs[i] = e.Admin.CreateUserPoolDomain(ctx(t), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pools[i]), Domain: aws.String("contested")})
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("pools %d and %d both own the prefix", winner, i)
				}
				winner = i
				continue
			}
			wantError(t, err, "InvalidParameterException", "Domain already associated with another user pool.")
		}
		if winner < 0 {
			t.Fatal("no pool got the prefix")
		}
		if d := e.describeDomain(t, "contested"); aws.ToString(d.UserPoolId) != pools[winner] {
			t.Errorf("the prefix is %s's, want the winner %s's", aws.ToString(d.UserPoolId), pools[winner])
		}
	})
}

func (e *env) describeDomain(t *testing.T, name string) *types.DomainDescriptionType {
	t.Helper()
	out, err := e.Admin.DescribeUserPoolDomain(ctx(t), &cip.DescribeUserPoolDomainInput{Domain: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if out.DomainDescription == nil {
		t.Fatalf("DescribeUserPoolDomain %s: no DomainDescription", name)
	}
	return out.DomainDescription
}

// TestAWSCLIDomains: the aws CLI creates a custom domain (its Domain with
// dots passes the wire) and describes it, on the embedded store.
func TestAWSCLIDomains(t *testing.T) {
	tool(t, "aws", "the aws CLI interop test drives it")
	p := startBinary(t, t.TempDir(), "")
	cli := newAWSCLI(t, p.URL)
	var pool struct{ UserPool struct{ Id string } }
	cli.ok(t, &pool, "create-user-pool", "--pool-name", "domains")
	var created struct{ CloudFrontDomain string }
	cli.ok(t, &created, "create-user-pool-domain", "--user-pool-id", pool.UserPool.Id, "--domain", "auth.example.com",
		"--custom-domain-config", "CertificateArn="+certARN, "--managed-login-version", "2")
	var described struct {
		DomainDescription struct {
			UserPoolId, Domain, Status, CloudFrontDistribution string
			ManagedLoginVersion                                int
			CustomDomainConfig                                 struct{ CertificateArn string }
		}
	}
	cli.ok(t, &described, "describe-user-pool-domain", "--domain", "auth.example.com")
	d := described.DomainDescription
	if d.UserPoolId != pool.UserPool.Id || d.Status != "ACTIVE" || d.ManagedLoginVersion != 2 || d.CustomDomainConfig.CertificateArn != certARN ||
		d.CloudFrontDistribution == "" || d.CloudFrontDistribution != created.CloudFrontDomain {
		t.Errorf("describe-user-pool-domain = %+v after create %+v", d, created)
	}
	cli.fails(t, nil, "InvalidParameterException", []string{"reserved word amazon"},
		"create-user-pool-domain", "--user-pool-id", pool.UserPool.Id, "--domain", "amazon-login")
}
