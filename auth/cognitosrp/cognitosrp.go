// Package cognitosrp is the client side of Amazon Cognito's SRP sign-in: the
// SRP_A of an InitiateAuth with AuthFlow USER_SRP_AUTH, and the answer to the
// PASSWORD_VERIFIER challenge that follows. It computes what
// amazon-cognito-identity-js and Amplify JS v6 compute, so it signs in to
// Cognito and to Cognate alike.
//
// A sign-in goes:
//
//	c, err := cognitosrp.NewClient(poolID, username, password)
//	// InitiateAuth: AuthParameters USERNAME, SRP_A = c.PublicA()
//	// (and SECRET_HASH = cognitosrp.SecretHash(...) for a client with a secret)
//	responses, err := c.ChallengeResponses(out.ChallengeParameters, time.Now())
//	// RespondToAuthChallenge: PASSWORD_VERIFIER with responses and the Session
//
// Remembered devices use the same exchange with other inputs (device.go):
// NewDeviceSecret makes the verifier ConfirmDevice registers, and a
// DeviceClient answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER.
//
// A Client holds the ephemeral secret a of one sign-in; make a new one for
// every attempt. The arithmetic is math/big, which is not constant time: the
// exponents are the client's own secrets on the client's own machine.
package cognitosrp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
)

// SecretSize is the size in bytes of the ephemeral secret a, as the JS
// clients draw it.
const SecretSize = 128

// TimestampLayout is the format of TIMESTAMP: UTC, English names, the day of
// the month not zero-padded ("Tue Nov 3 09:04:05 UTC 2026"). Cognito rejects
// a signature over a zero-padded day.
const TimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

var (
	// ErrPoolID is returned for a user pool ID without a name after the
	// region: "us-east-1_AbCdEf123" is right.
	ErrPoolID = errors.New("cognitosrp: user pool ID is not region_name")
	// ErrChallenge is returned for a challenge parameter that is missing or
	// malformed.
	ErrChallenge = errors.New("cognitosrp: malformed challenge parameter")
	// ErrServerPublic is returned when SRP_B is zero modulo N, which RFC
	// 5054 requires a client to refuse.
	ErrServerPublic = errors.New("cognitosrp: SRP_B is zero modulo N")
	// ErrScrambler is returned when u = H(A | B) is zero.
	ErrScrambler = errors.New("cognitosrp: u = H(A | B) is zero")
)

// Option configures NewClient.
type Option func(*options)

type options struct{ random io.Reader }

// WithRandom makes NewClient and NewDeviceClient read a from r instead of
// crypto/rand (SecretSize bytes, big-endian), and NewDeviceSecret its device
// password and salt (DevicePasswordSize bytes, then DeviceSaltSize). Tests use
// it to fix them.
func WithRandom(r io.Reader) Option {
	return func(o *options) { o.random = r }
}

// Client is one SRP sign-in attempt of one user.
type Client struct {
	poolName, username, password string
	a, bigA                      *big.Int
}

// NewClient draws the ephemeral secret a and computes A = g^a mod N.
// poolID is the full user pool ID ("us-east-1_AbCdEf123"); username is what
// the user typed, sent as USERNAME.
func NewClient(poolID, username, password string, opts ...Option) (*Client, error) {
	o := options{random: rand.Reader}
	for _, opt := range opts {
		opt(&o)
	}
	_, poolName, ok := strings.Cut(poolID, "_")
	if !ok || poolName == "" {
		return nil, fmt.Errorf("%w: %q", ErrPoolID, poolID)
	}
	// The JS clients take the text between the first and a second underscore.
	poolName, _, _ = strings.Cut(poolName, "_")
	return newClient(poolName, username, password, o.random)
}

// newClient draws a from random and computes A for a sign-in whose x is
// H(salt | H(poolName | userID | ":" | password)).
func newClient(poolName, username, password string, random io.Reader) (*Client, error) {
	c := &Client{poolName: poolName, username: username, password: password}
	buf := make([]byte, SecretSize)
	for {
		if _, err := io.ReadFull(random, buf); err != nil {
			return nil, fmt.Errorf("cognitosrp: drawing a: %w", err)
		}
		c.a = new(big.Int).SetBytes(buf)
		if c.a.Sign() != 0 {
			break
		}
	}
	c.bigA = new(big.Int).Exp(g, c.a, n)
	return c, nil
}

