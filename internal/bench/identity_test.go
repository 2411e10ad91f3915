package bench

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// TestRunIdentity runs the identity operation alone against a real server:
// the set-up makes the identity pool and its IAM role and checks a pair per
// session, then every measured pair must succeed.
func TestRunIdentity(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server")
	}
	url := startServer(t)
	o := Options{Endpoint: url, Region: "us-east-1", Concurrency: 4, Duration: 300 * time.Millisecond,
		Warmup: 50 * time.Millisecond, Rounds: 2, Ops: []string{OpIdentity}, Users: 3, Sessions: 3,
		FloorDuration: 50 * time.Millisecond, AdminKeyID: testKeyID, AdminSecret: testSecret}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Run(ctx, o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Operations) != 1 || r.Operations[0].Op != OpIdentity {
		t.Fatalf("operations %+v, want identity alone", r.Operations)
	}
	s := r.Operations[0]
	if s.Count == 0 || s.Errors != 0 {
		t.Errorf("identity: %d pairs, %d errors (first: %s)", s.Count, s.Errors, s.FirstError)
	}
	if s.Floor == nil || s.Floor.Throughput <= 0 || s.Floor.ServerCrypto <= 0 {
		t.Errorf("identity floor %+v", s.Floor)
	}
	if !strings.HasPrefix(r.Setup.IdentityPoolID, "us-east-1:") || !strings.HasPrefix(r.Setup.RoleARN, "arn:aws:iam::") ||
		r.Setup.Identities != 3 {
		t.Errorf("setup %+v", r.Setup)
	}

	// A second run on the same user pool makes an identity pool of its own.
	o.PoolID, o.ClientID, o.ReuseUsers = r.PoolID, r.ClientID, true
	r2, err := Run(ctx, o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Setup.IdentityPoolID == r.Setup.IdentityPoolID || r2.Operations[0].Errors != 0 || r2.Operations[0].Count == 0 {
		t.Errorf("second run: setup %+v, %+v", r2.Setup, r2.Operations[0])
	}
}

// TestIdentitySetupRefused checks that what the server refuses fails the
// set-up instead of being measured: ID tokens of another app client than
// the one the identity pool trusts, and a role name IAM does not accept.
func TestIdentitySetupRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server")
	}
	url := startServer(t)
	o := Options{Endpoint: url, Region: "us-east-1", Concurrency: 2, Duration: time.Second, Rounds: 1,
		Ops: []string{OpGetUser}, Users: 2, Sessions: 2, AdminKeyID: testKeyID, AdminSecret: testSecret}
	hc := httpClient(o.Concurrency)
	defer hc.CloseIdleConnections()
	raw := newRawClient(url, hc, 4)
	defer raw.close()
	admin := &adminClient{raw: raw, keyID: testKeyID, secret: testSecret, host: raw.host, region: o.Region}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f, st, err := prepare(ctx, o, admin, raw, raw, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	other, err := admin.createClient(ctx, f.poolID, "cognate-bench-other", clientFlows)
	if err != nil {
		t.Fatal(err)
	}
	f.clientID = other // the sessions' ID tokens are the first client's
	err = prepareIdentity(ctx, o, admin, raw, f, &st, io.Discard)
	var api *APIError
	if !errors.As(err, &api) || api.Code != "NotAuthorizedException" || st.Identities != 0 {
		t.Errorf("identity set-up with another client's tokens: %v, %d identities; want NotAuthorizedException", err, st.Identities)
	}

	_, err = admin.createRole(ctx, "no spaces in role names", `{"Version":"2012-10-17","Statement":[]}`)
	if !errors.As(err, &api) || api.Status != 400 || api.Code == "UnknownError" {
		t.Errorf("CreateRole with a bad name: %v, want IAM's error", err)
	}
}

func TestCheckCredentials(t *testing.T) {
	const id = "us-east-1:5f7e1c1a-8b4e-4f43-9a51-1d2c3b4a5e6f"
	good := identityCredentials{IdentityID: id, AccessKeyID: "ASIAQWERTYUIOPASDFGH", SecretKey: "s", SessionToken: "t"}
	cases := []struct {
		name string
		edit func(*identityCredentials)
		want string
	}{
		{"good", func(*identityCredentials) {}, ""},
		{"long-term key", func(c *identityCredentials) { c.AccessKeyID = "AKIAQWERTYUIOPASDFGH" }, "not a temporary one"},
		{"short key", func(c *identityCredentials) { c.AccessKeyID = "ASIA" }, "not a temporary one"},
		{"no key", func(c *identityCredentials) { c.AccessKeyID = "" }, "not a temporary one"},
		{"no secret", func(c *identityCredentials) { c.SecretKey = "" }, "no secret key"},
		{"no token", func(c *identityCredentials) { c.SessionToken = "" }, "no secret key or session token"},
		{"other identity", func(c *identityCredentials) { c.IdentityID = "us-east-1:other" }, "answered identity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			creds := good
			c.edit(&creds)
			err := creds.check(id)
			if c.want == "" {
				if err != nil {
					t.Errorf("check = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("check = %v, want %q", err, c.want)
			}
		})
	}
}

// TestTrustPolicy checks the role's trust policy names the identity pool
// and authenticated identities.
func TestTrustPolicy(t *testing.T) {
	doc, err := trustPolicy("us-east-1:abc")
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Statement []struct {
			Effect, Action string
			Principal      struct{ Federated string }
			Condition      map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil || len(p.Statement) != 1 {
		t.Fatalf("%s: %v", doc, err)
	}
	st := p.Statement[0]
	if st.Effect != "Allow" || st.Action != "sts:AssumeRoleWithWebIdentity" || st.Principal.Federated != "cognito-identity.amazonaws.com" ||
		st.Condition["StringEquals"]["cognito-identity.amazonaws.com:aud"] != "us-east-1:abc" ||
		st.Condition["ForAnyValue:StringLike"]["cognito-identity.amazonaws.com:amr"] != "authenticated" {
		t.Errorf("trust policy %s", doc)
	}
}
