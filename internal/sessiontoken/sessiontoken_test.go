package sessiontoken

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func masterKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

var t0 = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

func session() Session {
	return Session{
		AccountID: "000000000000", RoleARN: "arn:aws:iam::000000000000:role/app/Auth", RoleID: "AROAEXAMPLE000000001",
		SessionName: "CognitoIdentityCredentials",
		Keys: map[string][]string{
			"cognito-identity.amazonaws.com:sub": {"us-east-1:0c6a4f2e-1111-2222-3333-444455556666"},
			"cognito-identity.amazonaws.com:amr": {"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"},
		},
		PrincipalTags: map[string]string{"team": "blue"},
		Issued:        t0, Expires: t0.Add(time.Hour),
	}
}

func mint(t *testing.T, m *Minter) Credentials {
	t.Helper()
	c, err := m.Mint(session())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMintOpenRoundTrip(t *testing.T) {
	m, err := NewMinter(masterKey(1))
	if err != nil {
		t.Fatal(err)
	}
	c := mint(t, m)
	if !strings.HasPrefix(c.AccessKeyID, "ASIA") || len(c.AccessKeyID) != 20 || strings.ToUpper(c.AccessKeyID) != c.AccessKeyID {
		t.Errorf("access key id %q is not AWS-shaped", c.AccessKeyID)
	}
	if len(c.SecretAccessKey) != 40 || !c.Expiration.Equal(t0.Add(time.Hour)) {
		t.Errorf("secret %q (len %d), expiration %v", c.SecretAccessKey, len(c.SecretAccessKey), c.Expiration)
	}
	if strings.Contains(c.SessionToken, c.SecretAccessKey) {
		t.Error("the token shows its content")
	}
	for _, v := range []*Verifier{m.Verifier, mustParse(t, m.Key())} {
		s, secret, err := v.Open(c.AccessKeyID, c.SessionToken, t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if secret != c.SecretAccessKey || s.RoleARN != session().RoleARN || s.PrincipalTags["team"] != "blue" ||
			s.Keys["cognito-identity.amazonaws.com:amr"][1] != "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc" {
			t.Errorf("opened %+v, secret %q", s, secret)
		}
	}
	other := mint(t, m)
	if other.AccessKeyID == c.AccessKeyID || other.SecretAccessKey == c.SecretAccessKey || other.SessionToken == c.SessionToken {
		t.Error("two mints gave the same credentials")
	}
}

func mustParse(t *testing.T, key string) *Verifier {
	t.Helper()
	v, err := ParseVerifierKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenRefuses(t *testing.T) {
	m, _ := NewMinter(masterKey(1))
	c := mint(t, m)
	other, _ := NewMinter(masterKey(2))
	foreign := mint(t, other)
	raw, _ := base64.StdEncoding.DecodeString(c.SessionToken)
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return base64.StdEncoding.EncodeToString(b)
	}
	cases := []struct {
		name, akid, token string
		at                time.Time
		want              error
	}{
		{"expired", c.AccessKeyID, c.SessionToken, t0.Add(time.Hour), ErrExpired},
		{"another key id", mint(t, m).AccessKeyID, c.SessionToken, t0, ErrInvalid},
		{"another Cognate", foreign.AccessKeyID, foreign.SessionToken, t0, ErrInvalid},
		{"version flipped", c.AccessKeyID, flip(0), t0, ErrInvalid},
		{"key id flipped", c.AccessKeyID, flip(2), t0, ErrInvalid},
		{"nonce flipped", c.AccessKeyID, flip(8), t0, ErrInvalid},
		{"ciphertext flipped", c.AccessKeyID, flip(40), t0, ErrInvalid},
		{"signature flipped", c.AccessKeyID, flip(len(raw) - 1), t0, ErrInvalid},
		{"truncated", c.AccessKeyID, base64.StdEncoding.EncodeToString(raw[:len(raw)-1]), t0, ErrInvalid},
		{"not base64", c.AccessKeyID, "!!" + c.SessionToken, t0, ErrInvalid},
		{"empty", c.AccessKeyID, "", t0, ErrInvalid},
		{"oversized", c.AccessKeyID, strings.Repeat("A", MaxTokenLen+4), t0, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := m.Open(tc.akid, tc.token, tc.at); !errors.Is(err, tc.want) {
				t.Errorf("Open = %v, want %v", err, tc.want)
			}
		})
	}
}

// A service holding the verifier key can read tokens but not sign new
// ones: a token re-sealed with the sealing key alone fails the signature.
func TestVerifierKeyCannotMint(t *testing.T) {
	m, _ := NewMinter(masterKey(1))
	c := mint(t, m)
	v := mustParse(t, m.Key())
	raw, _ := base64.StdEncoding.DecodeString(c.SessionToken)
	head := raw[:1+keyIDSize+nonceSize]
	plain, err := v.aead.Open(nil, head[1+keyIDSize:], raw[len(head):len(raw)-64], head[:1+keyIDSize])
	if err != nil {
		t.Fatal(err)
	}
	forgedPlain := bytes.Replace(plain, []byte("role/app/Auth"), []byte("role/app/Root"), 1)
	body := v.aead.Seal(bytes.Clone(head), head[1+keyIDSize:], forgedPlain, head[:1+keyIDSize])
	forged := base64.StdEncoding.EncodeToString(append(body, raw[len(raw)-64:]...))
	if _, _, err := v.Open(c.AccessKeyID, forged, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("a token re-sealed without the signing key opened: %v", err)
	}
}

func TestParseVerifierKey(t *testing.T) {
	for _, k := range []string{"", "cognate-verifier-v1:", "cognate-verifier-v1:AAAA", "other:" + strings.Repeat("A", 86)} {
		if _, err := ParseVerifierKey(k); err == nil {
			t.Errorf("ParseVerifierKey(%q) succeeded", k)
		}
	}
}

func TestSessionNames(t *testing.T) {
	s := session()
	if got := s.AssumedRoleARN(); got != "arn:aws:sts::000000000000:assumed-role/Auth/CognitoIdentityCredentials" {
		t.Errorf("AssumedRoleARN = %q", got)
	}
	if got := s.UserID(); got != "AROAEXAMPLE000000001:CognitoIdentityCredentials" {
		t.Errorf("UserID = %q", got)
	}
}

func FuzzOpen(f *testing.F) {
	m, _ := NewMinter(masterKey(1))
	c, _ := m.Mint(session())
	f.Add(c.AccessKeyID, c.SessionToken)
	f.Add("ASIA", "AQ==")
	f.Fuzz(func(t *testing.T, akid, token string) {
		s, _, err := m.Open(akid, token, t0)
		if err == nil && (akid != c.AccessKeyID || s.RoleARN == "") {
			t.Fatalf("opened a token it did not mint: %q", token)
		}
	})
}

func BenchmarkOpen(b *testing.B) {
	m, _ := NewMinter(masterKey(1))
	c, _ := m.Mint(session())
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := m.Open(c.AccessKeyID, c.SessionToken, t0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.open(c.SessionToken); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkMint(b *testing.B) {
	m, _ := NewMinter(masterKey(1))
	s := session()
	for b.Loop() {
		if _, err := m.Mint(s); err != nil {
			b.Fatal(err)
		}
	}
}
