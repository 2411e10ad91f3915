package integration

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognate-auth/cognate/internal/tlscert"
)

// adminEnv gives a server the test's administrator key.
var adminEnv = []string{"COGNATE_ADMIN_ACCESS_KEY_ID=" + adminKeyID, "COGNATE_ADMIN_SECRET_ACCESS_KEY=" + adminSecret}

// tlsCA runs `cognate tls ca` with extra arguments against the server's
// data directory and returns what it printed.
func (p *process) tlsCA(t *testing.T, args ...string) string {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(c, p.bin, append([]string{"tls", "ca", "--data-dir", p.DataDir}, args...)...)
	cmd.Env = cleanEnv("COGNATE_")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cognate tls ca %v: %v\n%s", args, err, stderr.Bytes())
	}
	return string(out)
}

func certPool(t *testing.T, caPEM string) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(caPEM)) {
		t.Fatalf("no certificate in %q", caPEM)
	}
	return pool
}

func trustingClient(roots *x509.CertPool) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
}

// servedCert shakes hands with the server at url as serverName (its host
// when empty), checking the chain against roots, and returns the server's
// certificate.
func servedCert(t *testing.T, rawURL, serverName string, roots *x509.CertPool) (*x509.Certificate, error) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	if serverName == "" {
		serverName = u.Hostname()
	}
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", u.Host, &tls.Config{RootCAs: roots, ServerName: serverName})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0], nil
}

// tlsPool makes a pool, a client that signs in with SRP and with
// ADMIN_USER_PASSWORD_AUTH, and the confirmed user ada.
func tlsPool(t *testing.T, admin *cip.Client) (poolID, clientID string) {
	t.Helper()
	pool, err := admin.CreateUserPool(ctx(t), &cip.CreateUserPoolInput{PoolName: aws.String("tls")})
	if err != nil {
		t.Fatal(err)
	}
	poolID = aws.ToString(pool.UserPool.Id)
	client, err := admin.CreateUserPoolClient(ctx(t), &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AdminCreateUser(ctx(t), &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("ada"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AdminSetUserPassword(ctx(t), &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("ada"),
		Password: aws.String(password), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	return poolID, aws.ToString(client.UserPoolClient.ClientId)
}

// TestServeTLSAuto runs `cognate serve --tls-auto`: the SDK reaches it
// trusting the CA that `cognate tls ca` prints and refuses it otherwise;
// tokens and the discovery document name an https issuer; a restart keeps
// the CA and the certificate, and a new --tls-hosts issues a new
// certificate from the same CA.
func TestServeTLSAuto(t *testing.T) {
	dataDir := t.TempDir()
	p := launchServe(t, "https", dataDir, adminEnv, "--tls-auto")
	caPEM := p.tlsCA(t)
	if path := strings.TrimSpace(p.tlsCA(t, "--path")); path != filepath.Join(dataDir, "tls", "ca.pem") {
		t.Errorf("tls ca --path = %s, want <data-dir>/tls/ca.pem", path)
	} else if b, err := os.ReadFile(path); err != nil || string(b) != caPEM {
		t.Errorf("tls ca --path names a file that is not what tls ca prints (%v)", err)
	}
	if strings.Contains(caPEM, "PRIVATE") {
		t.Fatal("tls ca printed a private key")
	}
	roots := certPool(t, caPEM)
	creds := credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")
	admin := cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL), Credentials: creds, HTTPClient: trustingClient(roots)})

	poolID, clientID := tlsPool(t, admin)
	auth, err := admin.AdminInitiateAuth(ctx(t), &cip.AdminInitiateAuthInput{UserPoolId: &poolID, ClientId: &clientID,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "ada", "PASSWORD": password}})
	if err != nil {
		t.Fatal(err)
	}
	wantIssuer := p.URL + "/" + poolID
	if !strings.HasPrefix(wantIssuer, "https://127.0.0.1:") {
		t.Fatalf("server URL %s", p.URL)
	}
	for name, tok := range map[string]*string{"ID": auth.AuthenticationResult.IdToken, "access": auth.AuthenticationResult.AccessToken} {
		if iss := claims(t, tok)["iss"]; iss != wantIssuer {
			t.Errorf("%s token iss = %v, want %s", name, iss, wantIssuer)
		}
	}
	resp, err := trustingClient(roots).Get(wantIssuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var discovery struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	err = json.NewDecoder(resp.Body).Decode(&discovery)
	resp.Body.Close()
	if err != nil || discovery.Issuer != wantIssuer || discovery.JWKSURI != wantIssuer+"/.well-known/jwks.json" {
		t.Errorf("discovery document %+v (%v), want issuer %s", discovery, err, wantIssuer)
	}

	// Without the CA, the SDK refuses the server.
	untrusting := cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL), Credentials: creds})
	_, err = untrusting.ListUserPools(ctx(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("ListUserPools without trusting the CA: %v, want an unknown authority error", err)
	}

	// No TLS below 1.2; plain HTTP on the port gets no API.
	u, _ := url.Parse(p.URL)
	if c, err := tls.Dial("tcp", u.Host, &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}); err == nil {
		c.Close()
		t.Error("a TLS 1.1 handshake succeeded")
	}
	if resp, err := http.Get("http://" + u.Host + "/health"); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("plain HTTP: %v, %v; want 400", resp, err)
	} else {
		resp.Body.Close()
	}

	first, err := servedCert(t, p.URL, "localhost", roots)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := servedCert(t, p.URL, "app.localhost", roots); err == nil {
		t.Fatal("the certificate is valid for app.localhost before --tls-hosts names it")
	}
	p.stop()

	// A restart keeps the CA and the certificate.
	p = launchServe(t, "https", dataDir, adminEnv, "--tls-auto")
	if again := p.tlsCA(t); again != caPEM {
		t.Fatal("a restart made a new CA")
	}
	second, err := servedCert(t, p.URL, "", roots)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Equal(first) {
		t.Error("a restart issued a new certificate for the same hosts")
	}
	p.stop()

	// More hosts: a new certificate from the same CA, for them too.
	p = launchServe(t, "https", dataDir, adminEnv, "--tls-auto", "--tls-hosts", "app.localhost,myprefix.auth.localhost")
	if again := p.tlsCA(t); again != caPEM {
		t.Fatal("new hosts made a new CA")
	}
	for _, name := range []string{"app.localhost", "myprefix.auth.localhost", "localhost", "127.0.0.1", ""} {
		c, err := servedCert(t, p.URL, name, roots)
		if err != nil {
			t.Errorf("as %q: %v", name, err)
		} else if c.Equal(first) {
			t.Errorf("as %q: the old certificate", name)
		}
	}
}

