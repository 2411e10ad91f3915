package tokens

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/cognate-auth/cognate/internal/store"
)

// kidBytes is the size of the random value a kid encodes. Cognito's kids are
// standard base64 of 32 bytes ("vyVQH7UM...A2vHhgITI="), so ours are too.
const kidBytes = 32

// kidLen is the length of a kid: standard base64 of kidBytes, padded.
var kidLen = base64.StdEncoding.EncodedLen(kidBytes)

// signingKey is a parsed store.SigningKey. Keys never change once created,
// so one is parsed once and shared by every snapshot that publishes it.
type signingKey struct {
	kid       string
	priv      *rsa.PrivateKey // precomputed by x509.ParsePKCS8PrivateKey
	pub       *rsa.PublicKey
	retired   bool
	createdAt time.Time
	// prefix is the encoded JWS header and its dot, the start of every
	// token the key signs.
	prefix string
}

// newKID returns a fresh random kid.
func newKID() (string, error) {
	var b [kidBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b[:]), nil
}

// wellFormedKID reports whether kid could have been made by newKID. A token
// whose kid could not be ours is refused without asking the store.
func wellFormedKID(kid string) bool {
	if len(kid) != kidLen {
		return false
	}
	b, err := base64.StdEncoding.Strict().DecodeString(kid)
	return err == nil && len(b) == kidBytes
}

// generateKey makes a new RSA key for pool and returns it as the store keeps it.
func generateKey(poolID string, bits int, now time.Time) (store.SigningKey, error) {
	kid, err := newKID()
	if err != nil {
		return store.SigningKey{}, fmt.Errorf("tokens: generating kid: %w", err)
	}
	priv, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return store.SigningKey{}, fmt.Errorf("tokens: generating RSA key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return store.SigningKey{}, fmt.Errorf("tokens: encoding RSA key: %w", err)
	}
	return store.SigningKey{PoolID: poolID, KID: kid, PrivateDER: der, CreatedAt: now.UTC()}, nil
}

// parseKey turns a stored key into a signingKey.
func parseKey(k store.SigningKey) (*signingKey, error) {
	parsed, err := x509.ParsePKCS8PrivateKey(k.PrivateDER)
	if err != nil {
		return nil, fmt.Errorf("tokens: key %s of pool %s: %w", k.KID, k.PoolID, err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("tokens: key %s of pool %s is a %T, not RSA", k.KID, k.PoolID, parsed)
	}
	return &signingKey{
		kid:       k.KID,
		priv:      priv,
		pub:       &priv.PublicKey,
		retired:   !k.RetiredAt.IsZero(),
		createdAt: k.CreatedAt,
		prefix:    encodeHeader(k.KID) + ".",
	}, nil
}

// encodeHeader returns the encoded JWS header of a token signed by kid.
// Cognito's header has kid before alg and escapes "/" as "\/", so ours is
// written by hand rather than by a JSON encoder, which would sort the members.
func encodeHeader(kid string) string {
	var b bytes.Buffer
	b.WriteString(`{"kid":`)
	b.Write(escapeSlashes(marshalString(kid)))
	b.WriteString(`,"alg":"RS256"}`)
	return base64.RawURLEncoding.EncodeToString(b.Bytes())
}

func marshalString(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// escapeSlashes writes every "/" of a JSON text as "\/", as Cognito's
// encoder does. Outside strings JSON has no "/", so the text stays valid and
// decodes to the same value.
func escapeSlashes(js []byte) []byte {
	if bytes.IndexByte(js, '/') < 0 {
		return js
	}
	return bytes.ReplaceAll(js, []byte("/"), []byte(`\/`))
}

// jwk is one key of a JWKS, with Cognito's members in Cognito's order.
type jwk struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// encodeJWKS returns the JSON Web Key Set publishing keys, in the order given.
func encodeJWKS(keys []*signingKey) ([]byte, error) {
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, 0, len(keys))}
	for _, k := range keys {
		set.Keys = append(set.Keys, jwk{
			Alg: "RS256",
			E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.pub.E)).Bytes()),
			Kid: k.kid,
			Kty: "RSA",
			N:   base64.RawURLEncoding.EncodeToString(k.pub.N.Bytes()),
			Use: "sig",
		})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(set); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
