package bench

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// userPoolIDType is the service model's pattern for pool ids.
var userPoolIDType = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)

func TestForgedPoolIDs(t *testing.T) {
	seen := map[string]bool{}
	for i := range 1000 {
		for _, n := range []int{maxPoolIDLen, 300} {
			id := forgedPoolID("us-east-1", "18a2b3c4d5e6f708", i, n)
			if len(id) != n || !userPoolIDType.MatchString(id) {
				t.Fatalf("forgedPoolID(%d, %d) = %q (%d characters)", i, n, id, len(id))
			}
			if seen[id] {
				t.Fatalf("forgedPoolID(%d, %d) = %q twice", i, n, id)
			}
			seen[id] = true
		}
	}
}

func TestForgedToken(t *testing.T) {
	token, err := forgedToken("http://127.0.0.1:9229/", "us-east-1_Abc", "client1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	var header struct{ Kid, Alg string }
	var claims floorAccessClaims
	for i, v := range []any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	if kid, err := base64.StdEncoding.DecodeString(header.Kid); err != nil || len(kid) != 32 || header.Alg != "RS256" {
		t.Errorf("header %+v: want a kid of 32 bytes and RS256", header)
	}
	if claims.Issuer != "http://127.0.0.1:9229/us-east-1_Abc" || claims.TokenUse != "access" || claims.ClientID != "client1" {
		t.Errorf("claims %+v", claims)
	}
}

// TestRunForged sends forged tokens to a server in this process: every one
// must be refused, and the report must carry the memory figures. It
// asserts no figure: the server shares this process's memory.
func TestRunForged(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a server")
	}
	url := startServer(t)
	o := Options{Endpoint: url, Region: "us-east-1", Concurrency: 4, Duration: time.Second, Rounds: 1,
		Ops: []string{OpForged}, Users: 1, Sessions: 1, Forged: 200, ForgedIDLen: 2048,
		FloorDuration: time.Second, AdminKeyID: testKeyID, AdminSecret: testSecret}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := Run(ctx, o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Operations) != 1 {
		t.Fatalf("%d operations reported, want 1", len(r.Operations))
	}
	s := r.Operations[0]
	if s.Op != OpForged || s.Count != 200 || s.Errors != 0 {
		t.Errorf("%s: %d refused, %d other answers (first: %s); want 200 refused", s.Op, s.Count, s.Errors, s.FirstError)
	}
	if s.Floor != nil {
		t.Errorf("forged has a floor: %+v", s.Floor)
	}
	if f := s.Forged; f == nil || f.Requests != 200 || f.RSSBeforeKB <= 0 || f.RSSAfterKB <= 0 || f.LongIDLen != 2048 {
		t.Errorf("forged stats %+v", s.Forged)
	}
}
