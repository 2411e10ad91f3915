package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/xml"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/cognate-auth/cognate/internal/apierr"
)

// withSAML is IAM's registry with SAML providers as well.
type withSAML struct {
	providers
	saml map[string]SAMLProvider
}

func (p withSAML) SAMLProvider(_ context.Context, arn string) (SAMLProvider, error) {
	if s, ok := p.saml[arn]; ok {
		return s, nil
	}
	return SAMLProvider{}, apierr.New("NoSuchEntity", "Manifest not found for arn "+arn)
}

// awsSP is AWS as the identity provider knows it: entity
// urn:amazon:webservices, whose assertion consumer is acs.
type awsSP struct{ acs string }

func (sp awsSP) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	return &saml.EntityDescriptor{EntityID: id, SPSSODescriptors: []saml.SPSSODescriptor{{
		AssertionConsumerServices: []saml.IndexedEndpoint{{Binding: saml.HTTPPostBinding, Location: sp.acs, Index: 1}},
	}}}, nil
}

// samlIdP is a real identity provider: crewjam's, with a key and a
// self-signed certificate made for the test.
type samlIdP struct {
	idp *saml.IdentityProvider
	now time.Time
}

func newSAMLIdP(t testing.TB, now time.Time) *samlIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "idp.example.com"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := url.Parse("https://idp.example.com/metadata")
	sso, _ := url.Parse("https://idp.example.com/sso")
	return &samlIdP{now: now, idp: &saml.IdentityProvider{Key: key, Certificate: cert, MetadataURL: *md, SSOURL: *sso,
		ServiceProviderProvider: awsSP{acs: samlSignIn}, Clock: dsig.NewFakeClockAt(now)}}
}

