package federation

import (
	"encoding/base64"
	"reflect"
	"slices"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary provider names and tokens to Verify and
// VerifyWebIdentity: neither may panic, and nothing unverified is accepted.
func FuzzVerify(f *testing.F) {
	for _, s := range [][2]string{
		{"cognito-idp.us-east-1.amazonaws.com/us-east-1_pool", "good"},
		{IdentityProvider, "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJodHRwczovL2NvZ25pdG8taWRlbnRpdHkuYW1hem9uYXdzLmNvbSJ9.AAAA"},
		{"127.0.0.1:9229/us-east-1_x", "a.b.c"},
		{"accounts.google.com", "x"},
		{"", ""},
	} {
		f.Add(s[0], s[1])
	}
	clk := &clock{time.Now()}
	v, err := New(Config{IDTokens: &idTokens{}, Providers: providers{}, AccountID: "000000000000", PublicURL: "http://127.0.0.1:9229",
		MasterKey: testKey, Now: clk.now})
	if err != nil {
		f.Fatal(err)
	}
	trust := Trust{IdentityPoolID: "us-east-1:p", CognitoProviders: []CognitoProvider{{ProviderName: "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool", ClientID: "app"}}}
	f.Fuzz(func(t *testing.T, provider, token string) {
		if l, err := v.Verify(t.Context(), trust, provider, token); err == nil && token != "good" {
			t.Fatalf("Verify(%q, %q) accepted: %+v", provider, token, l)
		}
		if w, err := v.VerifyWebIdentity(t.Context(), token, ""); err == nil {
			t.Fatalf("VerifyWebIdentity(%q) accepted: %+v", token, w)
		}
	})
}

// FuzzVerifySAML feeds arbitrary SAML responses to Verify under a trusted
// SAML provider: it may not panic, and whatever it accepts must prove what
// the one genuine seed proves, for nothing it did not verify may change
// the login. Under -fuzz each worker first runs this set-up, whose
// 2048-bit RSA key generation is slow with coverage instrumentation: the
// first ten or so seconds show no executions, then it runs at thousands a
// second.
func FuzzVerifySAML(f *testing.F) {
	now := time.Now().UTC().Truncate(time.Second)
	clk := &clock{now}
	idp := newSAMLIdP(f, now)
	v, _ := newSAMLVerifier(f, clk, idp.metadata(f))
	trust := Trust{IdentityPoolID: "us-east-1:p", SAMLProviderARNs: []string{testSAMLARN}}
	good := idp.response(f, responseOptions{})
	want, err := v.Verify(f.Context(), trust, testSAMLARN, good)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		good,
		idp.response(f, responseOptions{sign: "assertion"}),
		idp.response(f, responseOptions{sign: "none"}),
		alter(f, good, "engineering", "management"),
		base64.StdEncoding.EncodeToString([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Version="2.0"/>`)),
		"", "%%%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		l, err := v.Verify(t.Context(), trust, testSAMLARN, token)
		if err != nil {
			return
		}
		if l.Subject != want.Subject || !slices.Equal(l.Roles, want.Roles) || !reflect.DeepEqual(l.Claims, want.Claims) || !l.Expires.Equal(want.Expires) {
			t.Fatalf("accepted a login that differs from the genuine one: %+v", l)
		}
	})
}
