package srp

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

// vectorsPath is written by test/js/srp-vectors.mjs from the real client
// libraries; auth/cognitosrp's tests read it too.
const vectorsPath = "testdata/cognito-identity-js-vectors.json"

type vectorFile struct {
	Libraries map[string]string `json:"libraries"`
	Group     struct{ N, G, K string }
	Cases     []vectorCase   `json:"cases"`
	Devices   []deviceVector `json:"devices"`
	Times     []struct {
		UnixMillis int64  `json:"unixMillis"`
		Timestamp  string `json:"timestamp"`
	} `json:"timestamps"`
}

type vectorCase struct {
	Name, PoolID, PoolName, UserID, Password string
	Salt, SaltParam                          string
	A, X, Verifier, B, U, S                  string
	SmallA                                   string `json:"a"`
	SmallB                                   string `json:"b"`
	HKDFKey                                  string `json:"hkdfKey"`
	SecretBlock, Timestamp, Signature        string
}

// deviceVector is a remembered device's ConfirmDevice and sign-in, as
// test/js/srp-vectors.mjs computes them.
type deviceVector struct {
	Name, PoolID, DeviceGroupKey, DeviceKey string
	DevicePassword, Salt, Verifier          string
	ConfirmDevice                           struct{ Salt, PasswordVerifier string }
	A, X, B, SaltParam, U                   string
	SmallB                                  string `json:"b"`
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
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 || len(f.Times) == 0 || len(f.Devices) == 0 {
		t.Fatalf("%s has no cases", vectorsPath)
	}
	return f
}

// intHex decodes hex of any length (the JS writes integers without padding).
func intHex(t testing.TB, s string) []byte {
	t.Helper()
	if len(s)%2 == 1 {
		s = "0" + s
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func TestVectorsGroup(t *testing.T) {
	f := loadVectors(t)
	if got := HexInt(modulusBytes); got != f.Group.N {
		t.Errorf("N = %s, want %s", got, f.Group.N)
	}
	if got := HexInt(generator); got != f.Group.G {
		t.Errorf("g = %s, want %s", got, f.Group.G)
	}
	if got := HexInt(multiplierBytes); got != f.Group.K {
		t.Errorf("k = %s, want %s", got, f.Group.K)
	}
}

func TestVectorsServer(t *testing.T) {
	for _, c := range loadVectors(t).Cases {
		t.Run(c.Name, func(t *testing.T) {
			salt := intHex(t, c.Salt)
			if got := HexInt(salt); got != c.SaltParam {
				t.Errorf("HexInt(salt) = %s, want SALT %s", got, c.SaltParam)
			}
			if got := HexInt(passwordExponent(c.PoolName, c.UserID, c.Password, salt)); got != c.X {
				t.Errorf("x = %s, want %s", got, c.X)
			}
			v := ComputeVerifier(c.PoolName, c.UserID, c.Password, salt)
			if len(v) != groupSize || HexInt(v) != c.Verifier {
				t.Fatalf("verifier = %s (%d bytes), want %s", HexInt(v), len(v), c.Verifier)
			}
			if !CheckPassword(c.PoolName, c.UserID, c.Password, salt, v) {
				t.Error("CheckPassword rejects the right password")
			}
			if CheckPassword(c.PoolName, c.UserID, c.Password+"x", salt, v) {
				t.Error("CheckPassword accepts a wrong password")
			}
			b := intHex(t, c.SmallB)
			B := serverPublic(mustElement(v), b).Bytes(modulus)
			if HexInt(B) != c.B {
				t.Fatalf("B = %s, want %s", HexInt(B), c.B)
			}
			A, err := ParsePublic(c.A)
			if err != nil {
				t.Fatal(err)
			}
			claim := Claim{
				PoolName: c.PoolName, UserID: c.UserID,
				Verifier: v, ClientPublic: A, ServerSecret: b, ServerPublic: B,
				SecretBlock: decodeB64(t, c.SecretBlock),
				Timestamp:   c.Timestamp, Signature: c.Signature,
			}
			if got := HexInt(hashInts(A, B)); got != c.U {
				t.Errorf("u = %s, want %s", got, c.U)
			}
			key, ok := claimKey(claim)
			if !ok || hex.EncodeToString(key) != c.HKDFKey {
				t.Errorf("key = %x, %v, want %s", key, ok, c.HKDFKey)
			}
			if !VerifyClaim(claim) {
				t.Error("VerifyClaim rejects the JS client's signature")
			}
		})
	}
}

// TestVectorsDevices checks a remembered device's sign-in against the JS
// clients: the verifier ConfirmDevice carries is g^x with the device group
// key as pool name and the device key as user id, and the claim the client
// signs over them verifies.
func TestVectorsDevices(t *testing.T) {
	for _, c := range loadVectors(t).Devices {
		t.Run(c.Name, func(t *testing.T) {
			salt := decodeB64(t, c.ConfirmDevice.Salt)
			if hex.EncodeToString(salt) != c.Salt {
				t.Fatalf("ConfirmDevice Salt %x, want %s", salt, c.Salt)
			}
			if HexInt(salt) != c.SaltParam {
				t.Errorf("SALT = %s, want %s", HexInt(salt), c.SaltParam)
			}
			sent := decodeB64(t, c.ConfirmDevice.PasswordVerifier)
			v, err := ParseVerifier(sent)
			if err != nil {
				t.Fatal(err)
			}
			if len(v) != groupSize || HexInt(v) != HexInt(sent) {
				t.Fatalf("ParseVerifier = %s (%d bytes), want %x", HexInt(v), len(v), sent)
			}
			if got := ComputeVerifier(c.DeviceGroupKey, c.DeviceKey, c.DevicePassword, salt); !bytes.Equal(got, v) {
				t.Fatalf("ComputeVerifier = %s, want the client's %s", HexInt(got), HexInt(v))
			}
			if got := HexInt(passwordExponent(c.DeviceGroupKey, c.DeviceKey, c.DevicePassword, salt)); got != c.X {
				t.Errorf("x = %s, want %s", got, c.X)
			}
			b := intHex(t, c.SmallB)
			B := serverPublic(mustElement(v), b).Bytes(modulus)
			if HexInt(B) != c.B {
				t.Fatalf("B = %s, want %s", HexInt(B), c.B)
			}
			A, err := ParsePublic(c.A)
			if err != nil {
				t.Fatal(err)
			}
			claim := Claim{PoolName: c.DeviceGroupKey, UserID: c.DeviceKey, Verifier: v, ClientPublic: A, ServerSecret: b, ServerPublic: B,
				SecretBlock: decodeB64(t, c.SecretBlock), Timestamp: c.Timestamp, Signature: c.Signature}
			key, ok := claimKey(claim)
			if !ok || hex.EncodeToString(key) != c.HKDFKey {
				t.Errorf("key = %x, %v, want %s", key, ok, c.HKDFKey)
			}
			if !VerifyClaim(claim) {
				t.Error("VerifyClaim rejects the JS client's device signature")
			}
			claim.UserID = "us-east-1_00000000-0000-4000-a000-000000000000"
			if VerifyClaim(claim) {
				t.Error("VerifyClaim accepts the signature for another device key")
			}
		})
	}
}

func TestParseVerifier(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":    nil,
		"zero":     make([]byte, groupSize),
		"N":        modulusBytes,
		"too long": append([]byte{1}, make([]byte, groupSize)...),
		"padded N": append([]byte{0, 0}, modulusBytes...),
	} {
		if _, err := ParseVerifier(b); err != ErrInvalidVerifier {
			t.Errorf("ParseVerifier(%s) = %v, want ErrInvalidVerifier", name, err)
		}
	}
	got, err := ParseVerifier([]byte{0, 0, 2})
	if err != nil || len(got) != groupSize || got[groupSize-1] != 2 || HexInt(got) != "2" {
		t.Errorf("ParseVerifier(00 00 02) = %x, %v", got, err)
	}
}

// TestDeviceVectorsCoverage keeps the device vectors' edge cases: salts
// and verifiers that the clients send a byte longer or shorter.
func TestDeviceVectorsCoverage(t *testing.T) {
	has := map[string]bool{}
	for _, c := range loadVectors(t).Devices {
		has[fmt.Sprintf("salt of %d bytes", len(decodeB64(t, c.ConfirmDevice.Salt)))] = true
		has[fmt.Sprintf("verifier of %d bytes", len(decodeB64(t, c.ConfirmDevice.PasswordVerifier)))] = true
	}
	for _, want := range []string{"salt of 15 bytes", "salt of 16 bytes", "salt of 17 bytes", "verifier of 384 bytes", "verifier of 385 bytes"} {
		if !has[want] {
			t.Errorf("no device vector with a %s", want)
		}
	}
}

func TestVectorsTimestamps(t *testing.T) {
	for _, v := range loadVectors(t).Times {
		want := time.UnixMilli(v.UnixMillis).UTC()
		if got := FormatTimestamp(want.In(time.FixedZone("X", 5*3600))); got != v.Timestamp {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", want, got, v.Timestamp)
		}
		got, err := ParseTimestamp(v.Timestamp)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v, want %v", v.Timestamp, got, err, want)
		}
	}
}