// Username is the name the client was made for.
func (c *Client) Username() string { return c.username }

// PublicA is SRP_A: A in lowercase hex without leading zeros, as the JS
// clients send it.
func (c *Client) PublicA() string { return c.bigA.Text(16) }

// AuthParameters are the InitiateAuth parameters of USER_SRP_AUTH, without
// SECRET_HASH.
func (c *Client) AuthParameters() map[string]string {
	return map[string]string{"USERNAME": c.username, "SRP_A": c.PublicA()}
}

// ClaimSignature answers a PASSWORD_VERIFIER challenge: from the challenge's
// USER_ID_FOR_SRP, SALT, SRP_B and SECRET_BLOCK it returns
// PASSWORD_CLAIM_SIGNATURE and the TIMESTAMP (now, formatted) it signed.
func (c *Client) ClaimSignature(userIDForSRP, saltHex, srpBHex, secretBlockB64 string, now time.Time) (signature, timestamp string, err error) {
	if userIDForSRP == "" {
		return "", "", fmt.Errorf("%w: USER_ID_FOR_SRP is empty", ErrChallenge)
	}
	salt, err := parseInt("SALT", saltHex)
	if err != nil {
		return "", "", err
	}
	bigB, err := parseInt("SRP_B", srpBHex)
	if err != nil {
		return "", "", err
	}
	block, err := decodeSecretBlock(secretBlockB64)
	if err != nil {
		return "", "", err
	}
	key, err := c.passwordKey(userIDForSRP, salt, bigB)
	if err != nil {
		return "", "", err
	}
	timestamp = FormatTimestamp(now)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(c.poolName))
	mac.Write([]byte(userIDForSRP))
	mac.Write(block)
	mac.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), timestamp, nil
}

// ChallengeResponses answers a PASSWORD_VERIFIER challenge given its
// ChallengeParameters, with the ChallengeResponses the JS clients send
// (USERNAME, PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE,
// TIMESTAMP). Add SECRET_HASH and DEVICE_KEY as the app client needs.
func (c *Client) ChallengeResponses(params map[string]string, now time.Time) (map[string]string, error) {
	userID := params["USER_ID_FOR_SRP"]
	sig, ts, err := c.ClaimSignature(userID, params["SALT"], params["SRP_B"], params["SECRET_BLOCK"], now)
	if err != nil {
		return nil, err
	}
	return map[string]string{
		"USERNAME":                    userID,
		"PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
		"PASSWORD_CLAIM_SIGNATURE":    sig,
		"TIMESTAMP":                   ts,
	}, nil
}

// FormatTimestamp writes t as TIMESTAMP.
func FormatTimestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }

// SecretHash is SECRET_HASH for an app client with a secret:
// base64(HMAC-SHA256(clientSecret, username | clientID)).
func SecretHash(username, clientID, clientSecret string) string {
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(username))
	mac.Write([]byte(clientID))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// maxParamHex bounds the hex challenge parameters: B is at most 768 digits.
const maxParamHex = 4096

// parseInt parses a non-negative hex integer of any length and either case.
func parseInt(name, s string) (*big.Int, error) {
	bad := func() (*big.Int, error) {
		return nil, fmt.Errorf("%w: %s is not a hex integer", ErrChallenge, name)
	}
	if s == "" || len(s) > maxParamHex {
		return bad()
	}
	for i := range len(s) {
		if !isHexDigit(s[i]) {
			return bad()
		}
	}
	x, ok := new(big.Int).SetString(s, 16)
	if !ok {
		return bad()
	}
	return x, nil
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// decodeSecretBlock reads SECRET_BLOCK in standard or URL-safe base64, padded
// or not, as Amplify does.
func decodeSecretBlock(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w: SECRET_BLOCK is not base64", ErrChallenge)
	}
	return b, nil
}