// TestServeTLSAWSCLI: the aws CLI reaches a --tls-auto server with
// --ca-bundle (or AWS_CA_BUNDLE) naming the printed CA, and fails its
// certificate check without.
func TestServeTLSAWSCLI(t *testing.T) {
	cli := newAWSCLI(t, "")
	p := launchServe(t, "https", t.TempDir(), adminEnv, "--tls-auto")
	cli.endpoint = p.URL
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, []byte(p.tlsCA(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	var created struct{ UserPool struct{ Id string } }
	cli.ok(t, &created, "create-user-pool", "--pool-name", "cli", "--ca-bundle", caFile)
	var listed struct{ UserPools []struct{ Id string } }
	r := cli.run(t, []string{"AWS_CA_BUNDLE=" + caFile}, "list-user-pools", "--max-results", "10")
	if r.err != nil || json.Unmarshal(r.stdout, &listed) != nil || len(listed.UserPools) != 1 || listed.UserPools[0].Id != created.UserPool.Id {
		t.Fatalf("list-user-pools with AWS_CA_BUNDLE: %v %s\n%s", r.err, r.stdout, r.stderr)
	}
	r = cli.run(t, nil, "list-user-pools", "--max-results", "10")
	if r.err == nil || !strings.Contains(r.stderr, "CERTIFICATE_VERIFY_FAILED") {
		t.Fatalf("list-user-pools without the CA: %v, stderr %s; want a failed certificate check", r.err, r.stderr)
	}
}

// TestServeTLSNode: Node.js trusts the CA through NODE_EXTRA_CA_CERTS,
// fetches the discovery document and signs in with Amplify JS; without the
// variable its fetch fails.
func TestServeTLSNode(t *testing.T) {
	node, jsDir := jsClients(t)
	p := launchServe(t, "https", t.TempDir(), adminEnv, "--tls-auto")
	creds := credentials.NewStaticCredentialsProvider(adminKeyID, adminSecret, "")
	caPEM := p.tlsCA(t)
	admin := cip.New(cip.Options{Region: region, BaseEndpoint: aws.String(p.URL), Credentials: creds,
		HTTPClient: trustingClient(certPool(t, caPEM))})
	poolID, clientID := tlsPool(t, admin)
	script := filepath.Join(jsDir, "tls-discovery.mjs")
	ids := []string{"COGNATE_POOL_ID=" + poolID, "COGNATE_CLIENT_ID=" + clientID}

	var refused struct{ Error string }
	runScript(t, node, script, p, "ada", &refused, append(ids, "COGNATE_EXPECT_UNTRUSTED=1")...)
	if !slices.Contains([]string{"UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"}, refused.Error) {
		t.Errorf("fetch without the CA failed with %q, want a certificate error", refused.Error)
	}

	var res struct {
		Issuer, JWKSURI, SignInStep, IDTokenIssuer string
	}
	runScript(t, node, script, p, "ada", &res, append(ids, "NODE_EXTRA_CA_CERTS="+strings.TrimSpace(p.tlsCA(t, "--path")))...)
	want := p.URL + "/" + poolID
	if res.Issuer != want || res.IDTokenIssuer != want || res.JWKSURI != want+"/.well-known/jwks.json" || res.SignInStep != "DONE" {
		t.Errorf("Node over TLS: %+v, want issuer %s and a finished sign-in", res, want)
	}
}

// splitPair writes a tlscert bundle (certificate and key in one PEM file)
// as a certificate file and a key file, key first, stamped with mod.
func splitPair(t *testing.T, bundle []byte, certFile, keyFile string, mod time.Time) {
	t.Helper()
	var certs, keys []byte
	for blk, rest := pem.Decode(bundle); blk != nil; blk, rest = pem.Decode(rest) {
		if blk.Type == "CERTIFICATE" {
			certs = append(certs, pem.EncodeToMemory(blk)...)
		} else {
			keys = append(keys, pem.EncodeToMemory(blk)...)
		}
	}
	for _, f := range []struct {
		name string
		b    []byte
	}{{keyFile, keys}, {certFile, certs}} {
		if err := os.WriteFile(f.name, f.b, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(f.name, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
}

// TestServeTLSFilesReload: a server started with --tls-cert and --tls-key
// serves new files within seconds of their change, without a restart, and
// keeps the last good pair when the files go bad.
func TestServeTLSFilesReload(t *testing.T) {
	caDir, dir := t.TempDir(), t.TempDir()
	ca, err := tlscert.OpenDev(caDir, []string{"127.0.0.1"}, tlscert.DevOptions{})
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _, err := tlscert.ReadCA(caDir)
	if err != nil {
		t.Fatal(err)
	}
	roots := certPool(t, string(caPEM))
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	bundle := func() []byte {
		b, err := os.ReadFile(filepath.Join(caDir, "server.pem"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	mod := time.Now().Add(-time.Hour).Truncate(time.Second)
	splitPair(t, bundle(), certFile, keyFile, mod)
	first := ca.Leaf()

	p := launchServe(t, "https", t.TempDir(), adminEnv, "--tls-cert", certFile, "--tls-key", keyFile)
	if got, err := servedCert(t, p.URL, "", roots); err != nil || !got.Equal(first) {
		t.Fatalf("serving %v (%v), want the files' certificate", got, err)
	}

	// Rotate: a new certificate for more names.
	if err := ca.SetHosts([]string{"127.0.0.1", "rotated.localhost"}); err != nil {
		t.Fatal(err)
	}
	splitPair(t, bundle(), certFile, keyFile, mod.Add(time.Second))
	rotated := ca.Leaf()
	waitServed := func(want *x509.Certificate, what string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			got, err := servedCert(t, p.URL, "", roots)
			if err == nil && got.Equal(want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: still serving %v (%v) after 20s", what, got.DNSNames, err)
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	waitServed(rotated, "after the files changed")
	if _, err := servedCert(t, p.URL, "rotated.localhost", roots); err != nil {
		t.Errorf("the rotated certificate as rotated.localhost: %v", err)
	}

	// Bad files: the server stays up with the last good pair, and says so
	// (the files are looked at on handshakes).
	if err := os.WriteFile(certFile, []byte("-----BEGIN CERTIFICATE-----\ngarbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if got, err := servedCert(t, p.URL, "", roots); err != nil || !got.Equal(rotated) {
			t.Fatalf("with bad files serving %v (%v), want the last good certificate", got, err)
		}
		log, _ := os.ReadFile(p.log)
		if strings.Contains(string(log), "do not load") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no warning about the bad files after 20s:\n%s", log)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestServeTLSStartErrors: TLS settings or files that cannot serve end the
// start with a clear error before anything is made in the data directory.
func TestServeTLSStartErrors(t *testing.T) {
	bin := cognateBinary(t)
	files := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	caDir := t.TempDir()
	if _, err := tlscert.OpenDev(caDir, []string{"127.0.0.1"}, tlscert.DevOptions{}); err != nil {
		t.Fatal(err)
	}
	other, err := tlscert.OpenDev(t.TempDir(), []string{"127.0.0.1"}, tlscert.DevOptions{})
	if err != nil {
		t.Fatal(err)
	}
	goodCert, goodKey := filepath.Join(files, "cert.pem"), filepath.Join(files, "key.pem")
	b, _ := os.ReadFile(filepath.Join(caDir, "server.pem"))
	splitPair(t, b, goodCert, goodKey, time.Now())
	otherCert, otherKey := filepath.Join(files, "other-cert.pem"), filepath.Join(files, "other-key.pem")
	b, _ = os.ReadFile(filepath.Join(filepath.Dir(other.CAFile()), "server.pem"))
	splitPair(t, b, otherCert, otherKey, time.Now())

	tests := []struct {
		name    string
		flags   []string
		env     []string
		prepare func(dataDir string)
		want    []string
	}{
		{name: "no certificate file", flags: []string{"--tls-cert", filepath.Join(files, "nope.pem"), "--tls-key", goodKey},
			want: []string{"--tls-cert", "nope.pem", "no such file"}},
		{name: "no key file", flags: []string{"--tls-cert", goodCert, "--tls-key", filepath.Join(files, "nokey.pem")},
			want: []string{"TLS key", "nokey.pem"}},
		{name: "not PEM", flags: []string{"--tls-cert", write("garbage.pem", "hello"), "--tls-key", goodKey},
			want: []string{"garbage.pem", "PEM"}},
		{name: "another certificate's key", flags: []string{"--tls-cert", otherCert, "--tls-key", goodKey},
			want: []string{"other-cert.pem", "private key does not match public key"}},
		{name: "certificate without key", env: []string{"COGNATE_TLS_CERT=" + goodCert}, want: []string{"configuration", "--tls-key"}},
		{name: "auto and files", flags: []string{"--tls-auto", "--tls-cert", goodCert, "--tls-key", goodKey}, want: []string{"not both"}},
		{name: "bad host", flags: []string{"--tls-auto", "--tls-hosts", "bad host"}, want: []string{`host "bad host"`}},
		{name: "broken CA", flags: []string{"--tls-auto"}, prepare: func(dataDir string) {
			if err := os.MkdirAll(filepath.Join(dataDir, "tls"), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dataDir, "tls", "ca-key.pem"), []byte("garbage"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"--tls-auto", "ca-key.pem", "move the directory aside"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dataDir := filepath.Join(t.TempDir(), "data")
			if tt.prepare != nil {
				tt.prepare(dataDir)
			}
			c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(c, bin, append([]string{"serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir}, tt.flags...)...)
			cmd.Env = append(cleanEnv("COGNATE_"), tt.env...)
			out, err := cmd.CombinedOutput()
			if exitCode(err) != 1 {
				t.Fatalf("exit %v, want 1:\n%s", err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(string(out), "administrator key") {
				t.Errorf("a failed start generated an administrator key:\n%s", out)
			}
			if _, err := os.Stat(filepath.Join(dataDir, "cognate.db")); err == nil {
				t.Error("a failed start made a store")
			}
		})
	}
}
