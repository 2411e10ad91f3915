// Package sessiontoken mints and opens the temporary AWS credentials Cognate
// vends (GetCredentialsForIdentity, STS AssumeRoleWithWebIdentity): an
// access key id (ASIA…), a secret access key and a session token that
// carries, sealed, everything needed to check a request signed with them.
//
// The token is self-contained, so any replica, and any service that holds
// the verifier key, checks it with no database round trip:
//
//	token = base64( version | key id | nonce | AES-256-GCM(session, secret) | Ed25519 signature )
//
// Two keys, both derived from the master key with HKDF, split the powers:
//
//   - the sealing key (AES-256-GCM) hides the secret access key and the
//     session from whoever sees the token on the wire;
//   - the signing key (Ed25519) makes the token: only Cognate holds its
//     private half.
//
// A Verifier holds the sealing key and the public signing key. A service
// given it (the verifier key, see Verifier.Key) can check and read tokens
// it receives, and so learn their secrets, but cannot mint a token: a
// compromised service can misuse only the credentials sent to it, never
// invent a role session.
package sessiontoken

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cognate-auth/cognate/internal/fifo"
)

// Errors returned by Open. Both mean the credentials must be refused.
var (
	// ErrInvalid means the token is malformed, was not minted by this
	// Cognate, or does not belong to the access key id it came with.
	ErrInvalid = errors.New("sessiontoken: the security token is invalid")
	// ErrExpired means the credentials were valid and are no longer.
	ErrExpired = errors.New("sessiontoken: the security token has expired")
)

// Session is what a set of temporary credentials stands for: a role, taken
// on by a web identity, with the condition keys and principal tags its
// policies may test. It is the token's sealed content.
type Session struct {
	AccountID string `json:"acct"`
	// RoleARN is arn:aws:iam::<account>:role/<path><name>.
	RoleARN string `json:"role"`
	// RoleID is the role's unique id (AROA…); with SessionName it makes
	// aws:userid, "AROA…:<session name>".
	RoleID      string `json:"rid"`
	SessionName string `json:"sn"`
	// Keys are the request-context keys the web identity brings, for
	// conditions and policy variables: for an identity pool
	// cognito-identity.amazonaws.com:sub (the identity id), :aud (the pool
	// id) and :amr; for an OIDC provider <issuer>:sub, :aud, and so on.
	Keys map[string][]string `json:"keys,omitempty"`
	// PrincipalTags become aws:PrincipalTag/<key>.
	PrincipalTags map[string]string `json:"tags,omitempty"`
	// SourceIdentity is STS's source identity, when one was set.
	SourceIdentity string    `json:"src,omitempty"`
	Issued         time.Time `json:"iat"`
	Expires        time.Time `json:"exp"`
}

// AssumedRoleARN is the ARN GetCallerIdentity names for the session:
// arn:aws:sts::<account>:assumed-role/<role name>/<session name>.
func (s Session) AssumedRoleARN() string {
	name := s.RoleARN[strings.LastIndexByte(s.RoleARN, '/')+1:]
	return "arn:aws:sts::" + s.AccountID + ":assumed-role/" + name + "/" + s.SessionName
}

// UserID is aws:userid for the session: <role id>:<session name>.
func (s Session) UserID() string { return s.RoleID + ":" + s.SessionName }

// Credentials are temporary AWS credentials.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

const (
	version   = 1
	keyIDSize = 4
	nonceSize = 12
	// accessKeyIDLen is AWS's: four letters of kind, sixteen of id.
	accessKeyIDLen = 20
	// MaxTokenLen bounds what Open reads. Minted tokens are well under it
	// (a session with a few tags is about 700 characters).
	MaxTokenLen = 8 << 10
)

// sealed is the plaintext inside a token.
type sealed struct {
	AccessKeyID string  `json:"akid"`
	Secret      string  `json:"sk"`
	Session     Session `json:"s"`
}

// Verifier opens tokens. It is safe for concurrent use.
type Verifier struct {
	aead  cipher.AEAD
	enc   []byte
	pub   ed25519.PublicKey
	keyID [keyIDSize]byte
	// opened remembers tokens already verified, by the token itself, so a
	// client's repeated requests pay for the signature once.
	opened *fifo.Map[string, sealed]
}

// Minter mints credentials and opens them. It is safe for concurrent use.
type Minter struct {
	*Verifier
	priv ed25519.PrivateKey
}

// CacheSize is how many opened tokens a Verifier remembers.
const CacheSize = 16 << 10

