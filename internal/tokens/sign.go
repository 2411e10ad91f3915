package tokens

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// Sign returns claims as a compact JWS signed by the pool's active key:
// header {"kid":...,"alg":"RS256"}, as Cognito's, and the claims marshalled
// with encoding/json. As in Cognito's tokens, "/" is written "\/" and HTML
// characters are not escaped. A pool without keys gets its first one.
//
// The header is written here rather than by go-jose, whose encoder would put
// alg before kid; Verify checks every token with go-jose.
func (i *Issuer) Sign(ctx context.Context, poolID string, claims any) (string, error) {
	s, err := i.signingSet(ctx, poolID)
	if err != nil {
		return "", err
	}
	payload, err := marshalClaims(claims)
	if err != nil {
		return "", err
	}
	return s.active.sign(payload)
}

// marshalClaims encodes claims the way Cognito does.
func marshalClaims(claims any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(claims); err != nil {
		return nil, fmt.Errorf("tokens: encoding claims: %w", err)
	}
	js := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if len(js) == 0 || js[0] != '{' {
		return nil, fmt.Errorf("tokens: claims must encode to a JSON object, not %.20s", js)
	}
	return escapeSlashes(js), nil
}

// sign returns the compact JWS of payload.
func (k *signingKey) sign(payload []byte) (string, error) {
	enc := base64.RawURLEncoding
	t := make([]byte, 0, len(k.prefix)+enc.EncodedLen(len(payload))+1+enc.EncodedLen(k.priv.Size()))
	t = append(t, k.prefix...)
	t = enc.AppendEncode(t, payload)
	digest := sha256.Sum256(t)
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.priv, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("tokens: signing with key %s: %w", k.kid, err)
	}
	t = append(t, '.')
	t = enc.AppendEncode(t, sig)
	return string(t), nil
}
