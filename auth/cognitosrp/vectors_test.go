package cognitosrp

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"maps"
	"math/big"
	"os"
	"testing"
	"time"
)

// vectorsPath is the file test/js/srp-vectors.mjs writes from
// amazon-cognito-identity-js and Amplify JS v6; the server package owns it.
const vectorsPath = "../../internal/srp/testdata/cognito-identity-js-vectors.json"

type vectorFile struct {
	Group   struct{ N, G, K string }
	Cases   []vectorCase   `json:"cases"`
	Devices []deviceVector `json:"devices"`
	Times   []struct {
		UnixMillis int64  `json:"unixMillis"`
		Timestamp  string `json:"timestamp"`
	} `json:"timestamps"`
	SecretHashes []struct {
		Username, ClientID, ClientSecret, SecretHash string
	} `json:"secretHashes"`
}

type vectorCase struct {
	Name, PoolID, UserID, Password    string
	Salt, SaltParam                   string
	A, X, B, U, S                     string
	SmallA                            string `json:"a"`
	HKDFKey                           string `json:"hkdfKey"`
	SecretBlock, Timestamp, Signature string
}

// deviceVector is a remembered device's ConfirmDevice and sign-in, as
// test/js/srp-vectors.mjs computes them.
type deviceVector struct {
	Name, PoolID, DeviceGroupKey, DeviceKey string
	RandomBytes, DevicePassword             string
	Salt, Verifier                          string
	ConfirmDevice                           struct{ Salt, PasswordVerifier string }
	SmallA                                  string `json:"a"`
	A, X, B, SaltParam, U, S                string
	HKDFKey                                 string `json:"hkdfKey"`
	SecretBlock, Timestamp, Signature       string
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 || len(f.Times) == 0 || len(f.SecretHashes) == 0 || len(f.Devices) == 0 {
		t.Fatalf("%s is missing vectors", vectorsPath)
	}
	return f
}

// fixedA returns a reader yielding the vector's a as SecretSize bytes.
func fixedA(t testing.TB, h string) *bytes.Reader {
	t.Helper()
	a, ok := new(big.Int).SetString(h, 16)
	if !ok {
		t.Fatalf("bad a %q", h)
	}
	return bytes.NewReader(a.FillBytes(make([]byte, SecretSize)))
}

