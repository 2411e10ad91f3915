package integration

// A real OpenID Connect provider for the identity-pool tests: the npm
// package oidc-provider, run by test/js/oidc-issuer.mjs over HTTPS on a
// loopback port, with a certificate from a throw-away CA made here. ID
// tokens come from its real authorization code flow, which Go drives
// through oidc-provider's own login and consent pages, with
// golang.org/x/oauth2 as the relying party.
//
// To make a Cognate server binary trust the issuer, run it with
// SSL_CERT_FILE=<CAFile>; the certificate is valid for IP 127.0.0.1.

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"html"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// oidcIssuer is a running oidc-provider and the clients registered with it.
type oidcIssuer struct {
	// URL is the issuer, https://127.0.0.1:<port>: the iss of its tokens
	// and the Url of an IAM OpenID Connect provider for it.
	URL string
	// ClientID is the audience of IDToken's tokens.
	ClientID string
	// OtherClientID is a second client of the issuer, for tokens with
	// another audience (IDTokenFor).
	OtherClientID string
	// ExpiringClientID is the client whose ID tokens live one second: the
	// audience of ExpiredIDToken's tokens.
	ExpiringClientID string
	// CAFile is the PEM certificate of the CA that signed the issuer's
	// certificate; CAThumbprint is the hex SHA-1 of that certificate, as
	// an IAM OpenID Connect provider's ThumbprintList holds it. The
	// issuer presents its certificate and the CA's, so the CA's is the
	// top certificate of its chain, whose thumbprint IAM asks for.
	CAFile       string
	CAThumbprint string
	// HTTPClient trusts the CA.
	HTTPClient *http.Client

	tls *tls.Config
}

// The secret, redirect URI and password every client and account of the
// test issuer shares. The redirect URI is never fetched: the harness stops
// at the redirect and takes the code from it.
const (
	oidcClientSecret = "oidc-test-client-secret-0000000000000000"
	oidcRedirectURI  = "https://rp.oidc.test/callback"
	oidcPassword     = "oidc-test-password"
)

// startOIDCIssuer starts oidc-provider for the test and stops it at its
// cleanup. Without Node.js or test/js/node_modules it skips the test, or
// fails it in CI.
func startOIDCIssuer(t *testing.T) *oidcIssuer {
	t.Helper()
	node, jsDir := jsClients(t)
	if _, err := os.Stat(filepath.Join(jsDir, "node_modules", "oidc-provider", "package.json")); err != nil {
		missing(t, "test/js/node_modules has no oidc-provider (run npm ci in test/js, as scripts/test.sh does)")
	}
	dir := t.TempDir()
	caPEM, err := writeTestCerts(dir)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	block, _ := pem.Decode(caPEM)
	thumb := sha1.Sum(block.Bytes)

	iss := &oidcIssuer{
		ClientID:         "oidc-test-client",
		OtherClientID:    "oidc-other-client",
		ExpiringClientID: "oidc-expiring-client",
		CAFile:           filepath.Join(dir, "ca.pem"),
		CAThumbprint:     hex.EncodeToString(thumb[:]),
		tls:              &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
	}
	iss.HTTPClient = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: iss.tls}}

	type client struct {
		ID          string `json:"client_id"`
		Secret      string `json:"client_secret"`
		RedirectURI string `json:"redirect_uri"`
		IDTokenTTL  int    `json:"id_token_ttl,omitempty"`
	}
	clients, err := json.Marshal([]client{
		{ID: iss.ClientID, Secret: oidcClientSecret, RedirectURI: oidcRedirectURI},
		{ID: iss.OtherClientID, Secret: oidcClientSecret, RedirectURI: oidcRedirectURI},
		{ID: iss.ExpiringClientID, Secret: oidcClientSecret, RedirectURI: oidcRedirectURI, IDTokenTTL: 1},
	})
	if err != nil {
		t.Fatal(err)
	}

	logFile, err := os.Create(filepath.Join(dir, "oidc-issuer.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(node, "oidc-issuer.mjs")
	cmd.Dir = jsDir
	cmd.Env = append(os.Environ(),
		"OIDC_CERT_FILE="+filepath.Join(dir, "cert.pem"),
		"OIDC_KEY_FILE="+filepath.Join(dir, "key.pem"),
		"OIDC_CLIENTS="+string(clients),
		"OIDC_PASSWORD="+oidcPassword,
	)
	cmd.Stderr = logFile
	cmd.SysProcAttr = childProcAttr()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			ready <- sc.Text()
		}
		close(ready)
		_, _ = io.Copy(io.Discard, stdout)
		waitErr = cmd.Wait() // only once stdout is read to its end
		close(exited)
	}()
	log := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("oidc-issuer.mjs output:\n%s", log())
		}
	})

	select {
	case line, ok := <-ready:
		if !ok {
			<-exited
			t.Fatalf("oidc-issuer.mjs exited before listening: %v\n%s", waitErr, log())
		}
		var hello struct {
			Issuer string `json:"issuer"`
		}
		if err := json.Unmarshal([]byte(line), &hello); err != nil || !strings.HasPrefix(hello.Issuer, "https://127.0.0.1:") {
			t.Fatalf("oidc-issuer.mjs printed %q, not its issuer", line)
		}
		iss.URL = hello.Issuer
	case <-time.After(30 * time.Second):
		t.Fatalf("oidc-issuer.mjs not listening after 30s\n%s", log())
	}
	return iss
}

