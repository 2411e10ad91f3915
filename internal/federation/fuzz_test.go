package federation

import (
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
