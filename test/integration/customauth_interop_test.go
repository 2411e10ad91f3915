package integration

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// amplifyCustomResult is what test/js/amplify-custom.mjs prints.
type amplifyCustomResult struct {
	AdditionalInfo map[string]string `json:"additionalInfo"`
	WithoutSRP     []string          `json:"withoutSRP"`
	WithSRP        []string          `json:"withSRP"`
	Trace          []traceEntry      `json:"trace"`
}

// TestAmplifyJSCustomAuth signs in through Amplify JS v6's custom
// authentication, without and with SRP, against `cognate serve` whose
// functions file sends the triggers to a CAPTCHA webhook.
func TestAmplifyJSCustomAuth(t *testing.T) {
	node, jsDir := jsClients(t)
	h := newHook(t)
	h.on(captcha)
	p := startServe(t, []string{"COGNATE_ADMIN_ACCESS_KEY_ID=" + adminKeyID, "COGNATE_ADMIN_SECRET_ACCESS_KEY=" + adminSecret},
		"--functions", h.customFile(t))
	p.Admin = cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL),
		Credentials: credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")})
	pool, err := p.Admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("amplify-custom"), LambdaConfig: customTriggers})
	if err != nil {
		t.Fatal(err)
	}
	poolID := pool.UserPool.Id
	c, err := p.Admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowCustomAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: poolID, Username: aws.String("cora"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Admin.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: poolID, Username: aws.String("cora"),
		Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	var res amplifyCustomResult
	runScript(t, node, filepath.Join(jsDir, "amplify-custom.mjs"), p, "cora", &res,
		"COGNATE_POOL_ID="+*poolID, "COGNATE_CLIENT_ID="+*c.UserPoolClient.ClientId, "COGNATE_ANSWER="+captchaAnswer)
	if want := map[string]string{"question": captchaQuestion, "USERNAME": "cora"}; !reflect.DeepEqual(res.AdditionalInfo, want) {
		t.Errorf("additionalInfo = %v, want %v", res.AdditionalInfo, want)
	}
	for _, f := range []struct {
		what      string
		got, want []string
	}{
		{"CUSTOM_WITHOUT_SRP (a wrong answer, then the right one)", res.WithoutSRP, []string{"CUSTOM_AUTH", "CUSTOM_CHALLENGE", "CUSTOM_CHALLENGE"}},
		{"CUSTOM_WITH_SRP", res.WithSRP, []string{"CUSTOM_AUTH", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE"}},
	} {
		if !slices.Equal(f.got, f.want) {
			t.Errorf("%s = %v, want %v", f.what, f.got, f.want)
		}
	}
	if failures := failedCalls(t, res.Trace); len(failures) != 0 {
		t.Errorf("failed calls %v, want none", failures)
	}
}
