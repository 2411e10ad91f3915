package integration

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestCognateProxy puts `cognate proxy` in front of a service and sends it
// requests signed by aws-sdk-go-v2 with credentials an identity pool
// vended: the role's policy, read by the proxy through Cognate's IAM API,
// lets each identity at its own photos only.
func TestCognateProxy(t *testing.T) {
	p := startBinary(t, t.TempDir(), "")
	c := newIdentityClients(p.URL)
	created, err := c.Admin.CreateIdentityPool(ctx(t), &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("photos"),
		AllowUnauthenticatedIdentities: true})
	if err != nil {
		t.Fatal(err)
	}
	ipID := *created.IdentityPoolId
	guestRole := c.createRole(t, "photos-guest", trustPolicy(ipID, "unauthenticated"))
	if _, err := c.IAM.PutRolePolicy(ctx(t), &iam.PutRolePolicyInput{RoleName: aws.String("photos-guest"), PolicyName: aws.String("own"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["photos:GetPhoto","photos:PutPhoto"],"Resource":"arn:aws:photos:::photo/${cognito-identity.amazonaws.com:sub}/*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Admin.SetIdentityPoolRoles(ctx(t), &ci.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(ipID),
		Roles: map[string]string{"unauthenticated": guestRole}}); err != nil {
		t.Fatal(err)
	}
	credsOf := func() (string, *citypes.Credentials) {
		id, err := c.Anon.GetId(ctx(t), &ci.GetIdInput{IdentityPoolId: aws.String(ipID)})
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.Anon.GetCredentialsForIdentity(ctx(t), &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId})
		if err != nil {
			t.Fatal(err)
		}
		return *id.IdentityId, out.Credentials
	}
	alice, aliceCreds := credsOf()
	bob, _ := credsOf()

	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s identity=%s role=%s auth=%q", r.Method, r.URL.Path, r.Header.Get("X-Cognate-Identity-Id"),
			r.Header.Get("X-Cognate-Role-Arn"), r.Header.Get("Authorization"))
	}))
	t.Cleanup(upstream.Close)
	proxyURL := startProxy(t, p, upstream.URL, `
GET  /photos/{owner}/{name}  photos:GetPhoto  arn:aws:photos:::photo/{owner}/{name}
PUT  /photos/{owner}/{name}  photos:PutPhoto  arn:aws:photos:::photo/{owner}/{name}
`)

	send := func(method, path string, signedAt time.Time, tamper func(*http.Request)) (int, string) {
		t.Helper()
		r, _ := http.NewRequest(method, proxyURL+path, nil)
		sum := sha256.Sum256(nil)
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: *aliceCreds.AccessKeyId,
			SecretAccessKey: *aliceCreds.SecretKey, SessionToken: *aliceCreds.SessionToken}, r, hex.EncodeToString(sum[:]),
			"photos", region, signedAt); err != nil {
			t.Fatal(err)
		}
		if tamper != nil {
			tamper(r)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	tests := []struct {
		name     string
		method   string
		path     string
		signedAt time.Time
		tamper   func(*http.Request)
		status   int
		body     string
	}{
		{name: "own photo", method: "GET", path: "/photos/" + alice + "/cat.jpg", status: 200,
			body: "GET /photos/" + alice + "/cat.jpg identity=" + alice + " role=" + guestRole + ` auth=""`},
		{name: "own photo, written", method: "PUT", path: "/photos/" + alice + "/cat.jpg", status: 200},
		{name: "someone else's photo", method: "GET", path: "/photos/" + bob + "/cat.jpg", status: 403, body: "AccessDenied"},
		{name: "no route", method: "DELETE", path: "/photos/" + alice + "/cat.jpg", status: 403, body: "AccessDenied"},
		{name: "path changed after signing", method: "GET", path: "/photos/" + alice + "/cat.jpg", status: 403, body: "SignatureDoesNotMatch",
			tamper: func(r *http.Request) { r.URL.Path = "/photos/" + alice + "/dog.jpg" }},
		{name: "token swapped", method: "GET", path: "/photos/" + alice + "/cat.jpg", status: 403,
			tamper: func(r *http.Request) {
				r.Header.Set("X-Amz-Security-Token", "AAAA"+r.Header.Get("X-Amz-Security-Token")[4:])
			}},
		{name: "stale signature", method: "GET", path: "/photos/" + alice + "/cat.jpg", signedAt: time.Now().Add(-20 * time.Minute), status: 403},
		{name: "unsigned", method: "GET", path: "/photos/" + alice + "/cat.jpg", status: 403,
			tamper: func(r *http.Request) { r.Header.Del("Authorization") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.signedAt
			if at.IsZero() {
				at = time.Now()
			}
			status, body := send(tt.method, tt.path, at, tt.tamper)
			if status != tt.status || !strings.Contains(body, tt.body) {
				t.Fatalf("%d %s, want %d with %q", status, body, tt.status, tt.body)
			}
		})
	}
}

// startProxy runs `cognate proxy` for p's server in front of upstream and
// returns its URL.
func startProxy(t *testing.T, p *process, upstream, routes string) string {
	t.Helper()
	dir := t.TempDir()
	routesFile := filepath.Join(dir, "routes.txt")
	if err := os.WriteFile(routesFile, []byte(routes), 0o600); err != nil {
		t.Fatal(err)
	}
	var key bytes.Buffer
	keyCmd := exec.Command(p.bin, append([]string{"keys", "verifier-key"}, p.storeFlags()...)...)
	keyCmd.Env, keyCmd.Stdout = cleanEnv("COGNATE_"), &key
	if err := keyCmd.Run(); err != nil {
		t.Fatalf("cognate keys verifier-key: %v", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	listen := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(p.bin, "proxy", "--upstream", upstream, "--listen", listen, "--routes", routesFile,
		"--iam-endpoint", p.URL, "--service", "photos", "--region", region, "--log-level", "warn")
	cmd.Env = append(cleanEnv("COGNATE_"), "COGNATE_VERIFIER_KEY="+strings.TrimSpace(key.String()),
		"AWS_ACCESS_KEY_ID="+adminKeyID, "AWS_SECRET_ACCESS_KEY="+adminSecret)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("cognate proxy:\n%s", log.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + listen + "/")
		if err == nil {
			resp.Body.Close()
			return "http://" + listen
		}
		if time.Now().After(deadline) {
			t.Fatalf("cognate proxy did not start: %v\n%s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
