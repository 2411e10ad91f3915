package srp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"
)

func TestIntBytes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "00"},
		{"00", "00"},
		{"0000", "00"},
		{"01", "01"},
		{"7f", "7f"},
		{"80", "0080"},
		{"ff", "00ff"},
		{"00ff", "00ff"},
		{"0000ff", "00ff"},
		{"000102", "0102"},
		{"00008001", "008001"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(intBytes(mustHex(tt.in))); got != tt.want {
			t.Errorf("intBytes(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestHexInt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "0"},
		{"00", "0"},
		{"0000", "0"},
		{"01", "1"},
		{"0a", "a"},
		{"0abc", "abc"},
		{"00ABCD", "abcd"},
		{"80", "80"},
		{"00b3c4", "b3c4"},
		{"000f1e", "f1e"},
	}
	for _, tt := range tests {
		if got := HexInt(mustHex(tt.in)); got != tt.want {
			t.Errorf("HexInt(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParsePublic(t *testing.T) {
	n := new(big.Int).SetBytes(modulusBytes)
	hexOf := func(x *big.Int) string { return x.Text(16) }
	plus := func(d int64) string { return hexOf(new(big.Int).Add(n, big.NewInt(d))) }
	tests := []struct {
		name, in string
		want     string // HexInt of the result; "" for ErrInvalidPublic
	}{
		{"one", "1", "1"},
		{"two digits", "ab", "ab"},
		{"uppercase", "ABCDEF", "abcdef"},
		{"odd length", "abc", "abc"},
		{"leading zeros", "000000abc", "abc"},
		{"N-1", plus(-1), plus(-1)},
		{"empty", "", ""},
		{"zero", "0", ""},
		{"zeros", "0000", ""},
		{"N", hexOf(n), ""},
		{"N uppercase", strings.ToUpper(hexOf(n)), ""},
		{"N+1", plus(1), ""},
		{"2N", hexOf(new(big.Int).Lsh(n, 1)), ""},
		{"N with leading zeros", "0000" + hexOf(n), ""},
		{"minus", "-1", ""},
		{"plus", "+1", ""},
		{"0x prefix", "0x1", ""},
		{"space", " 1", ""},
		{"underscore", "1_0", ""},
		{"not hex", "xyz", ""},
		{"too long", strings.Repeat("0", maxPublicHex) + "1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePublic(tt.in)
			if tt.want == "" {
				if !errors.Is(err, ErrInvalidPublic) {
					t.Fatalf("ParsePublic(%.20q) = %x, %v, want ErrInvalidPublic", tt.in, got, err)
				}
				return
			}
			if err != nil || len(got) != groupSize || HexInt(got) != tt.want {
				t.Fatalf("ParsePublic(%.20q) = %s (%d bytes), %v, want %s", tt.in, HexInt(got), len(got), err, tt.want)
			}
		})
	}
}

func TestNewSalt(t *testing.T) {
	a, err := NewSalt()
	if err != nil || len(a) != SaltSize {
		t.Fatalf("NewSalt = %x, %v", a, err)
	}
	b, _ := NewSalt()
	if bytes.Equal(a, b) {
		t.Fatal("two salts are equal")
	}
}

func TestNewChallenge(t *testing.T) {
	v := ComputeVerifier("pool", "user", "password", []byte{1, 2, 3})
	seen := map[string]bool{}
	for range 5 {
		c, err := NewChallenge(v)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Secret) != SecretSize || len(c.Public) != groupSize {
			t.Fatalf("sizes: b %d bytes, B %d bytes", len(c.Secret), len(c.Public))
		}
		if seen[string(c.Public)] {
			t.Fatal("B repeats")
		}
		seen[string(c.Public)] = true
		// B = k·v + g^b, checked with math/big.
		N := new(big.Int).SetBytes(modulusBytes)
		want := new(big.Int).Mul(new(big.Int).SetBytes(multiplierBytes), new(big.Int).SetBytes(v))
		want.Add(want, new(big.Int).Exp(big.NewInt(2), new(big.Int).SetBytes(c.Secret), N))
		want.Mod(want, N)
		if HexInt(c.Public) != want.Text(16) || want.Sign() == 0 {
			t.Fatalf("B = %s, want %s", HexInt(c.Public), want.Text(16))
		}
	}
}

func TestNewChallengeRejectsVerifier(t *testing.T) {
	N := modulusBytes
	for name, v := range map[string][]byte{
		"nil":   nil,
		"zero":  make([]byte, groupSize),
		"N":     N,
		"N+1":   new(big.Int).Add(new(big.Int).SetBytes(N), big.NewInt(1)).Bytes(),
		"large": bytes.Repeat([]byte{0xff}, groupSize+1),
	} {
		if _, err := NewChallenge(v); !errors.Is(err, ErrInvalidVerifier) {
			t.Errorf("NewChallenge(%s) error = %v, want ErrInvalidVerifier", name, err)
		}
	}
}

func TestCheckPasswordRejects(t *testing.T) {
	salt := []byte{0, 0x80, 1}
	v := ComputeVerifier("pool", "user", "pw", salt)
	tests := []struct {
		name                 string
		pool, user, password string
		salt, verifier       []byte
	}{
		{"password", "pool", "user", "pW", salt, v},
		{"user", "pool", "User", "pw", salt, v},
		{"pool", "Pool", "user", "pw", salt, v},
		{"salt", "pool", "user", "pw", []byte{0x80, 2}, v},
		{"empty verifier", "pool", "user", "pw", salt, nil},
		{"verifier N", "pool", "user", "pw", salt, modulusBytes},
		{"verifier too long", "pool", "user", "pw", salt, append([]byte{1}, v...)},
	}
	for _, tt := range tests {
		if CheckPassword(tt.pool, tt.user, tt.password, tt.salt, tt.verifier) {
			t.Errorf("%s: CheckPassword = true", tt.name)
		}
	}
	// Leading zero bytes of the salt do not count: the clients parse SALT as
	// an integer.
	if !CheckPassword("pool", "user", "pw", []byte{0, 0, 0, 0x80, 1}, v) {
		t.Error("leading zero bytes of the salt changed the verifier")
	}
	// A verifier stored without its leading zeros still matches.
	if !CheckPassword("pool", "user", "pw", salt, trimZeros(v)) {
		t.Error("a trimmed verifier does not match")
	}
}
