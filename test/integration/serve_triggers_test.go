package integration

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// `cognate serve` reads the functions file named by --functions and the
// Lambda endpoint of $COGNATE_LAMBDA_ENDPOINT, and refuses to start on a
// functions file it cannot read.
func TestServeTriggerSettings(t *testing.T) {
	t.Run("unreadable functions file", func(t *testing.T) {
		c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		dir := t.TempDir()
		cmd := exec.CommandContext(c, cognateBinary(t), "serve", "--listen", "127.0.0.1:0", "--data-dir", dir,
			"--functions", filepath.Join(dir, "absent.json"))
		cmd.Env = cleanEnv("COGNATE_")
		out, err := cmd.CombinedOutput()
		if err == nil || c.Err() != nil {
			t.Fatalf("serve with a missing functions file: %v (context %v)\n%s", err, c.Err(), out)
		}
		if !strings.Contains(string(out), "absent.json") {
			t.Errorf("the error does not name the file:\n%s", out)
		}
	})
	t.Run("flags and environment", func(t *testing.T) {
		h := newHook(t)
		h.on(fail("Closed for sign-up"))
		p := startServe(t, []string{"COGNATE_ADMIN_ACCESS_KEY_ID=" + adminKeyID, "COGNATE_ADMIN_SECRET_ACCESS_KEY=" + adminSecret,
			"COGNATE_LAMBDA_ENDPOINT=http://127.0.0.1:9"}, "--functions", h.file(t))
		admin := cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL),
			Credentials: credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")})
		anon := cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL), Credentials: aws.AnonymousCredentials{}})
		// The unmapped ARN is accepted because a Lambda endpoint is configured.
		pool, err := admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("served"),
			LambdaConfig: &types.LambdaConfigType{PreSignUp: aws.String(preSignUpARN), PostAuthentication: aws.String(unmappedARN)}})
		if err != nil {
			t.Fatal(err)
		}
		client, err := admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("app")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = anon.SignUp(ctx(t), &cip.SignUpInput{ClientId: client.UserPoolClient.ClientId, Username: aws.String("lee"), Password: aws.String(password)})
		wantError(t, err, "UserLambdaValidationException", "PreSignUp failed with error Closed for sign-up.")
		if n := len(h.received(*pool.UserPool.Id)); n != 1 {
			t.Errorf("the hook received %d events, want 1", n)
		}
	})
}