func (s *samlIdP) metadata(t testing.TB) string {
	t.Helper()
	b, err := xml.Marshal(s.idp.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// responseOptions shape one response: the ACS it is sent to, a change
// to the assertion before it is signed, and what is signed.
type responseOptions struct {
	acs    string
	mutate func(*saml.Assertion)
	sign   string // "both" (default), "assertion", "none"
}

const (
	testSAMLARN  = "arn:aws:iam::000000000000:saml-provider/corp"
	testRole     = "arn:aws:iam::000000000000:role/Engineers"
	otherSAMLARN = "arn:aws:iam::000000000000:saml-provider/other"
)

// response is a base64-encoded SAML Response of the IdP for AWS, as the
// IdP would post it to AWS's sign-in endpoint.
func (s *samlIdP) response(t testing.TB, o responseOptions) string {
	t.Helper()
	if o.acs != "" {
		s.idp.ServiceProviderProvider = awsSP{acs: o.acs}
		defer func() { s.idp.ServiceProviderProvider = awsSP{acs: samlSignIn} }()
	}
	req, err := s.idp.NewIdpInitiatedRequest(httptest.NewRequest("POST", "https://idp.example.com/sso", nil), samlAudience, "")
	if err != nil {
		t.Fatal(err)
	}
	str := func(name string, values ...string) saml.Attribute {
		a := saml.Attribute{Name: name, NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}
		for _, v := range values {
			a.Values = append(a.Values, saml.AttributeValue{Type: "xs:string", Value: v})
		}
		return a
	}
	session := &saml.Session{ID: "s-1", CreateTime: s.now, ExpireTime: s.now.Add(time.Hour), Index: "1",
		NameID: "jdoe", NameIDFormat: string(saml.PersistentNameIDFormat), UserEmail: "jdoe@example.com",
		CustomAttributes: []saml.Attribute{
			str(samlRoleAttr, testRole+","+testSAMLARN, "arn:aws:iam::000000000000:role/Elsewhere,"+otherSAMLARN),
			str("https://aws.amazon.com/SAML/Attributes/RoleSessionName", "jdoe"),
			str("department", "engineering", "platform"),
		}}
	if err := (saml.DefaultAssertionMaker{}).MakeAssertion(req, session); err != nil {
		t.Fatal(err)
	}
	if o.mutate != nil {
		o.mutate(req.Assertion)
	}
	var root *etree.Element
	switch o.sign {
	case "", "both":
		if err := req.MakeResponse(); err != nil {
			t.Fatal(err)
		}
		root = req.ResponseEl
	case "assertion", "none":
		assertion := req.Assertion.Element()
		if o.sign == "assertion" {
			if err := req.MakeAssertionEl(); err != nil {
				t.Fatal(err)
			}
			assertion = req.AssertionEl
		}
		resp := saml.Response{Destination: req.ACSEndpoint.Location, ID: "id-unsigned-response", IssueInstant: s.now, Version: "2.0",
			Issuer: &saml.Issuer{Value: s.idp.MetadataURL.String()}, Status: saml.Status{StatusCode: saml.StatusCode{Value: saml.StatusSuccess}}}
		root = resp.Element()
		root.AddChild(assertion)
	}
	doc := etree.NewDocument()
	doc.SetRoot(root)
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func newSAMLVerifier(t testing.TB, clk *clock, metadata string) (*Verifier, withSAML) {
	t.Helper()
	p := withSAML{providers: providers{}, saml: map[string]SAMLProvider{testSAMLARN: {ARN: testSAMLARN, MetadataDocument: metadata}}}
	v, err := New(Config{IDTokens: &idTokens{}, Providers: p, AccountID: "000000000000", PublicURL: "http://127.0.0.1:9229",
		MasterKey: testKey, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	return v, p
}

func TestSAMLLogins(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	clk := &clock{now}
	idp := newSAMLIdP(t, now)
	v, _ := newSAMLVerifier(t, clk, idp.metadata(t))
	trust := Trust{IdentityPoolID: "us-east-1:4f7e6b52-0000-4000-8000-000000000000", SAMLProviderARNs: []string{testSAMLARN}}

	good := idp.response(t, responseOptions{})
	l, err := v.Verify(t.Context(), trust, testSAMLARN, good)
	if err != nil {
		t.Fatal(err)
	}
	if l.Provider != testSAMLARN || l.Subject != "jdoe" || !slices.Equal(l.Roles, []string{testRole}) || l.PreferredRole != "" {
		t.Fatalf("login %+v", l)
	}
	if d, _ := l.Claims["department"].([]string); !slices.Equal(d, []string{"engineering", "platform"}) {
		t.Fatalf("claims %v", l.Claims)
	}
	if mail, _ := l.Claims["urn:oid:0.9.2342.19200300.100.1.3"].([]string); !slices.Equal(mail, []string{"jdoe@example.com"}) {
		t.Fatalf("claims %v", l.Claims)
	}
	if l.Expires.IsZero() || !l.Expires.After(now) || l.Expires.After(now.Add(10*time.Minute)) {
		t.Fatalf("expires %v (now %v)", l.Expires, now)
	}

	// Signed assertion in an unsigned response; folded base64; the
	// regional sign-in endpoint of the pool's region; the other audience
	// AWS names.
	folded := strings.Join(slices.Collect(chunks(good, 76)), "\r\n")
	for name, token := range map[string]string{
		"assertion signed": idp.response(t, responseOptions{sign: "assertion"}),
		"folded base64":    folded,
		"regional sign-in": idp.response(t, responseOptions{acs: "https://us-east-1.signin.aws.amazon.com/saml"}),
		"sign-in audience": idp.response(t, responseOptions{mutate: func(a *saml.Assertion) {
			a.Conditions.AudienceRestrictions = []saml.AudienceRestriction{{Audience: saml.Audience{Value: samlSignIn}}}
		}}),
	} {
		if l, err := v.Verify(t.Context(), trust, testSAMLARN, token); err != nil || l.Subject != "jdoe" {
			t.Errorf("%s: %+v, %v", name, l, err)
		}
	}

	other := newSAMLIdP(t, now)
	cases := []struct {
		name, arn, token string
		trust            Trust
		at               time.Time
		want             string
	}{
		{name: "unsigned", token: idp.response(t, responseOptions{sign: "none"}), want: "SAML response is not signed."},
		{name: "attribute altered", token: alter(t, good, "engineering", "management"), want: "Couldn't verify signed token."},
		{name: "another IdP's key", token: other.response(t, responseOptions{}), want: "Couldn't verify signed token."},
		{name: "expired", token: good, at: now.Add(10 * time.Minute), want: "Token expired."},
		{name: "not yet valid", token: good, at: now.Add(-10 * time.Minute), want: "Token is not yet valid."},
		{name: "wrong audience", token: idp.response(t, responseOptions{mutate: func(a *saml.Assertion) {
			a.Conditions.AudienceRestrictions = []saml.AudienceRestriction{{Audience: saml.Audience{Value: "https://sp.example.com"}}}
		}}), want: "Incorrect token audience."},
		{name: "wrong recipient", token: idp.response(t, responseOptions{acs: "https://sp.example.com/acs"}),
			want: "Incorrect SAML response recipient."},
		{name: "another region's sign-in", token: idp.response(t, responseOptions{acs: "https://eu-west-1.signin.aws.amazon.com/saml"}),
			want: "Incorrect SAML response recipient."},
		{name: "wrong issuer", token: idp.response(t, responseOptions{mutate: func(a *saml.Assertion) {
			a.Issuer.Value = "https://evil.example.com"
		}}), want: "Incorrect token issuer."},
		{name: "ARN not in trust", token: good, trust: Trust{IdentityPoolID: trust.IdentityPoolID},
			want: "Token is not from a supported provider of this identity pool."},
		{name: "provider unknown to IAM", arn: otherSAMLARN, token: good,
			trust: Trust{IdentityPoolID: trust.IdentityPoolID, SAMLProviderARNs: []string{otherSAMLARN}},
			want:  "Token is not from a supported provider of this identity pool."},
		{name: "not an ARN of a SAML provider", arn: "arn:aws:iam::000000000000:role/x", token: good,
			trust: Trust{SAMLProviderARNs: []string{"arn:aws:iam::000000000000:role/x"}},
			want:  "Token is not from a supported provider of this identity pool."},
		{name: "garbage base64", token: "%%%not base64%%%", want: "Not a valid SAML response."},
		{name: "not XML", token: base64.StdEncoding.EncodeToString([]byte("hello")), want: "Not a valid SAML response."},
		{name: "DTD", token: base64.StdEncoding.EncodeToString([]byte(
			`<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&b;</samlp:Response>`)),
			want: "Not a valid SAML response."},
		{name: "oversized", token: strings.Repeat("A", maxTokenBytes+1), want: "Token is too long."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			arn, tr := testSAMLARN, trust
			if c.arn != "" {
				arn = c.arn
			}
			if c.trust.SAMLProviderARNs != nil || c.trust.IdentityPoolID != "" {
				tr = c.trust
			}
			clk.t = now
			if !c.at.IsZero() {
				clk.t = c.at
			}
			defer func() { clk.t = now }()
			_, err := v.Verify(t.Context(), tr, arn, c.token)
			wantNotAuthorized(t, c.name, err)
			if e := err.(*apierr.Error); e.Message != "Invalid login token. "+c.want {
				t.Fatalf("message %q, want %q", e.Message, c.want)
			}
		})
	}
}

func TestSAMLMetadataCache(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	clk := &clock{now}
	idp := newSAMLIdP(t, now)
	v, p := newSAMLVerifier(t, clk, idp.metadata(t))
	trust := Trust{IdentityPoolID: "us-east-1:p", SAMLProviderARNs: []string{testSAMLARN}}
	token := idp.response(t, responseOptions{})
	for range 3 {
		if _, err := v.Verify(t.Context(), trust, testSAMLARN, token); err != nil {
			t.Fatal(err)
		}
	}
	if n := v.metadata.Len(); n != 1 {
		t.Fatalf("%d cached metadata documents, want 1", n)
	}
	// IAM's document changes to another IdP's: the old key no longer
	// verifies, the new one does.
	next := newSAMLIdP(t, now)
	p.saml[testSAMLARN] = SAMLProvider{ARN: testSAMLARN, MetadataDocument: next.metadata(t)}
	_, err := v.Verify(t.Context(), trust, testSAMLARN, token)
	wantNotAuthorized(t, "rotated metadata", err)
	if _, err := v.Verify(t.Context(), trust, testSAMLARN, next.response(t, responseOptions{})); err != nil {
		t.Fatal(err)
	}
	if n := v.metadata.Len(); n != 2 {
		t.Fatalf("%d cached metadata documents, want 2", n)
	}
	// Metadata that does not parse refuses the login, and is not cached.
	p.saml[testSAMLARN] = SAMLProvider{ARN: testSAMLARN, MetadataDocument: "<x/>"}
	_, err = v.Verify(t.Context(), trust, testSAMLARN, token)
	wantNotAuthorized(t, "bad metadata", err)
	if n := v.metadata.Len(); n != 2 {
		t.Fatalf("%d cached metadata documents, want 2", n)
	}
}

func TestSAMLRole(t *testing.T) {
	for pair, want := range map[string]string{
		testRole + "," + testSAMLARN:                      testRole,
		testSAMLARN + "," + testRole:                      testRole,
		" " + testRole + " , " + testSAMLARN + " ":        testRole,
		testRole + "," + otherSAMLARN:                     "",
		testRole:                                          "",
		testSAMLARN + "," + testSAMLARN:                   "",
		"arn:aws:iam::000000000000:user/u," + testSAMLARN: "",
	} {
		got, ok := samlRole(pair, testSAMLARN)
		if got != want || ok != (want != "") {
			t.Errorf("samlRole(%q) = %q, %v; want %q", pair, got, ok, want)
		}
	}
}

// alter decodes a response, replaces old by new in it, and encodes it.
func alter(t testing.TB, token, old, new string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(token)
	if err != nil || !strings.Contains(string(b), old) {
		t.Fatalf("%q is not in the response (%v)", old, err)
	}
	return base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(b), old, new, 1)))
}

func chunks(s string, n int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}