// NewMinter derives the keys from Cognate's master key; every replica
// sharing the master key mints and opens the same tokens.
func NewMinter(masterKey []byte) (*Minter, error) {
	if len(masterKey) != 32 {
		return nil, fmt.Errorf("sessiontoken: master key must be 32 bytes, got %d", len(masterKey))
	}
	enc, err := hkdf.Key(sha256.New, masterKey, nil, "cognate/sessiontoken/v1/seal", 32)
	if err != nil {
		return nil, err
	}
	seed, err := hkdf.Key(sha256.New, masterKey, nil, "cognate/sessiontoken/v1/sign", ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	priv := ed25519.NewKeyFromSeed(seed)
	v, err := newVerifier(enc, priv.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	return &Minter{Verifier: v, priv: priv}, nil
}

func newVerifier(enc []byte, pub ed25519.PublicKey) (*Verifier, error) {
	block, err := aes.NewCipher(enc)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	v := &Verifier{aead: aead, enc: enc, pub: pub, opened: fifo.New[string, sealed](CacheSize)}
	sum := sha256.Sum256(append(append([]byte{}, enc...), pub...))
	copy(v.keyID[:], sum[:])
	return v, nil
}

const keyPrefix = "cognate-verifier-v1:"

// Key is the verifier key to hand to a service that checks requests (the
// authz package, cognate proxy): it opens tokens but cannot mint them.
func (v *Verifier) Key() string {
	return keyPrefix + base64.RawURLEncoding.EncodeToString(append(append([]byte{}, v.enc...), v.pub...))
}

// ParseVerifierKey reads what Key returned.
func ParseVerifierKey(s string) (*Verifier, error) {
	raw, ok := strings.CutPrefix(strings.TrimSpace(s), keyPrefix)
	if !ok {
		return nil, errors.New("sessiontoken: not a Cognate verifier key (it starts with " + keyPrefix + ")")
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) != 32+ed25519.PublicKeySize {
		return nil, errors.New("sessiontoken: the verifier key is damaged")
	}
	return newVerifier(b[:32], ed25519.PublicKey(b[32:]))
}

var keyIDAlphabet = base32.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").WithPadding(base32.NoPadding)

// Mint issues credentials for s, valid until s.Expires.
func (m *Minter) Mint(s Session) (Credentials, error) {
	if s.RoleARN == "" || s.Expires.IsZero() || !s.Expires.After(s.Issued) {
		return Credentials{}, errors.New("sessiontoken: a session needs a role and a lifetime")
	}
	random := make([]byte, 10+30)
	if _, err := rand.Read(random); err != nil {
		return Credentials{}, err
	}
	in := sealed{
		AccessKeyID: "ASIA" + keyIDAlphabet.EncodeToString(random[:10]),
		Secret:      base64.StdEncoding.EncodeToString(random[10:]),
		Session:     s,
	}
	plain, err := json.Marshal(in)
	if err != nil {
		return Credentials{}, err
	}
	head := make([]byte, 1+keyIDSize+nonceSize, 1+keyIDSize+nonceSize+len(plain)+m.aead.Overhead()+ed25519.SignatureSize)
	head[0] = version
	copy(head[1:], m.keyID[:])
	if _, err := rand.Read(head[1+keyIDSize:]); err != nil {
		return Credentials{}, err
	}
	nonce := append([]byte(nil), head[1+keyIDSize:]...)
	ad := append([]byte(nil), head[:1+keyIDSize]...)
	body := m.aead.Seal(head, nonce, plain, ad)
	body = append(body, ed25519.Sign(m.priv, body)...)
	return Credentials{
		AccessKeyID:     in.AccessKeyID,
		SecretAccessKey: in.Secret,
		SessionToken:    base64.StdEncoding.EncodeToString(body),
		Expiration:      s.Expires,
	}, nil
}

// Open checks that token was minted by this Cognate for accessKeyID and
// is still valid at now, and returns the session and the secret access key.
func (v *Verifier) Open(accessKeyID, token string, now time.Time) (Session, string, error) {
	in, ok := v.opened.Get(token)
	if !ok {
		var err error
		if in, err = v.open(token); err != nil {
			return Session{}, "", err
		}
		v.opened.Put(strings.Clone(token), in)
	}
	if subtle.ConstantTimeCompare([]byte(in.AccessKeyID), []byte(accessKeyID)) != 1 {
		return Session{}, "", ErrInvalid
	}
	if !now.Before(in.Session.Expires) {
		return Session{}, "", ErrExpired
	}
	return in.Session, in.Secret, nil
}

func (v *Verifier) open(token string) (sealed, error) {
	if len(token) > MaxTokenLen {
		return sealed{}, ErrInvalid
	}
	b, err := base64.StdEncoding.DecodeString(token)
	min := 1 + keyIDSize + nonceSize + v.aead.Overhead() + ed25519.SignatureSize
	if err != nil || len(b) < min || b[0] != version || subtle.ConstantTimeCompare(b[1:1+keyIDSize], v.keyID[:]) != 1 {
		return sealed{}, ErrInvalid
	}
	body, sig := b[:len(b)-ed25519.SignatureSize], b[len(b)-ed25519.SignatureSize:]
	if !ed25519.Verify(v.pub, body, sig) {
		return sealed{}, ErrInvalid
	}
	nonce := body[1+keyIDSize : 1+keyIDSize+nonceSize]
	plain, err := v.aead.Open(nil, nonce, body[1+keyIDSize+nonceSize:], body[:1+keyIDSize])
	if err != nil {
		return sealed{}, ErrInvalid
	}
	var in sealed
	if err := json.Unmarshal(plain, &in); err != nil || len(in.AccessKeyID) != accessKeyIDLen || in.Secret == "" {
		return sealed{}, ErrInvalid
	}
	return in, nil
}
