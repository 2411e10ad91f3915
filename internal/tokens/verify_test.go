package tokens

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// TestVerifyRejects feeds Verify tokens that must not pass: broken,
// tampered, or signed some other way than RS256 by one of the pool's keys.
func TestVerifyRejects(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	iss := newTestIssuer(t, newMemKeys(), c)
	good, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	kid := kidOf(t, good)
	priv := iss.pool(testPool).set.Load().active.priv
	parts := strings.Split(good, ".")
	payload := decodeSegment(t, good, 1)
	b64 := base64.RawURLEncoding.EncodeToString

	pubDER, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	attacker, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}

	// hs256 signs with the public key as HMAC secret: the classic
	// algorithm-confusion attack on verifiers that trust the header's alg.
	hs256 := func(secret []byte) string {
		input := b64([]byte(`{"alg":"HS256","kid":"`+kid+`","typ":"JWT"}`)) + "." + parts[1]
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		return input + "." + b64(m.Sum(nil))
	}
	// joseSigned signs the payload with go-jose, so the signature is real.
	joseSigned := func(alg jose.SignatureAlgorithm, key any, opts *jose.SignerOptions) string {
		t.Helper()
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, opts)
		if err != nil {
			t.Fatal(err)
		}
		jws, err := s.Sign(payload)
		if err != nil {
			t.Fatal(err)
		}
		out, err := jws.CompactSerialize()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	later := claimsAt(c.Now(), 24*time.Hour)
	later.Sub = "someone-else"
	other, err := iss.Sign(ctx, testPool, later)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		token string
	}{
		{"empty", ""},
		{"garbage", "not a token"},
		{"two parts", parts[0] + "." + parts[1]},
		{"four parts", good + ".x"},
		{"signature not base64", parts[0] + "." + parts[1] + ".!!!"},
		{"JSON serialization", `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`},
		{"tampered payload", parts[0] + "." + b64(mustJSON(t, later)) + "." + parts[2]},
		{"tampered signature", parts[0] + "." + parts[1] + "." + flipLast(parts[2])},
		{"signature of another token", parts[0] + "." + parts[1] + "." + strings.Split(other, ".")[2]},
		{"alg none", b64([]byte(`{"alg":"none","kid":"`+kid+`"}`)) + "." + parts[1] + "."},
		{"alg none with signature", b64([]byte(`{"alg":"none","kid":"`+kid+`"}`)) + "." + parts[1] + "." + parts[2]},
		{"alg lower case", b64([]byte(`{"kid":"`+kid+`","alg":"rs256"}`)) + "." + parts[1] + "." + parts[2]},
		{"HS256 with public key PEM", hs256(pubPEM)},
		{"HS256 with public key DER", hs256(pubDER)},
		{"HS256 with modulus", hs256(priv.N.Bytes())},
		{"PS256 with the pool's key", joseSigned(jose.PS256, priv, nil)},
		{"RS512 with the pool's key", joseSigned(jose.RS512, priv, nil)},
		{"RS256 with another key under the pool's kid", joseSigned(jose.RS256, attacker, nil)},
		{"RS256 with embedded attacker jwk", joseSigned(jose.RS256, attacker, (&jose.SignerOptions{EmbedJWK: true}))},
		{"unsupported crit header", joseSigned(jose.RS256, priv, (&jose.SignerOptions{}).WithHeader("crit", []string{"urn:example"}).WithHeader("urn:example", true))},
		{"no kid", b64([]byte(`{"alg":"RS256"}`)) + "." + parts[1] + "." + parts[2]},
		{"kid of another shape", forgeWithKID(t, good, "abc")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var dst map[string]any
			err := iss.Verify(ctx, testPool, tt.token, &dst)
			if !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Verify = %v, want ErrInvalidToken", err)
			}
			if dst != nil {
				t.Errorf("Verify filled dst from a rejected token: %v", dst)
			}
		})
	}
	// The test's own signer is sound: the same RS256 signature through
	// go-jose with the pool's key passes.
	if err := iss.Verify(ctx, testPool, joseSigned(jose.RS256, priv, nil), nil); err != nil {
		t.Errorf("go-jose RS256 with the pool's key: %v", err)
	}
}

// TestVerifyByGoJOSE checks Sign's hand-written JWS with go-jose alone.
func TestVerifyByGoJOSE(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	iss := newTestIssuer(t, newMemKeys(), c)
	token, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := iss.JWKS(ctx, testPool)
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	keys := set.Key(jws.Signatures[0].Header.KeyID)
	if len(keys) != 1 {
		t.Fatalf("JWKS has %d keys for the token's kid", len(keys))
	}
	if _, err := jws.Verify(keys[0]); err != nil {
		t.Errorf("go-jose rejects our token: %v", err)
	}
}

func flipLast(s string) string {
	b := []byte(s)
	if b[len(b)-2] == 'A' {
		b[len(b)-2] = 'B'
	} else {
		b[len(b)-2] = 'A'
	}
	return string(b)
}

// FuzzVerify checks that no input makes Verify panic or accept a token
// that is not the pool's.
func FuzzVerify(f *testing.F) {
	ctx := context.Background()
	c := newClock()
	iss := newTestIssuer(f, newMemKeys(), c)
	good, err := iss.Sign(ctx, testPool, claimsAt(c.Now(), time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{good, "", "a.b.c", good[:len(good)-3], strings.Replace(good, ".", "..", 1)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		var dst map[string]any
		err := iss.Verify(ctx, testPool, token, &dst)
		if err == nil && token != good {
			// Only base64 variants of the good token's signature bits may pass.
			if !strings.HasPrefix(token, good[:strings.LastIndex(good, ".")]) {
				t.Errorf("Verify accepted %q", token)
			}
		}
		if err != nil && !errors.Is(err, ErrInvalidToken) && !errors.Is(err, ErrExpiredToken) {
			t.Errorf("Verify = %v, want ErrInvalidToken or ErrExpiredToken", err)
		}
	})
}