func mustParseTime(t testing.TB, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(TimestampLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestVectorsGroup(t *testing.T) {
	f := loadVectors(t)
	for name, got := range map[string]string{f.Group.N: n.Text(16), f.Group.G: g.Text(16), f.Group.K: k.Text(16)} {
		if got != name {
			t.Errorf("group constant %s, want %s", got, name)
		}
	}
}

func TestVectorsClient(t *testing.T) {
	for _, v := range loadVectors(t).Cases {
		t.Run(v.Name, func(t *testing.T) {
			c, err := NewClient(v.PoolID, v.UserID, v.Password, WithRandom(fixedA(t, v.SmallA)))
			if err != nil {
				t.Fatal(err)
			}
			if c.PublicA() != v.A {
				t.Fatalf("A = %s, want %s", c.PublicA(), v.A)
			}
			salt, _ := new(big.Int).SetString(v.SaltParam, 16)
			bigB, _ := new(big.Int).SetString(v.B, 16)
			x := c.privateKey(v.UserID, salt)
			u := scrambler(c.bigA, bigB)
			if x.Text(16) != v.X || u.Text(16) != v.U {
				t.Fatalf("x, u = %x, %x, want %s, %s", x, u, v.X, v.U)
			}
			if S := c.premaster(bigB, x, u); S.Text(16) != v.S {
				t.Fatalf("S = %x, want %s", S, v.S)
			}
			key, err := c.passwordKey(v.UserID, salt, bigB)
			if err != nil || hex.EncodeToString(key) != v.HKDFKey {
				t.Fatalf("key = %x, %v, want %s", key, err, v.HKDFKey)
			}
			now := mustParseTime(t, v.Timestamp).In(time.FixedZone("CET", 3600))
			// SALT as sent and as stored (with leading zero bytes) are the
			// same integer.
			for _, saltHex := range []string{v.SaltParam, v.Salt} {
				sig, ts, err := c.ClaimSignature(v.UserID, saltHex, v.B, v.SecretBlock, now)
				if err != nil || sig != v.Signature || ts != v.Timestamp {
					t.Errorf("ClaimSignature(salt %s) = %s, %q, %v, want %s, %q", saltHex, sig, ts, err, v.Signature, v.Timestamp)
				}
			}
		})
	}
}

func TestVectorsTimestamps(t *testing.T) {
	for _, v := range loadVectors(t).Times {
		if got := FormatTimestamp(time.UnixMilli(v.UnixMillis)); got != v.Timestamp {
			t.Errorf("FormatTimestamp(%d) = %q, want %q", v.UnixMillis, got, v.Timestamp)
		}
	}
}

func TestVectorsSecretHash(t *testing.T) {
	for _, v := range loadVectors(t).SecretHashes {
		if got := SecretHash(v.Username, v.ClientID, v.ClientSecret); got != v.SecretHash {
			t.Errorf("SecretHash(%q, %q) = %s, want %s", v.Username, v.ClientID, got, v.SecretHash)
		}
	}
}

func TestVectorsDeviceSecret(t *testing.T) {
	for _, v := range loadVectors(t).Devices {
		t.Run(v.Name, func(t *testing.T) {
			random, err := hex.DecodeString(v.RandomBytes)
			if err != nil {
				t.Fatal(err)
			}
			got, err := NewDeviceSecret(v.DeviceGroupKey, v.DeviceKey, WithRandom(bytes.NewReader(random)))
			if err != nil {
				t.Fatal(err)
			}
			want := DeviceSecret{Password: v.DevicePassword, Salt: v.ConfirmDevice.Salt, PasswordVerifier: v.ConfirmDevice.PasswordVerifier}
			if got != want {
				t.Fatalf("NewDeviceSecret = %+v, want %+v", got, want)
			}
		})
	}
}

func TestVectorsDeviceClient(t *testing.T) {
	for _, v := range loadVectors(t).Devices {
		t.Run(v.Name, func(t *testing.T) {
			d, err := NewDeviceClient(v.DeviceGroupKey, v.DeviceKey, v.DevicePassword, WithRandom(fixedA(t, v.SmallA)))
			if err != nil {
				t.Fatal(err)
			}
			if d.PublicA() != v.A {
				t.Fatalf("A = %s, want %s", d.PublicA(), v.A)
			}
			auth := d.AuthResponses("alice")
			if auth["USERNAME"] != "alice" || auth["DEVICE_KEY"] != v.DeviceKey || auth["SRP_A"] != v.A {
				t.Fatalf("AuthResponses = %v", auth)
			}
			salt, _ := new(big.Int).SetString(v.SaltParam, 16)
			bigB, _ := new(big.Int).SetString(v.B, 16)
			if x := d.c.privateKey(v.DeviceKey, salt); x.Text(16) != v.X {
				t.Fatalf("x = %x, want %s", x, v.X)
			}
			key, err := d.c.passwordKey(v.DeviceKey, salt, bigB)
			if err != nil || hex.EncodeToString(key) != v.HKDFKey {
				t.Fatalf("key = %x, %v, want %s", key, err, v.HKDFKey)
			}
			params := map[string]string{"SALT": v.SaltParam, "SRP_B": v.B, "SECRET_BLOCK": v.SecretBlock}
			got, err := d.ChallengeResponses("alice", params, mustParseTime(t, v.Timestamp))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"USERNAME": "alice", "DEVICE_KEY": v.DeviceKey, "PASSWORD_CLAIM_SECRET_BLOCK": v.SecretBlock,
				"PASSWORD_CLAIM_SIGNATURE": v.Signature, "TIMESTAMP": v.Timestamp}
			if !maps.Equal(got, want) {
				t.Fatalf("ChallengeResponses = %v, want %v", got, want)
			}
			// The server's USERNAME, when it sends one, is the one to send.
			params["USERNAME"] = "sub-of-alice"
			if got, err := d.ChallengeResponses("alice", params, mustParseTime(t, v.Timestamp)); err != nil || got["USERNAME"] != "sub-of-alice" {
				t.Fatalf("ChallengeResponses with USERNAME = %v, %v", got, err)
			}
		})
	}
}
