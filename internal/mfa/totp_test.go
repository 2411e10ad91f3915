package mfa

import (
	"bytes"
	"encoding/base32"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// RFC 6238's SHA-1 seed and vectors, cut to six digits.
var rfc6238Seed = []byte("12345678901234567890")

func TestTOTPCodeRFC6238(t *testing.T) {
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		if got := TOTPCode(rfc6238Seed, TOTPStep(time.Unix(unix, 0))); got != want {
			t.Errorf("code at %d = %s, want %s", unix, got, want)
		}
	}
}

func TestMatchTOTP(t *testing.T) {
	now := time.Unix(1111111109, 0)
	step := TOTPStep(now)
	cases := []struct {
		name string
		code string
		step int64
		ok   bool
	}{
		{"current step", TOTPCode(rfc6238Seed, step), step, true},
		{"one step early", TOTPCode(rfc6238Seed, step-1), step - 1, true},
		{"one step late", TOTPCode(rfc6238Seed, step+1), step + 1, true},
		{"two steps early", TOTPCode(rfc6238Seed, step-2), 0, false},
		{"two steps late", TOTPCode(rfc6238Seed, step+2), 0, false},
		{"wrong", "000000", 0, false},
		{"too short", TOTPCode(rfc6238Seed, step)[:5], 0, false},
		{"too long", TOTPCode(rfc6238Seed, step) + "0", 0, false},
		{"empty", "", 0, false},
	}
	for _, c := range cases {
		got, ok := MatchTOTP(rfc6238Seed, c.code, now)
		if ok != c.ok || got != c.step {
			t.Errorf("%s: MatchTOTP(%q) = %d, %v; want %d, %v", c.name, c.code, got, ok, c.step, c.ok)
		}
	}
}

// TestSecretCodeForApps checks that the SecretCode an app is given yields
// the codes Cognate expects, through pquerna/otp's own validation as an
// authenticator app would compute them.
func TestSecretCodeForApps(t *testing.T) {
	seed, err := NewTOTPSeed(bytes.NewReader(bytes.Repeat([]byte{0xa5}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	code := SecretCode(seed)
	if len(code) != 52 {
		t.Errorf("SecretCode has %d characters, want 52 as Cognito's", len(code))
	}
	if _, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(code); err != nil {
		t.Errorf("SecretCode %q is not unpadded base32: %v", code, err)
	}
	now := time.Now()
	app, err := totp.GenerateCodeCustom(code, now, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := MatchTOTP(seed, app, now); !ok {
		t.Errorf("the app's code %s was refused", app)
	}
}

// FuzzMatchTOTP checks that only the six-digit code of a step within the
// skew is accepted, and for that step.
func FuzzMatchTOTP(f *testing.F) {
	now := time.Unix(1111111109, 0)
	for _, code := range []string{"081804", TOTPCode(rfc6238Seed, TOTPStep(now)+1), "", "08180", "0818040", "08180\x00", "٠٨١٨٠٤"} {
		f.Add(code)
	}
	f.Fuzz(func(t *testing.T, code string) {
		step, ok := MatchTOTP(rfc6238Seed, code, now)
		if !ok {
			return
		}
		if d := step - TOTPStep(now); d < -totpSkew || d > totpSkew || TOTPCode(rfc6238Seed, step) != code {
			t.Fatalf("MatchTOTP(%q) accepted it for step %d, %d steps from now", code, step, d)
		}
	})
}

func BenchmarkMatchTOTP(b *testing.B) {
	now := time.Now()
	code := TOTPCode(rfc6238Seed, TOTPStep(now))
	for b.Loop() {
		if _, ok := MatchTOTP(rfc6238Seed, code, now); !ok {
			b.Fatal("refused")
		}
	}
}
