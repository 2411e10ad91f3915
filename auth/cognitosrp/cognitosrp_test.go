package cognitosrp

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

// testClient is a client with a fixed a, and a challenge for it that is
// well-formed (the numbers need not come from a real server).
func testClient(t testing.TB) *Client {
	t.Helper()
	c, err := NewClient("us-east-1_AbCdEf123", "alice", "Passw0rd!", WithRandom(bytes.NewReader(bytes.Repeat([]byte{7}, SecretSize))))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const (
	testSalt  = "5a1f0c3e9b7d2a4c6e8f0a1b2c3d4e5f"
	testB     = "3c2d5e"
	testBlock = "+/+/AAEC"
)

var testNow = time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC)

func TestNewClient(t *testing.T) {
	tests := []struct {
		poolID, wantName string
		wantErr          error
	}{
		{"us-east-1_AbCdEf123", "AbCdEf123", nil},
		{"eu-west-2_x", "x", nil},
		{"_abc", "abc", nil},
		{"us-east-1_abc_def", "abc", nil},
		{"", "", ErrPoolID},
		{"us-east-1", "", ErrPoolID},
		{"us-east-1_", "", ErrPoolID},
	}
	for _, tt := range tests {
		c, err := NewClient(tt.poolID, "u", "p")
		if !errors.Is(err, tt.wantErr) || (err == nil && c.poolName != tt.wantName) {
			t.Errorf("NewClient(%q) = %+v, %v, want pool name %q, error %v", tt.poolID, c, err, tt.wantName, tt.wantErr)
		}
	}
}

func TestNewClientRandom(t *testing.T) {
	a, _ := NewClient("r_p", "u", "p")
	b, _ := NewClient("r_p", "u", "p")
	if a.PublicA() == b.PublicA() || a.a.BitLen() < 1000 {
		t.Fatalf("a is not random: %x, %x", a.a, b.a)
	}
	// A zero a is drawn again.
	r := bytes.NewReader(append(make([]byte, SecretSize), bytes.Repeat([]byte{1}, SecretSize)...))
	c, err := NewClient("r_p", "u", "p", WithRandom(r))
	if err != nil || c.a.Sign() == 0 {
		t.Fatalf("NewClient = %v, %v", c, err)
	}
	if _, err := NewClient("r_p", "u", "p", WithRandom(bytes.NewReader(make([]byte, SecretSize-1)))); err == nil {
		t.Fatal("a short random source went unnoticed")
	}
}

func TestClientParameters(t *testing.T) {
	c := testClient(t)
	want := new(big.Int).Exp(big.NewInt(2), new(big.Int).SetBytes(bytes.Repeat([]byte{7}, SecretSize)), n).Text(16)
	if c.PublicA() != want {
		t.Fatalf("PublicA = %s, want %s", c.PublicA(), want)
	}
	p := c.AuthParameters()
	if len(p) != 2 || p["USERNAME"] != "alice" || p["SRP_A"] != want || c.Username() != "alice" {
		t.Fatalf("AuthParameters = %v", p)
	}
}

func TestClaimSignatureRejects(t *testing.T) {
	nHex := n.Text(16)
	tests := []struct {
		name                      string
		userID, salt, srpB, block string
		want                      error
	}{
		{"B zero", "alice", testSalt, "0", testBlock, ErrServerPublic},
		{"B zeros", "alice", testSalt, "0000", testBlock, ErrServerPublic},
		{"B = N", "alice", testSalt, nHex, testBlock, ErrServerPublic},
		{"B = N uppercase", "alice", testSalt, strings.ToUpper(nHex), testBlock, ErrServerPublic},
		{"B = 2N", "alice", testSalt, new(big.Int).Lsh(n, 1).Text(16), testBlock, ErrServerPublic},
		{"B missing", "alice", testSalt, "", testBlock, ErrChallenge},
		{"B negative", "alice", testSalt, "-3c2d5e", testBlock, ErrChallenge},
		{"B prefixed", "alice", testSalt, "0x3c2d5e", testBlock, ErrChallenge},
		{"B too long", "alice", testSalt, strings.Repeat("1", maxParamHex+1), testBlock, ErrChallenge},
		{"salt missing", "alice", "", testB, testBlock, ErrChallenge},
		{"salt negative", "alice", "-16e462a84f2df159eee0c14642974ee7", testB, testBlock, ErrChallenge},
		{"salt not hex", "alice", "salt", testB, testBlock, ErrChallenge},
		{"user missing", "", testSalt, testB, testBlock, ErrChallenge},
		{"block missing", "alice", testSalt, testB, "", ErrChallenge},
		{"block not base64", "alice", testSalt, testB, "!!!!", ErrChallenge},
	}
	c := testClient(t)
	for _, tt := range tests {
		sig, ts, err := c.ClaimSignature(tt.userID, tt.salt, tt.srpB, tt.block, testNow)
		if !errors.Is(err, tt.want) || sig != "" || ts != "" {
			t.Errorf("%s: ClaimSignature = %q, %q, %v, want %v", tt.name, sig, ts, err, tt.want)
		}
	}
}

