package federation

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestOIDCThumbprints logs in with tokens of an issuer whose certificate
// (httptest's, self-signed, for 127.0.0.1 and example.com) the verifier's
// client does not trust, through providers registered with various
// thumbprints.
func TestOIDCThumbprints(t *testing.T) {
	is := newIssuer(t)
	u, err := url.Parse(is.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port()
	thumb := Thumbprint(is.srv.Certificate())
	other := strings.Repeat("0f", 20)
	tests := []struct {
		name        string
		host        string // the issuer's host and port
		thumbprints []string
		client      *http.Client // nil: the default client
		ok          bool
	}{
		{"no thumbprints", "127.0.0.1:" + port, nil, nil, false},
		{"the certificate's thumbprint", "127.0.0.1:" + port, []string{thumb}, nil, true},
		{"in upper case, among others", "127.0.0.1:" + port, []string{other, strings.ToUpper(thumb)}, nil, true},
		{"another thumbprint", "127.0.0.1:" + port, []string{other}, nil, false},
		// localhost resolves to the server, but the certificate is not
		// valid for that name: a thumbprint does not make it so.
		{"the thumbprint, a certificate for another name", "localhost:" + port, []string{thumb}, nil, false},
		// A chain the client trusts needs no thumbprint.
		{"a trusted chain, another thumbprint", "127.0.0.1:" + port, []string{other}, is.srv.Client(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arn := "arn:aws:iam::000000000000:oidc-provider/" + tt.host
			iss := "https://" + tt.host
			v := newVerifier(t, providers{arn: {ARN: arn, URL: iss, ClientIDs: []string{"web"}, Thumbprints: tt.thumbprints}}, tt.client, &clock{time.Now()})
			token := is.token(t, map[string]any{"iss": iss, "sub": "u-7", "aud": "web", "exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()})
			l, err := v.Verify(t.Context(), Trust{IdentityPoolID: "us-east-1:p", OpenIDConnectProviderARNs: []string{arn}}, tt.host, token)
			w, werr := v.VerifyWebIdentity(t.Context(), token, "")
			if !tt.ok {
				wantNotAuthorized(t, "Verify", err)
				if werr == nil {
					t.Errorf("VerifyWebIdentity = %+v, want an error", w)
				}
				return
			}
			if err != nil || l.Subject != "u-7" {
				t.Errorf("Verify = %+v, %v", l, err)
			}
			if werr != nil || w.Principal != arn {
				t.Errorf("VerifyWebIdentity = %+v, %v", w, werr)
			}
		})
	}
}

// TestOIDCThumbprintsChange checks that a provider's new thumbprints take
// effect at the next login, whatever was discovered before.
func TestOIDCThumbprintsChange(t *testing.T) {
	is := newIssuer(t)
	host := strings.TrimPrefix(is.srv.URL, "https://")
	arn := "arn:aws:iam::000000000000:oidc-provider/" + host
	ps := providers{}
	v := newVerifier(t, ps, nil, &clock{time.Now()})
	trust := Trust{IdentityPoolID: "us-east-1:p", OpenIDConnectProviderARNs: []string{arn}}
	token := is.token(t, map[string]any{"iss": is.srv.URL, "sub": "u-8", "aud": "web", "exp": time.Now().Add(time.Hour).Unix()})
	for i, step := range []struct {
		thumbprint string
		ok         bool
	}{
		{strings.Repeat("0f", 20), false},
		{Thumbprint(is.srv.Certificate()), true},
		{strings.Repeat("0e", 20), false},
	} {
		ps[arn] = OIDCProvider{ARN: arn, URL: is.srv.URL, ClientIDs: []string{"web"}, Thumbprints: []string{step.thumbprint}}
		_, err := v.Verify(t.Context(), trust, host, token)
		if step.ok && err != nil {
			t.Errorf("step %d, thumbprint %s: %v", i, step.thumbprint, err)
		}
		if !step.ok {
			wantNotAuthorized(t, "thumbprint "+step.thumbprint, err)
		}
	}
}

// TestVerifyChain checks chains against thumbprints directly.
func TestVerifyChain(t *testing.T) {
	now := time.Now()
	root := newCert(t, "root", nil, true, now)
	inter := newCert(t, "intermediate", root, true, now)
	leaf := newCert(t, "127.0.0.1", inter, false, now)
	direct := newCert(t, "127.0.0.1", root, false, now)
	// A certificate for the host from someone else, presented with the
	// (public) root certificate after it.
	forged := newCert(t, "127.0.0.1", newCert(t, "root", nil, true, now), false, now)
	expired := newCert(t, "127.0.0.1", root, false, now.Add(-48*time.Hour))
	tests := []struct {
		name        string
		chain       []*x509.Certificate
		host        string
		thumbprints []string
		ok          bool
	}{
		{"top intermediate", []*x509.Certificate{leaf.c, inter.c}, "127.0.0.1", []string{Thumbprint(inter.c)}, true},
		{"the root, presented", []*x509.Certificate{leaf.c, inter.c, root.c}, "127.0.0.1", []string{Thumbprint(root.c)}, true},
		{"a thumbprint below the top", []*x509.Certificate{leaf.c, inter.c, root.c}, "127.0.0.1", []string{Thumbprint(inter.c)}, false},
		{"the leaf's own thumbprint", []*x509.Certificate{direct.c, root.c}, "127.0.0.1", []string{Thumbprint(direct.c)}, false},
		{"signed by the root directly", []*x509.Certificate{direct.c, root.c}, "127.0.0.1", []string{Thumbprint(root.c)}, true},
		{"another host", []*x509.Certificate{direct.c, root.c}, "127.0.0.2", []string{Thumbprint(root.c)}, false},
		{"forged leaf before the root", []*x509.Certificate{forged.c, root.c}, "127.0.0.1", []string{Thumbprint(root.c)}, false},
		{"expired leaf", []*x509.Certificate{expired.c, root.c}, "127.0.0.1", []string{Thumbprint(root.c)}, false},
		{"no certificate", nil, "127.0.0.1", []string{Thumbprint(root.c)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifyChain(tt.chain, tt.host, x509.NewCertPool(), tt.thumbprints, now)
			if tt.ok != (err == nil) {
				t.Errorf("verifyChain: %v, want ok %v", err, tt.ok)
			}
		})
	}
	// A pool that trusts the root needs no thumbprint.
	pool := x509.NewCertPool()
	pool.AddCert(root.c)
	if err := verifyChain([]*x509.Certificate{leaf.c, inter.c}, "127.0.0.1", pool, nil, now); err != nil {
		t.Errorf("a chain to a trusted root: %v", err)
	}
}

type testCert struct {
	c   *x509.Certificate
	key *ecdsa.PrivateKey
}

// newCert makes a certificate named name, signed by parent (nil:
// self-signed), valid for a day from a day before at; a leaf is for the
// IP address name.
func newCert(t *testing.T, name string, parent *testCert, ca bool, at time.Time) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: name},
		NotBefore: at.Add(-24 * time.Hour), NotAfter: at.Add(24 * time.Hour),
		BasicConstraintsValid: true, IsCA: ca,
	}
	if ca {
		tmpl.KeyUsage = x509.KeyUsageCertSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP(name)}
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent.c, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCert{c: c, key: key}
}