// IDToken returns a fresh ID token for subject, with ClientID as its
// audience.
func (o *oidcIssuer) IDToken(t *testing.T, subject string) string {
	t.Helper()
	return o.IDTokenFor(t, o.ClientID, subject)
}

// IDTokenFor returns a fresh ID token for subject from the issuer's client
// clientID (ClientID or OtherClientID), which is its audience.
func (o *oidcIssuer) IDTokenFor(t *testing.T, clientID, subject string) string {
	t.Helper()
	tok, err := o.signIn(context.Background(), clientID, subject, oidcPassword)
	if err != nil {
		t.Fatalf("ID token for %s from %s: %v", subject, clientID, err)
	}
	return tok
}

// ExpiredIDToken returns an ID token for subject from ExpiringClientID,
// its audience, that the issuer signed to live one second and that expired
// a second ago: a verifier that allows for clock skew still takes it.
func (o *oidcIssuer) ExpiredIDToken(t *testing.T, subject string) string {
	t.Helper()
	tok, err := o.signIn(context.Background(), o.ExpiringClientID, subject, oidcPassword)
	if err != nil {
		t.Fatalf("ID token for %s from %s: %v", subject, o.ExpiringClientID, err)
	}
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if err := unverifiedClaims(tok, &claims); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(time.Unix(claims.Exp+1, 0)))
	return tok
}

// signIn runs the authorization code flow for clientID: the authorization
// request, oidc-provider's login page (signing in as subject with
// password), its consent page, and the exchange of the code at the token
// endpoint. It returns the ID token.
func (o *oidcIssuer) signIn(ctx context.Context, clientID, subject, password string) (string, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return "", err
	}
	browser := &http.Client{
		Jar:       jar,
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: o.tls},
		// Redirects are followed by hand, to stop at the redirect URI.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	ctx = oidc.ClientContext(ctx, o.HTTPClient)
	provider, err := oidc.NewProvider(ctx, o.URL)
	if err != nil {
		return "", err
	}
	rp := &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: oidcClientSecret,
		Endpoint:     provider.Endpoint(),
		RedirectURL:  oidcRedirectURI,
		Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
	}
	rp.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
	state, nonce, verifier := rand.Text(), rand.Text(), oauth2.GenerateVerifier()
	next := rp.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))

	var resp *http.Response
	for range 10 {
		if strings.HasPrefix(next, oidcRedirectURI) {
			return o.exchange(ctx, rp, provider, next, state, nonce, verifier)
		}
		if resp, err = browser.Get(next); err != nil {
			return "", err
		}
		for resp.StatusCode == http.StatusOK {
			// A login or consent page: submit its form.
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return "", err
			}
			req, err := submitForm(resp.Request.URL, string(body), subject, password)
			if err != nil {
				return "", err
			}
			if resp, err = browser.Do(req.WithContext(ctx)); err != nil {
				return "", err
			}
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		loc, err := resp.Location()
		if err != nil {
			return "", fmt.Errorf("%s %s answered %s: %s", resp.Request.Method, resp.Request.URL, resp.Status, body)
		}
		next = loc.String()
	}
	return "", errors.New("no redirect to the redirect URI after 10 steps")
}