func TestCheckServerValues(t *testing.T) {
	tests := []struct {
		name string
		B, u *big.Int
		want error
	}{
		{"fine", big.NewInt(5), big.NewInt(1), nil},
		{"B = 0", big.NewInt(0), big.NewInt(1), ErrServerPublic},
		{"B = N", n, big.NewInt(1), ErrServerPublic},
		{"B = 3N", new(big.Int).Mul(n, big.NewInt(3)), big.NewInt(1), ErrServerPublic},
		{"B = N+1", new(big.Int).Add(n, big.NewInt(1)), big.NewInt(1), nil},
		{"u = 0", big.NewInt(5), big.NewInt(0), ErrScrambler},
	}
	for _, tt := range tests {
		if err := checkServerValues(tt.B, tt.u); !errors.Is(err, tt.want) {
			t.Errorf("%s: checkServerValues = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestSecretBlockEncodings(t *testing.T) {
	raw := []byte{0xfb, 0xff, 0xbf, 0x00, 0x01, 0x02, 0xfe}
	c := testClient(t)
	want, _, err := c.ClaimSignature("alice", testSalt, testB, base64.StdEncoding.EncodeToString(raw), testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		got, _, err := c.ClaimSignature("alice", testSalt, testB, enc.EncodeToString(raw), testNow)
		if err != nil || got != want {
			t.Errorf("SECRET_BLOCK %q: signature %s, %v, want %s", enc.EncodeToString(raw), got, err, want)
		}
	}
}

func TestChallengeResponses(t *testing.T) {
	c := testClient(t)
	params := map[string]string{
		"USER_ID_FOR_SRP": "3f2b9c1e-8d4a-4f6b-9e2d-7c1a5b3e9f04",
		"USERNAME":        "3f2b9c1e-8d4a-4f6b-9e2d-7c1a5b3e9f04",
		"SALT":            testSalt,
		"SRP_B":           testB,
		"SECRET_BLOCK":    testBlock,
	}
	got, err := c.ChallengeResponses(params, testNow)
	if err != nil {
		t.Fatal(err)
	}
	sig, ts, _ := c.ClaimSignature(params["USER_ID_FOR_SRP"], testSalt, testB, testBlock, testNow)
	want := map[string]string{
		"USERNAME":                    params["USER_ID_FOR_SRP"],
		"PASSWORD_CLAIM_SECRET_BLOCK": testBlock,
		"PASSWORD_CLAIM_SIGNATURE":    sig,
		"TIMESTAMP":                   ts,
	}
	if len(got) != len(want) {
		t.Fatalf("ChallengeResponses = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	delete(params, "SRP_B")
	if _, err := c.ChallengeResponses(params, testNow); !errors.Is(err, ErrChallenge) {
		t.Errorf("without SRP_B: %v, want ErrChallenge", err)
	}
}

func TestFormatTimestamp(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 3, 9, 4, 5, 0, time.UTC), "Tue Nov 3 09:04:05 UTC 2026"},
		{time.Date(2026, 11, 13, 9, 4, 5, 999_999_999, time.UTC), "Fri Nov 13 09:04:05 UTC 2026"},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "Fri Jan 1 00:00:00 UTC 2027"},
		{time.Date(2028, 2, 29, 23, 59, 59, 0, time.UTC), "Tue Feb 29 23:59:59 UTC 2028"},
		// Another zone is written in UTC: here the day changes too.
		{time.Date(2026, 11, 10, 1, 30, 0, 0, time.FixedZone("CET", 3600)), "Tue Nov 10 00:30:00 UTC 2026"},
		{time.Date(2026, 11, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "Sat Oct 31 23:30:00 UTC 2026"},
	}
	for _, tt := range tests {
		if got := FormatTimestamp(tt.in); got != tt.want {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