// TestVectorsCoverage keeps the vector file honest: it must keep the cases
// where padHex changes what gets hashed.
func TestVectorsCoverage(t *testing.T) {
	f := loadVectors(t)
	has := map[string]bool{}
	for _, c := range f.Cases {
		for name, h := range map[string]string{"salt": c.Salt, "A": c.A, "B": c.B, "u": c.U, "S": c.S} {
			b := intHex(t, h)
			size := map[string]int{"salt": SaltSize, "u": 32}[name]
			if size == 0 {
				size = groupSize
			}
			b = append(make([]byte, size-len(b)), b...)
			if b[0] == 0 && b[1] < 0x80 {
				has[name+" shrinks"] = true
			}
			if b[0] >= 0x80 {
				has[name+" grows"] = true
			}
		}
		if len(intHex(t, c.Salt)) == SaltSize && c.Salt[0] == '0' && c.Salt[1] == '0' {
			has["salt stored with leading zero"] = true
		}
		for _, r := range c.UserID {
			if r > 0x7f {
				has["non-ASCII user"] = true
			}
		}
	}
	for _, v := range f.Times {
		if len(v.Timestamp) == len("Tue Nov 3 09:04:05 UTC 2026") {
			has["single-digit day"] = true
		}
	}
	for _, want := range []string{
		"salt shrinks", "salt grows", "A shrinks", "A grows", "B shrinks", "B grows",
		"u shrinks", "u grows", "S shrinks", "S grows",
		"salt stored with leading zero", "non-ASCII user", "single-digit day",
	} {
		if !has[want] {
			t.Errorf("no vector where %s", want)
		}
	}
}

func decodeB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