// exchange checks the redirect to the client and trades its code at the
// token endpoint, checking the ID token's signature, audience and nonce.
func (o *oidcIssuer) exchange(ctx context.Context, rp *oauth2.Config, provider *oidc.Provider, redirect, state, nonce, verifier string) (string, error) {
	u, err := url.Parse(redirect)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if e := q.Get("error"); e != "" {
		return "", fmt.Errorf("authorization failed: %s: %s", e, q.Get("error_description"))
	}
	if q.Get("state") != state {
		return "", fmt.Errorf("redirect carries state %q, not %q", q.Get("state"), state)
	}
	tok, err := rp.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return "", err
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return "", errors.New("token response has no id_token")
	}
	// The expiring client's tokens may be stale by now; they are checked
	// for the rest.
	idt, err := provider.Verifier(&oidc.Config{ClientID: rp.ClientID, SkipExpiryCheck: true}).Verify(ctx, raw)
	if err != nil {
		return "", err
	}
	if idt.Nonce != nonce {
		return "", fmt.Errorf("ID token carries nonce %q, not %q", idt.Nonce, nonce)
	}
	return raw, nil
}

var (
	formAction  = regexp.MustCompile(`<form[^>]*\saction="([^"]*)"`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)"\s*/?>`)
)

// submitForm makes the request that submits the form of an oidc-provider
// interaction page at page: its hidden fields, and on the login page the
// login and password.
func submitForm(page *url.URL, body, login, password string) (*http.Request, error) {
	m := formAction.FindStringSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("%s has no form:\n%s", page, body)
	}
	action, err := page.Parse(html.UnescapeString(m[1]))
	if err != nil {
		return nil, err
	}
	form := url.Values{}
	for _, in := range hiddenInput.FindAllStringSubmatch(body, -1) {
		form.Set(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	switch form.Get("prompt") {
	case "login":
		form.Set("login", login)
		form.Set("password", password)
	case "consent":
	default:
		return nil, fmt.Errorf("%s is neither a login nor a consent page:\n%s", page, body)
	}
	req, err := http.NewRequest(http.MethodPost, action.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

// unverifiedClaims decodes the payload of a compact JWS into v, without
// checking its signature.
func unverifiedClaims(jws string, v any) error {
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		return fmt.Errorf("not a compact JWS: %d parts", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return err
	}
	return json.Unmarshal(payload, v)
}

// writeTestCerts makes a throw-away CA and a server certificate it signs
// for IP 127.0.0.1 (and localhost), and writes ca.pem, cert.pem (the
// server's certificate followed by the CA's) and key.pem into dir. It
// returns the CA certificate's PEM.
func writeTestCerts(dir string) ([]byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "Cognate test OIDC CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	files := map[string][]byte{
		"ca.pem": caPEM,
		// The chain the issuer presents: its certificate, then the CA's.
		"cert.pem": append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}), caPEM...),
		"key.pem":  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return nil, err
		}
	}
	return caPEM, nil
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err)
	}
	return n
}

