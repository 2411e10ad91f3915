package integration

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// amplifyMigrationResult is what test/js/amplify-migration.mjs prints.
type amplifyMigrationResult struct {
	Refused string       `json:"refused"`
	First   []string     `json:"first"`
	Second  []string     `json:"second"`
	Email   string       `json:"email"`
	Trace   []traceEntry `json:"trace"`
}

// TestAmplifyJSUserMigration signs a legacy user in through Amplify JS v6
// with USER_PASSWORD_AUTH against `cognate serve` whose functions file sends
// the user migration trigger to a webhook reading a legacy directory.
func TestAmplifyJSUserMigration(t *testing.T) {
	node, jsDir := jsClients(t)
	h := newHook(t)
	h.on(migrateFrom(map[string]bool{"lena": true}, map[string]any{"finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"}))
	p := startServe(t, []string{"COGNATE_ADMIN_ACCESS_KEY_ID=" + adminKeyID, "COGNATE_ADMIN_SECRET_ACCESS_KEY=" + adminSecret},
		"--functions", h.file(t))
	p.Admin = cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL),
		Credentials: credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")})
	pool, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("amplify-migration"),
		LambdaConfig: &types.LambdaConfigType{UserMigration: aws.String(userMigrationARN)}})
	if err != nil {
		t.Fatal(err)
	}
	poolID := pool.UserPool.Id
	c, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	var res amplifyMigrationResult
	runScript(t, node, filepath.Join(jsDir, "amplify-migration.mjs"), p, "lena", &res,
		"COGNATE_POOL_ID="+*poolID, "COGNATE_CLIENT_ID="+*c.UserPoolClient.ClientId, "COGNATE_LEGACY_PASSWORD="+legacyPassword)
	if res.Refused != "UserMigration failed with error Bad password." {
		t.Errorf("a wrong password refused with %q", res.Refused)
	}
	if res.Email != "lena@legacy.example.com" {
		t.Errorf("ID token email %q, want the legacy directory's", res.Email)
	}
	for _, f := range []struct {
		what string
		got  []string
	}{{"the migrating sign-in", res.First}, {"the second sign-in", res.Second}} {
		if !slices.Equal(f.got, []string{"USER_PASSWORD_AUTH"}) {
			t.Errorf("%s called %v, want one USER_PASSWORD_AUTH InitiateAuth", f.what, f.got)
		}
	}
	var sources []any
	for _, e := range h.received(*poolID) {
		sources = append(sources, e["triggerSource"])
	}
	if want := []any{"UserMigration_Authentication", "UserMigration_Authentication"}; !slices.Equal(sources, want) {
		t.Errorf("events %v, want the refused and the migrating sign-in's", sources)
	}
	u, err := p.Admin.AdminGetUser(ctx(t), &cip.AdminGetUserInput{UserPoolId: poolID, Username: aws.String("lena")})
	if err != nil || u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("migrated user %+v (%v)", u, err)
	}
}