// TestOIDCIssuerHarness checks the harness against an independent relying
// party: go-oidc, through discovery, verifies the tokens it hands out.
func TestOIDCIssuerHarness(t *testing.T) {
	iss := startOIDCIssuer(t)
	ctx := oidc.ClientContext(context.Background(), iss.HTTPClient)
	provider, err := oidc.NewProvider(ctx, iss.URL)
	if err != nil {
		t.Fatal(err)
	}
	verifier := provider.Verifier(&oidc.Config{ClientID: iss.ClientID})

	t.Run("token", func(t *testing.T) {
		raw := iss.IDToken(t, "alice")
		tok, err := verifier.Verify(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		if tok.Issuer != iss.URL || tok.Subject != "alice" || len(tok.Audience) != 1 || tok.Audience[0] != iss.ClientID {
			t.Errorf("iss %q sub %q aud %q, want %q alice [%s]", tok.Issuer, tok.Subject, tok.Audience, iss.URL, iss.ClientID)
		}
		var claims struct {
			Email         string `json:"email"`
			EmailVerified bool   `json:"email_verified"`
		}
		if err := tok.Claims(&claims); err != nil {
			t.Fatal(err)
		}
		if claims.Email != "alice@users.oidc.test" || !claims.EmailVerified {
			t.Errorf("email %q verified %v, want alice@users.oidc.test true", claims.Email, claims.EmailVerified)
		}
		if again := iss.IDToken(t, "alice"); again == raw {
			t.Error("a second IDToken call returned the same token")
		}
		if tok, err := verifier.Verify(ctx, iss.IDToken(t, "bob")); err != nil || tok.Subject != "bob" {
			t.Errorf("bob's token: sub %v, %v", tok, err)
		}
	})

	t.Run("other audience", func(t *testing.T) {
		raw := iss.IDTokenFor(t, iss.OtherClientID, "alice")
		if _, err := verifier.Verify(ctx, raw); err == nil || !strings.Contains(err.Error(), "audience") {
			t.Errorf("verifying for %s a token for %s: %v, want an audience error", iss.ClientID, iss.OtherClientID, err)
		}
		tok, err := provider.Verifier(&oidc.Config{ClientID: iss.OtherClientID}).Verify(ctx, raw)
		if err != nil || tok.Subject != "alice" {
			t.Errorf("verifying for %s: %v, %v", iss.OtherClientID, tok, err)
		}
	})

	t.Run("expired", func(t *testing.T) {
		raw := iss.ExpiredIDToken(t, "alice")
		var expired *oidc.TokenExpiredError
		if _, err := provider.Verifier(&oidc.Config{ClientID: iss.ExpiringClientID}).Verify(ctx, raw); !errors.As(err, &expired) {
			t.Errorf("verifying an expired token: %v, want *oidc.TokenExpiredError", err)
		}
		tok, err := provider.Verifier(&oidc.Config{ClientID: iss.ExpiringClientID, SkipExpiryCheck: true}).Verify(ctx, raw)
		if err != nil || tok.Subject != "alice" {
			t.Errorf("verifying it without the expiry check: %v, %v", tok, err)
		}
	})

	t.Run("sign-in is checked", func(t *testing.T) {
		if _, err := iss.signIn(context.Background(), iss.ClientID, "alice", "wrong password"); err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("sign-in with a wrong password: %v, want a 401", err)
		}
		if _, err := iss.signIn(context.Background(), iss.ClientID, "no such user!", oidcPassword); err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("sign-in as a subject the account store lacks: %v, want a 401", err)
		}
	})

	t.Run("TLS", func(t *testing.T) {
		plain := oidc.ClientContext(context.Background(), &http.Client{Timeout: 10 * time.Second})
		var unknown x509.UnknownAuthorityError
		if _, err := oidc.NewProvider(plain, iss.URL); !errors.As(err, &unknown) {
			t.Errorf("discovery without the test CA: %v, want x509.UnknownAuthorityError", err)
		}
		// CAFile alone, as SSL_CERT_FILE gives it to a server binary, is
		// enough to trust the issuer.
		ca, err := os.ReadFile(iss.CAFile)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ca) {
			t.Fatalf("%s holds no certificate", iss.CAFile)
		}
		fromFile := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		if _, err := oidc.NewProvider(oidc.ClientContext(context.Background(), fromFile), iss.URL); err != nil {
			t.Errorf("discovery trusting only %s: %v", iss.CAFile, err)
		}
		block, _ := pem.Decode(ca)
		sum := sha1.Sum(block.Bytes)
		if got := hex.EncodeToString(sum[:]); got != iss.CAThumbprint || len(got) != 40 {
			t.Errorf("CAThumbprint %q, want %q", iss.CAThumbprint, got)
		}
		// CAThumbprint is that of the top certificate the issuer
		// presents, as IAM's thumbprints are.
		conn, err := tls.Dial("tcp", strings.TrimPrefix(iss.URL, "https://"), iss.tls)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		chain := conn.ConnectionState().PeerCertificates
		top := sha1.Sum(chain[len(chain)-1].Raw)
		if len(chain) != 2 || hex.EncodeToString(top[:]) != iss.CAThumbprint {
			t.Errorf("the issuer presents %d certificates, the top one with thumbprint %x; want 2, the CA's on top (%s)", len(chain), top, iss.CAThumbprint)
		}
	})
}
